#!/usr/bin/env node
/**
 * Measures how many hosts the fleet store takes on this machine: the synthesized FleetStore
 * (VictoriaMetrics + vmauth 1.145, started by test/real/fleet-store-harness.ts from the deployed
 * commands and files, vmauth over TLS with the writer's basic auth) is fed remote_write requests
 * (protobuf + snappy, as Prometheus sends them) from N simulated hosts, N raised step by step until
 * ingestion falls behind the offered rate, requests fail, or latency explodes.
 *
 * The series mix is the measured one: a harness collector (real Prometheus, node_exporter,
 * Scaphandre, blackbox, the cAdvisor fixture) is started first and every series it holds is read
 * back with its labels and value (host, job, instance and the rest); each simulated host sends
 * that set (cut to `--series`, default 1770: ~118 samples/s at 15 s) with its own `host` label,
 * once per scrape interval, spread evenly over the interval, as one request (Prometheus's queue
 * sends up to 2000 samples per request). Counters grow, a third of the gauges move, the rest stay:
 * the store's compression sees roughly what it sees from real collectors.
 *
 * The generator stays cheap: one protobuf template, its host label, values and timestamps patched
 * in place for each request, then snappy (the `snappy` package, native) and HTTPS with keep-alive.
 *
 * Each step first waits until the step's new hosts' series are registered (index inserts, far dearer
 * than samples; bounded by --register-timeout) and the lag is gone, then measures the steady state
 * for --measure-seconds. Per step: offered and ingested samples/s (VictoriaMetrics' vm_rows_inserted_total), CPU of
 * VictoriaMetrics, vmauth and their proot tracers (/proc/<pid>/stat), of the generator, request
 * latency and lag behind schedule, errors. At the end: bytes per sample on disk
 * (vm_data_size_bytes / vm_rows after /internal/force_flush, and du of the data directory).
 *
 * Usage:
 *   node scripts/measure-store-capacity.mjs [--hosts 250,500,1000,1500,2000,3000,4000] [--measure-seconds 30]
 *                                           [--register-timeout 120] [--budget-seconds 480]
 *                                           [--interval 15] [--series 1770]
 *   PEEKSTACK_MEASURE_JSON=out.json ...   (also writes the JSON)
 * Keep a full run to one at a quiet time: it loads both cores for several minutes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { repo, require } from './lib/require-ts.mjs';

const { startHarness } = require(path.join(repo, 'test/real/harness.ts'));
const { startFleetStore, STORE_HOST_NAME, withStorePasswords } = require(path.join(repo, 'test/real/fleet-store-harness.ts'));
const { makeTestSecrets } = require(path.join(repo, 'test/support/test-secrets.ts'));
const { httpsGet } = require(path.join(repo, 'test/real/prometheus-api.ts'));
const { field, label: labelField, varint } = require(path.join(repo, 'test/real/remote-write-payload.ts'));
const snappy = require('snappy');

// ----------------------------------------------------------------------------------- options

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const STEPS = option('hosts', '250,500,1000,1500,2000,3000,4000').split(',').map(Number);
/** The steady-state window of each step, once the step's new series are registered. */
const MEASURE_SECONDS = Number(option('measure-seconds', '30'));
const INTERVAL = Number(option('interval', '15'));
const SERIES = Number(option('series', '1770'));
/** Give up waiting for a step's new series to be registered after this long (and measure anyway). */
const REGISTER_TIMEOUT_SECONDS = Number(option('register-timeout', '120'));
/** Start no step after this long (the whole run stays under ~10 minutes). */
const BUDGET_SECONDS = Number(option('budget-seconds', '480'));
/** Requests in flight at most (one per host at most in reality; past this the generator queues, and the queue is lag). */
const MAX_IN_FLIGHT = 256;
if (STEPS.some((n) => !(n > 0)) || !(MEASURE_SECONDS >= 5) || !(INTERVAL > 0) || !(SERIES > 0)) throw new Error(`bad options: ${args.join(' ')}`);

const log = (text) => process.stderr.write(`[capacity] ${text}\n`);
const now = () => Date.now() / 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

// ------------------------------------------------------------------- the measured series mix

/** Every series of a harness collector, with its labels and current value. */
async function captureSeriesMix(secrets) {
  const collector = await startHarness({ hostName: 'template-host', secrets });
  try {
    await collector.waitForTargetsUp();
    await sleep(7000); // a few rounds of every job (Scaphandre every 3 s), rules evaluated
    const outcome = await collector.query('{host="template-host"}');
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.data.result.filter((s) => s.value && s.value[1] !== 'NaN').map((s) => ({ labels: s.metric, value: Number(s.value[1]) }));
  } finally {
    await collector.stop();
  }
}

/** A deterministic pseudo-random number in [0, 1) from integers. */
function hash01(a, b, c = 0) {
  let x = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(c + 0x27d4eb2f, 0x165667b1)) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d) >>> 0;
  x ^= x >>> 12;
  return (x >>> 0) / 4294967296;
}

/**
 * Picks `count` series spread over the whole mix (every job keeps its share). When the harness
 * holds fewer, the rest are more containers: copies of cAdvisor's per-container series under
 * other container names (a real host adds ~20 series per container).
 */
function cutMix(mix, count) {
  if (mix.length < count) {
    const perContainer = mix.filter((s) => s.labels.job === 'cadvisor' && s.labels.name);
    const source = perContainer.length > 0 ? perContainer : mix;
    const padded = [...mix];
    for (let k = 0; padded.length < count; k++) {
      const s = source[k % source.length];
      const copy = Math.floor(k / source.length) + 1;
      const labels = { ...s.labels };
      if (labels.name) labels.name = `${labels.name}-${copy}`;
      else labels.replica = String(copy);
      if (labels.id) labels.id = `${labels.id}-${copy}`;
      padded.push({ labels, value: s.value });
    }
    return padded;
  }
  return [...mix]
    .map((s, i) => ({ s, key: hash01(i, 7) }))
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .map(({ s }) => s);
}

// -------------------------------------------------------------- remote_write request template


const HOST_DIGITS = 5;
const HOST_PREFIX = 'bench-host-';
/** A millisecond timestamp of these years is a 6-byte varint: the template relies on it. */
const TS_BYTES = 6;

/**
 * One WriteRequest holding every series once, with fixed-width slots: each series' host label value
 * (`bench-host-00000`), its sample value (a double) and timestamp (a 6-byte varint).
 */
function buildTemplate(mix) {
  const parts = [];
  const hostOffsets = [];
  const valueOffsets = [];
  const tsOffsets = [];
  let offset = 0;
  for (const series of mix) {
    const labels = { ...series.labels, host: `${HOST_PREFIX}${'0'.repeat(HOST_DIGITS)}` };
    const names = Object.keys(labels).sort();
    const labelBytes = [];
    let hostAt = -1;
    let within = 0;
    for (const name of names) {
      const label = field(1, labelField(name, labels[name]));
      // The value's bytes end the label: the digits are the last HOST_DIGITS of them.
      if (name === 'host') hostAt = within + label.length - HOST_DIGITS;
      labelBytes.push(label);
      within += label.length;
    }
    const sample = Buffer.concat([Buffer.from([0x09]), Buffer.alloc(8), Buffer.from([0x10]), Buffer.alloc(TS_BYTES, 0x80)]);
    const samplesField = field(2, sample);
    const body = Buffer.concat([...labelBytes, samplesField]);
    const ts = field(1, body);
    const header = ts.length - body.length;
    hostOffsets.push(offset + header + hostAt);
    valueOffsets.push(offset + header + within + 2 + 1);
    tsOffsets.push(offset + header + within + 2 + 1 + 8 + 1);
    parts.push(ts);
    offset += ts.length;
  }
  return { buffer: Buffer.concat(parts), hostOffsets, valueOffsets, tsOffsets };
}

const COUNTER = /(_total|_count|_sum|_bucket|_seconds|_bytes|_joules|_microjoules)$/;

/** Per series: how its value evolves (counters grow, a third of the gauges move). */
function valueModels(mix) {
  return mix.map((series, i) => {
    const name = series.labels.__name__ ?? '';
    const base = Number.isFinite(series.value) ? series.value : 0;
    if (COUNTER.test(name)) return { kind: 'counter', base, rate: Math.max(0.01, Math.abs(base) * 1e-5) * (0.5 + hash01(i, 1)) };
    if (hash01(i, 2) < 1 / 3) return { kind: 'gauge', base, spread: Math.max(0.5, Math.abs(base) * 0.02) };
    return { kind: 'constant', base };
  });
}

/** The request of host `host` for its scrape at `tsMs`: the template patched, then snappy. */
function requestBody(template, models, host, tsMs) {
  const { buffer, hostOffsets, valueOffsets, tsOffsets } = template;
  const digits = Buffer.from(String(host).padStart(HOST_DIGITS, '0'));
  const ts = varint(tsMs);
  if (ts.length !== TS_BYTES) throw new Error(`timestamp ${tsMs} is not a ${TS_BYTES}-byte varint`);
  const round = Math.floor(tsMs / (INTERVAL * 1000));
  for (let i = 0; i < models.length; i++) {
    digits.copy(buffer, hostOffsets[i]);
    ts.copy(buffer, tsOffsets[i]);
    const model = models[i];
    const value =
      model.kind === 'counter'
        ? model.base + host * 3 + model.rate * (tsMs / 1000 - 1.7e9)
        : model.kind === 'gauge'
          ? model.base + (hash01(round, i, host) - 0.5) * model.spread
          : model.base;
    buffer.writeDoubleLE(value, valueOffsets[i]);
  }
  return snappy.compressSync(buffer);
}

// ------------------------------------------------------------------------------ measurements

/** utime + stime (s) of a process, all its threads. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

function rssBytes(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Number(line.split(/\s+/)[1]) * 1024;
  } catch {
    return NaN;
  }
}

/** The traced binary under a proot leader: proot's child. */
function traceeOf(prootPid) {
  const children = readFileSync(`/proc/${prootPid}/task/${prootPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  if (children.length !== 1) throw new Error(`proot ${prootPid} has children ${JSON.stringify(children)}`);
  return children[0];
}

async function vmMetrics(backend) {
  const text = await (await fetch(`http://${backend}:8428/metrics`)).text();
  const sum = (name, filter = () => true) =>
    text
      .split('\n')
      .filter((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && filter(line))
      .reduce((total, line) => total + Number(line.split(' ').pop()), 0);
  return {
    inserted: sum('vm_rows_inserted_total', (line) => line.includes('type="promremotewrite"')),
    dataBytes: sum('vm_data_size_bytes'),
    indexBytes: sum('vm_data_size_bytes', (line) => line.includes('indexdb')),
    rows: sum('vm_rows', (line) => line.includes('type="storage/')),
    pendingRows: sum('vm_pending_rows', (line) => line.includes('type="storage"')),
    slowInserts: sum('vm_slow_row_inserts_total'),
    newSeries: sum('vm_new_timeseries_created_total'),
  };
}

const quantile = (values, q) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

// ----------------------------------------------------------------------------------- the run

const secrets = withStorePasswords(makeTestSecrets(['localhost', '127.0.0.1', 'host.docker.internal', STORE_HOST_NAME]));
log('capturing the series mix of a harness collector');
const captured = await captureSeriesMix(secrets);
const mix = cutMix(captured, SERIES);
const jobs = Object.entries(mix.reduce((count, s) => ({ ...count, [s.labels.job ?? '(rules)']: (count[s.labels.job ?? '(rules)'] ?? 0) + 1 }), {}));
log(`collector held ${captured.length} series${captured.length < SERIES ? ` (padded with ${SERIES - captured.length} series of more containers)` : ''}; sending ${mix.length} per host per ${INTERVAL} s (${(mix.length / INTERVAL).toFixed(1)} samples/s): ${jobs.map(([job, n]) => `${job} ${n}`).join(', ')}`);
const template = buildTemplate(mix);
const models = valueModels(mix);
const sampleBody = requestBody(template, models, 1, Date.now());
log(`request: ${template.buffer.length} bytes of protobuf, ${sampleBody.length} with snappy (${(sampleBody.length / mix.length).toFixed(1)} bytes per sample on the wire)`);

const store = await startFleetStore(secrets, { dedupMinScrapeIntervalSeconds: INTERVAL });
const endpoint = store.endpoint(secrets.writer);
const agent = new https.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT, ca: endpoint.caPem });
const authorization = `Basic ${Buffer.from(`${secrets.writer.username}:${secrets.writer.password}`).toString('base64')}`;

/** POSTs one request; resolves with its status (0: no answer). */
function post(body) {
  return new Promise((resolve) => {
    const req = https.request(
      {
        method: 'POST',
        host: endpoint.address,
        port: endpoint.port,
        servername: STORE_HOST_NAME,
        path: '/api/v1/write',
        agent,
        timeout: 30_000,
        headers: {
          Authorization: authorization,
          'Content-Type': 'application/x-protobuf',
          'Content-Encoding': 'snappy',
          'X-Prometheus-Remote-Write-Version': '0.1.0',
          'User-Agent': 'peekstack-capacity-bench',
          'Content-Length': String(body.length),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (error) => resolve({ status: 0, error: String(error) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, error: String(error) }));
    req.end(body);
  });
}

const results = [];
try {
  const [vmProot, authProot] = ['victoria-metrics', 'vmauth'].map((name) => store.processes().find((p) => p.name === name).pid);
  const pids = { vm: traceeOf(vmProot), vmauth: traceeOf(authProot), vmProot, authProot };
  log(`store up: VictoriaMetrics pid ${pids.vm} (proot ${vmProot}), vmauth pid ${pids.vmauth} (proot ${authProot})`);
  const snapshot = async () => ({
    at: now(),
    vm: cpuSeconds(pids.vm),
    vmauth: cpuSeconds(pids.vmauth),
    proot: cpuSeconds(pids.vmProot) + cpuSeconds(pids.authProot),
    generator: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    ...(await vmMetrics(store.backendAddress)),
  });

  const runStart = now();
  for (const hosts of STEPS) {
    if (now() - runStart > BUDGET_SECONDS) {
      log(`time budget (${BUDGET_SECONDS} s) spent: no step past ${results.at(-1)?.hosts} hosts`);
      break;
    }
    const stepStart = now();
    const spacing = INTERVAL / hosts; // s between two requests
    const seriesBefore = (await vmMetrics(store.backendAddress)).newSeries;
    const stats = { sent: 0, ok: 0, errors: 0, steadyErrors: 0, errorKinds: {}, latencies: [], lags: [], recentLags: [] };
    let next = 0; // index of the next request of this step
    let inFlight = 0;
    let phase = 'register';
    let measureFrom;
    let measureUntil = Infinity;
    let registeredAfter = NaN;
    let lastCheck = 0;
    const pending = new Set();
    let maxLag = 0;
    log(`step: ${hosts} hosts, ${((hosts * mix.length) / INTERVAL).toFixed(0)} samples/s offered, ${(hosts / INTERVAL).toFixed(1)} requests/s`);
    for (;;) {
      const t = now();
      if (phase === 'register' && t - lastCheck >= 1) {
        // The new hosts' series registered (index inserts, far dearer than samples) and the lag gone:
        // from here on the step measures the steady state.
        lastCheck = t;
        const registered = (await vmMetrics(store.backendAddress)).newSeries - seriesBefore;
        const expected = (hosts - (results.at(-1)?.hosts ?? 0)) * mix.length;
        const recent = stats.recentLags.filter(([at]) => at > t - 5).map(([, lag]) => lag);
        if (registered >= 0.99 * expected && recent.length > 0 && Math.max(...recent) < 2) {
          registeredAfter = t - stepStart;
          phase = 'measure';
          measureFrom = await snapshot();
          measureUntil = now() + MEASURE_SECONDS;
          log(`  ${registered} new series registered after ${registeredAfter.toFixed(0)} s; measuring ${MEASURE_SECONDS} s`);
        } else if (t - stepStart > REGISTER_TIMEOUT_SECONDS) {
          log(`  only ${registered} of ${expected} new series registered after ${REGISTER_TIMEOUT_SECONDS} s (recent lag ${Math.max(0, ...recent).toFixed(1)} s): measuring anyway`);
          phase = 'measure';
          measureFrom = await snapshot();
          measureUntil = now() + MEASURE_SECONDS;
        }
      }
      if (now() >= measureUntil) break;
      while (inFlight < MAX_IN_FLIGHT && stepStart + next * spacing <= t) {
        const scheduled = stepStart + next * spacing;
        const host = next % hosts;
        next++;
        const body = requestBody(template, models, host, Math.round(scheduled * 1000));
        const started = now();
        const counted = phase === 'measure';
        inFlight++;
        stats.sent++;
        const done = post(body).then(({ status, error }) => {
          inFlight--;
          const finished = now();
          stats.recentLags.push([finished, finished - scheduled]);
          if (stats.recentLags.length > 4000) stats.recentLags.splice(0, 2000);
          if (status >= 200 && status < 300) stats.ok++;
          else {
            stats.errors++;
            if (counted) stats.steadyErrors++;
            const kind = error ? error.slice(0, 60) : `HTTP ${status}`;
            stats.errorKinds[kind] = (stats.errorKinds[kind] ?? 0) + 1;
          }
          if (counted) {
            stats.latencies.push(finished - started);
            stats.lags.push(finished - scheduled);
          }
          pending.delete(done);
        });
        pending.add(done);
      }
      // Lag of the queue: how late the oldest request not yet started is.
      if (stepStart + next * spacing < t) maxLag = Math.max(maxLag, t - (stepStart + next * spacing));
      await sleep(2);
    }
    const end = await snapshot();
    const span = end.at - measureFrom.at;
    const behind = Math.max(0, Math.floor((now() - stepStart) / spacing) - next); // requests due but never started
    const step = {
      hosts,
      offeredSamplesPerSecond: (hosts * mix.length) / INTERVAL,
      ingestedSamplesPerSecond: (end.inserted - measureFrom.inserted) / span,
      registeredAfterSeconds: registeredAfter,
      cpuCores: {
        victoriaMetrics: (end.vm - measureFrom.vm) / span,
        vmauth: (end.vmauth - measureFrom.vmauth) / span,
        proot: (end.proot - measureFrom.proot) / span,
        generator: (end.generator - measureFrom.generator) / span,
      },
      rssBytes: { victoriaMetrics: rssBytes(pids.vm), vmauth: rssBytes(pids.vmauth) },
      requests: stats.sent,
      /** Errors while the step's new series were being registered, and in the steady-state window. */
      errors: stats.errors,
      steadyErrors: stats.steadyErrors,
      errorKinds: stats.errorKinds,
      latencySeconds: { p50: quantile(stats.latencies, 0.5), p99: quantile(stats.latencies, 0.99), max: quantile(stats.latencies, 1) },
      lagSeconds: { p99: quantile(stats.lags, 0.99), max: Math.max(maxLag, quantile(stats.lags, 1) || 0) },
      requestsNeverStarted: behind,
      pendingRows: end.pendingRows,
      /** Rows whose series was not in VictoriaMetrics' cache (an index lookup each): high when memory is short. */
      slowInsertShare: (end.slowInserts - measureFrom.slowInserts) / Math.max(1, end.inserted - measureFrom.inserted),
      newSeriesInWindow: end.newSeries - measureFrom.newSeries,
    };
    results.push(step);
    const c = step.cpuCores;
    log(
      `  ingested ${step.ingestedSamplesPerSecond.toFixed(0)} of ${step.offeredSamplesPerSecond.toFixed(0)} samples/s; CPU VM ${c.victoriaMetrics.toFixed(2)}, vmauth ${c.vmauth.toFixed(2)}, proot ${c.proot.toFixed(2)}, generator ${c.generator.toFixed(2)}; ` +
        `latency p50 ${(step.latencySeconds.p50 * 1000).toFixed(0)} ms p99 ${(step.latencySeconds.p99 * 1000).toFixed(0)} ms; lag p99 ${step.lagSeconds.p99.toFixed(2)} s max ${step.lagSeconds.max.toFixed(2)} s; errors ${step.errors} (${step.steadyErrors} in the steady state${step.errors ? `: ${JSON.stringify(step.errorKinds)}` : ''}); never started ${behind}; slow inserts ${(step.slowInsertShare * 100).toFixed(1)} %; new series in the window ${step.newSeriesInWindow}; VM RSS ${(step.rssBytes.victoriaMetrics / 2 ** 20).toFixed(0)} MiB`,
    );
    if (results.length === 1) {
      // The store holds what was sent: one bench host's series, read back through vmauth as the reader.
      const params = new URLSearchParams({ query: `count({host="${HOST_PREFIX}${'0'.repeat(HOST_DIGITS)}"})`, nocache: '1' });
      const answer = await httpsGet(store.endpoint(), `/api/v1/query?${params}`);
      const count = Number(JSON.parse(answer.body).data?.result?.[0]?.value?.[1]);
      log(`  check: the store holds ${count} series of ${HOST_PREFIX}${'0'.repeat(HOST_DIGITS)} (sent ${mix.length})`);
      if (count !== mix.length) throw new Error(`the store holds ${count} series of the first bench host, ${mix.length} were sent: the generator's requests are wrong`);
    }
    const reasons = [
      step.steadyErrors > 0 && 'errors',
      step.errors > step.steadyErrors && `${step.errors - step.steadyErrors} errors while registering (${Object.keys(step.errorKinds).join(', ')})`,
      Number.isNaN(registeredAfter) && 'series registration behind',
      step.ingestedSamplesPerSecond < 0.95 * step.offeredSamplesPerSecond && 'ingestion behind',
      step.lagSeconds.p99 > INTERVAL && 'lag',
      step.latencySeconds.p99 > 5 && 'latency',
      behind > hosts / INTERVAL && 'generator behind',
    ].filter(Boolean);
    step.saturated = reasons.length > 0;
    step.saturatedBy = reasons;
    // The next step starts with this one's requests answered.
    await Promise.race([Promise.all([...pending]), sleep(30_000)]);
    if (step.saturated) {
      log(`  saturated at ${hosts} hosts (${reasons.join(', ')})`);
      break;
    }
  }

  // Disk: after a flush, bytes per stored sample, and the data directory.
  await fetch(`http://${store.backendAddress}:8428/internal/force_flush`);
  await sleep(2000);
  const disk = await vmMetrics(store.backendAddress);
  const du = Number(execFileSync('du', ['-sb', store.dataDir], { encoding: 'utf8' }).split('\t')[0]);
  const last = results.filter((r) => !r.saturated).at(-1) ?? results[0];
  const storeCores = last.cpuCores.victoriaMetrics + last.cpuCores.vmauth;
  const summary = {
    date: new Date().toISOString(),
    machine: `${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    seriesPerHost: mix.length,
    intervalSeconds: INTERVAL,
    measureSeconds: MEASURE_SECONDS,
    requestBytes: sampleBody.length,
    steps: results,
    lastKeptUp: {
      hosts: last.hosts,
      samplesPerSecond: last.ingestedSamplesPerSecond,
      storeCores,
      hostsPerCore: last.hosts / storeCores,
      samplesPerSecondPerCore: last.ingestedSamplesPerSecond / storeCores,
      vmauthShareOfCpu: last.cpuCores.vmauth / storeCores,
    },
    disk: {
      rows: disk.rows,
      series: results.at(-1).hosts * mix.length,
      dataBytes: disk.dataBytes,
      indexBytes: disk.indexBytes,
      bytesPerSample: disk.dataBytes / disk.rows,
      samplesBytesPerSample: (disk.dataBytes - disk.indexBytes) / disk.rows,
      indexBytesPerSeries: disk.indexBytes / (results.at(-1).hosts * mix.length),
      du,
      duBytesPerSample: du / disk.rows,
    },
  };
  console.log(JSON.stringify(summary, null, 2));
  const f = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
  console.log(`
| hosts | new series registered in | offered samples/s | ingested samples/s | CPU VictoriaMetrics | CPU vmauth | CPU proot (both) | CPU generator | latency p50 / p99 | lag p99 / max | errors (all / steady state) | VictoriaMetrics RSS |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${results
  .map(
    (r) =>
      `| ${r.hosts}${r.saturated ? ` (saturated: ${r.saturatedBy.join(', ')})` : ''} | ${Number.isNaN(r.registeredAfterSeconds) ? `> ${REGISTER_TIMEOUT_SECONDS}` : f(r.registeredAfterSeconds, 0)} s | ${f(r.offeredSamplesPerSecond, 0)} | ${f(r.ingestedSamplesPerSecond, 0)} | ${f(r.cpuCores.victoriaMetrics)} | ${f(r.cpuCores.vmauth)} | ${f(r.cpuCores.proot)} | ${f(r.cpuCores.generator)} | ${f(r.latencySeconds.p50 * 1000, 0)} / ${f(r.latencySeconds.p99 * 1000, 0)} ms | ${f(r.lagSeconds.p99)} / ${f(r.lagSeconds.max)} s | ${r.errors} / ${r.steadyErrors} | ${f(r.rssBytes.victoriaMetrics / 2 ** 20, 0)} MiB |`,
  )
  .join('\n')}

Last step that kept up: ${last.hosts} hosts, ${f(last.ingestedSamplesPerSecond, 0)} samples/s on ${f(storeCores)} cores of VictoriaMetrics + vmauth = ${f(summary.lastKeptUp.hostsPerCore, 0)} hosts per core (${f(summary.lastKeptUp.samplesPerSecondPerCore, 0)} samples/s per core), vmauth ${f(summary.lastKeptUp.vmauthShareOfCpu * 100, 0)} % of it.
Disk after a flush: ${disk.rows} samples of ${summary.disk.series} series, ${f(summary.disk.bytesPerSample)} bytes per sample (vm_data_size_bytes / vm_rows; without the index ${f(summary.disk.samplesBytesPerSample)}, the index ${f(disk.indexBytes / 2 ** 20, 1)} MiB = ${f(summary.disk.indexBytesPerSeries, 1)} bytes per series), ${f(summary.disk.duBytesPerSample)} by du (${f(du / 2 ** 20, 1)} MiB).`);
  if (process.env.PEEKSTACK_MEASURE_JSON) writeFileSync(process.env.PEEKSTACK_MEASURE_JSON, JSON.stringify(summary, null, 2));
} finally {
  agent.destroy();
  await store.stop();
  rmTls();
}

function rmTls() {
  try {
    execFileSync('rm', ['-rf', secrets.tls.dir]);
  } catch {
    // best effort
  }
}
