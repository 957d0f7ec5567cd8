/**
 * The fleet store for real (the tests run in order: energy is read last, over a window that spans
 * the outage): VictoriaMetrics and vmauth (Debian's 1.145 build) started from the
 * files and commands the `FleetStore` construct deploys, fed by two collectors of the harness
 * (real Prometheus, node_exporter and Scaphandre, two hosts simulated at different wattages) whose
 * Prometheus remote_writes with the rendered settings (`fleetRemoteWrite(store.writeTarget())`, what
 * the app gives every collector): URL, CA, writer password file, queue. Queries go through vmauth
 * with the reader's credentials, as Grafana's fleet datasource sends them.
 *
 * VictoriaMetrics shows samples only ~30 s after they arrive (`-search.latencyOffset`, left at its
 * default as deployed), so the checks evaluate at instants at least 35 s in the past.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildDashboards, POWER_DASHBOARD_UID, SYSTEM_DASHBOARD_UID } from '../../src/components/dashboards';
import { buildFleetDashboard } from '../../src/interface/interface';
import { builtinValuesFor, substituteVariables } from '../../src/dashboards/dashboard-queries';
import { fleetRemoteWrite } from '../../src/hub/fleet-store';
import { PROMETHEUS_PATHS } from '../../src/components/prometheus/prometheus';
import { makeTestSecrets } from '../support/test-secrets';
import { checkDashboardQueries, describeChecks, failedQueries, NO_DATA_HERE, type NoDataAllowance, queriesWithoutData, type QueryRunner, staleAllowances } from './dashboard-check';
import { buildFleetStore, type StoreHarness, startFleetStore, STORE_HOST_NAME, type StoreSecrets, withStorePasswords } from './fleet-store-harness';
import { type Harness, startHarness } from './harness';
import { httpsGet, httpsPost, query, type QueryOutcome, seriesOf } from './prometheus-api';
import { REMOTE_WRITE_HEADERS, remoteWriteBody } from './remote-write-payload';
import type { TestSecrets } from '../support/test-secrets';

/** The collectors' scrape interval here, and so the store's dedup interval (as the app sets it). */
const SCRAPE_SECONDS = 2;
/** Simulated package power per host. */
const HOSTS = [
  { name: 'host-a', packageWatts: 50, coreWatts: 30 },
  { name: 'host-b', packageWatts: 20, coreWatts: 12 },
] as const;
const HOST_REGEX = HOSTS.map((host) => host.name).join('|');
/** VictoriaMetrics' `-search.latencyOffset` (30 s) and a margin: queries evaluate this far in the past. */
const SETTLED_SECONDS = 35;
const OUTAGE_SECONDS = 60;

let secrets: TestSecrets & StoreSecrets;
let store: StoreHarness;
let hosts: Harness[];

const now = () => Date.now() / 1000;
/** Each host's simulated ACPI power meter (whole-machine watts), for the platform panels. */
const PLATFORM_METER_WATTS = 120;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every second until it returns true; throws with the last value after `timeoutMs`. */
async function pollUntil(what: string, check: () => Promise<true | string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    const result = await check().catch((error) => String(error));
    if (result === true) return;
    last = result;
    if (Date.now() > deadline) throw new Error(`${what}: not reached after ${timeoutMs} ms (last: ${last})`);
    await sleep(1000);
  }
}

/** Raw sample timestamps (s) of one series in (from, to], read from `run` with a range selector at `to`. */
async function sampleTimes(run: (expr: string, opts: { time: number }) => Promise<QueryOutcome>, selector: string, from: number, to: number): Promise<number[]> {
  const outcome = await run(`${selector}[${Math.ceil(to - from)}s]`, { time: to });
  if (!outcome.ok) throw new Error(`${selector}: ${outcome.error}`);
  const series = seriesOf(outcome);
  if (series.length !== 1) throw new Error(`${selector}: expected one series, got ${series.length}`);
  return (series[0]!.values ?? []).map(([t]) => Number(t));
}

beforeAll(async () => {
  secrets = withStorePasswords(makeTestSecrets(['localhost', '127.0.0.1', 'host.docker.internal', STORE_HOST_NAME]));
  store = await startFleetStore(secrets, { dedupMinScrapeIntervalSeconds: SCRAPE_SECONDS });
  hosts = await Promise.all(
    HOSTS.map((host) =>
      startHarness({
        hostName: host.name,
        scrapeIntervalSeconds: SCRAPE_SECONDS,
        packageWatts: host.packageWatts,
        coreWatts: host.coreWatts,
        // A simulated ACPI meter and a power model: the Fleet and Power dashboards' platform panels have data through the store.
        acpiMeterWatts: PLATFORM_METER_WATTS,
        platformPower: { model: { idleWatts: 60, maxWatts: 200 } },
        secrets,
        // What the app gives every collector: the fleet store's write target, PeekStack's name and queue.
        configure: (collector, scope) => collector.prometheus.addRemoteWrite(fleetRemoteWrite(buildFleetStore(scope, { dedupMinScrapeIntervalSeconds: SCRAPE_SECONDS }).writeTarget())),
        extraHosts: { [STORE_HOST_NAME]: store.address },
      }),
    ),
  );
  await Promise.all(hosts.map((host) => host.waitForTargetsUp()));
  // Both hosts' power in the store, visible past VictoriaMetrics' latency offset, for the 20 s the
  // first checks look back over.
  await pollUntil(
    'both hosts in the fleet store',
    async () => {
      const outcome = await store.query('count by (host) (scaph_host_power_microwatts)', { time: now() - SETTLED_SECONDS - 20 });
      const found = seriesOf(outcome).map((series) => series.metric.host).sort();
      return found.join(',') === 'host-a,host-b' || `hosts: ${JSON.stringify(outcome).slice(0, 200)}`;
    },
    120_000,
  );
}, 240_000);

afterAll(async () => {
  await Promise.all((hosts ?? []).map((host) => host.stop()));
  await store?.stop();
  if (secrets) rmSync(secrets.tls.dir, { recursive: true, force: true });
});

describe('collectors remote_write to the fleet store with the rendered settings', () => {
  it('prometheus.yml sends to the store over verified TLS with the writer\'s password from a file', () => {
    const rendered = parse(readFileSync(join(hosts[0]!.files.prometheusRoot, PROMETHEUS_PATHS.config), 'utf8'));
    const remote = rendered.remote_write[0];
    expect(remote).toMatchObject({
      name: 'fleet',
      url: `https://${STORE_HOST_NAME}:${store.publishedPort}/api/v1/write`,
      basic_auth: { username: secrets.writer.username, password_file: '/etc/prometheus/secrets/remote-write-fleet.password' },
      tls_config: { ca_file: '/etc/prometheus/tls/remote-write-fleet-ca.crt', min_version: 'TLS12' },
      queue_config: { max_shards: 4, max_samples_per_send: 2000 },
    });
    expect(JSON.stringify(rendered)).not.toContain(secrets.writer.password);
    expect(readFileSync(join(hosts[0]!.files.prometheusRoot, remote.basic_auth.password_file), 'utf8')).toBe(secrets.writer.password);
    expect(rendered.global.external_labels).toEqual({ host: 'host-a' });
  });

  it('the store holds both hosts\' series, each with its host label, sent without failures', async () => {
    const outcome = await store.query('count by (host, job) (up)', { time: now() - SETTLED_SECONDS });
    const pairs = seriesOf(outcome).map((series) => `${series.metric.host}/${series.metric.job}`).sort();
    expect(pairs).toEqual(['blackbox-node-exporter', 'blackbox-prometheus', 'cadvisor', 'node', 'prometheus', 'scaphandre'].flatMap((job) => HOSTS.map((host) => `${host.name}/${job}`)).sort());
    for (const host of hosts) {
      const failed = await host.query('sum(prometheus_remote_storage_samples_failed_total{remote_name="fleet"})');
      expect(seriesOf(failed)[0]?.value?.[1]).toBe('0');
    }
  });
});

describe('writers and readers are separated', () => {
  const payload = () => {
    const series = `peekstack_fleet_store_probe_${Math.random().toString(36).slice(2, 8)}`;
    return { series, body: remoteWriteBody([{ labels: { __name__: series, host: 'probe' }, samples: [{ value: 42, timestampMs: Date.now() }] }]) };
  };
  const stored = async (series: string) => seriesOf(await store.query(`${series}[10m]`, { time: now() })).length;

  it('no credentials, or a wrong password: 401 for reading and writing', async () => {
    const endpoint = store.endpoint();
    expect((await httpsGet(endpoint, '/api/v1/query?query=up', 'none')).status).toBe(401);
    expect((await httpsPost(endpoint, '/api/v1/write', payload().body, REMOTE_WRITE_HEADERS, 'none')).status).toBe(401);
    expect((await httpsGet(endpoint, '/api/v1/query?query=up', { username: secrets.reader.username, password: 'wrong' })).status).toBe(401);
    expect((await httpsPost(endpoint, '/api/v1/write', payload().body, REMOTE_WRITE_HEADERS, { username: secrets.writer.username, password: 'wrong' })).status).toBe(401);
  });

  it('a collector\'s credentials write but cannot query, read labels or export', async () => {
    const writer = store.endpoint(secrets.writer);
    const probe = payload();
    expect((await httpsPost(writer, '/api/v1/write', probe.body, REMOTE_WRITE_HEADERS)).status).toBe(204);
    for (const path of ['/api/v1/query?query=up', '/api/v1/query_range?query=up&start=0&end=1&step=1', '/api/v1/label/host/values', '/api/v1/export?match[]=up', '/metrics']) {
      const answer = await httpsGet(writer, path);
      expect(answer.status, `${path}: ${answer.body}`).toBe(400);
      expect(answer.body).not.toContain('"success"');
    }
    // What it wrote is there (read by the reader, past the latency offset).
    await pollUntil('the probe written by the writer', async () => (await stored(probe.series)) === 1 || 'not yet', 60_000);
  }, 90_000);

  it('Grafana\'s credentials query but cannot write (the same valid payload is refused, nothing stored)', async () => {
    const reader = store.endpoint(secrets.reader);
    const probe = payload();
    const answer = await httpsPost(reader, '/api/v1/write', probe.body, REMOTE_WRITE_HEADERS);
    expect(answer.status, answer.body).toBe(400);
    expect((await httpsPost(reader, '/api/v1/import/prometheus', Buffer.from(`${probe.series} 1\n`), {})).status).toBe(400);
    expect((await httpsGet(reader, '/api/v1/query?query=up')).status).toBe(200);
    // A write of the writer after the refused one becomes visible; the reader's never does.
    const control = payload();
    expect((await httpsPost(store.endpoint(secrets.writer), '/api/v1/write', control.body, REMOTE_WRITE_HEADERS)).status).toBe(204);
    await pollUntil('the writer\'s control probe', async () => (await stored(control.series)) === 1 || 'not yet', 60_000);
    expect(await stored(probe.series)).toBe(0);
  }, 90_000);
});

describe('power read through the store', () => {
  it('fleet power ("Fleet power now") within 2 % of the sum of the simulations', async () => {
    const fleet = buildFleetDashboard(HOSTS.map((host) => host.name));
    const panel = (fleet.json as { panels: { title: string; targets?: { expr: string }[] }[] }).panels.find((p) => p.title === 'Fleet power now')!;
    const expr = substituteVariables(panel.targets![0]!.expr, { ...builtinValuesFor(3, 60), host: HOST_REGEX });
    const expected = HOSTS.reduce((sum, host) => sum + host.packageWatts, 0);
    // Several instants, each must be within 2 %; each host's own reading is shown beside the sum.
    const at = now() - SETTLED_SECONDS;
    const readings: string[] = [];
    for (const offset of [0, 6, 12, 18]) {
      const watts = Number(seriesOf(await store.query(expr, { time: at - offset }))[0]?.value?.[1]);
      const perHost = seriesOf(await store.query(`scaph_host_power_microwatts{host=~"${HOST_REGEX}"} / 1e6`, { time: at - offset })).map((series) => `${series.metric.host} ${Number(series.value![1]).toFixed(2)}`);
      readings.push(`${watts.toFixed(2)} W (${perHost.join(', ')})`);
      expect(Math.abs(watts - expected) / expected, `${readings.at(-1)} vs ${expected} W`).toBeLessThanOrEqual(0.02);
    }
    console.info(`[fleet-store] fleet power readings ${readings.join('; ')} for ${expected} W simulated`);
  });

});

describe('dashboards through the store', () => {
  const values = { ...builtinValuesFor(3, 60), host: HOST_REGEX, container: '.+', project: '.*', service: '.*' };
  const run: QueryRunner = (expr, instant) => {
    const end = now() - SETTLED_SECONDS;
    return instant ? store.query(expr, { time: end }) : store.query(expr, { range: { start: end - 60, end, stepSeconds: SCRAPE_SECONDS } });
  };

  it('every query of the Fleet dashboard answers; only the per-container panel is empty here, and no host is missing', async () => {
    const fleet = buildFleetDashboard(HOSTS.map((host) => host.name));
    const allowed: NoDataAllowance[] = [
      { dashboardUid: fleet.uid, panelTitle: 'Top containers by energy across the fleet', reason: "needs Scaphandre --containers (container_scheduler=\"docker\"): Debian's scaphandre 1.0.2 is built without that feature, and there is no Docker engine here" },
      { dashboardUid: fleet.uid, panelTitle: 'Hosts not reporting', reason: 'both hosts report: the panel lists none' },
    ];
    const checks = await checkDashboardQueries([fleet], values, run);
    expect(checks.length).toBe(15); // with the fleet CO₂e and cost panels (energy accounting), the energy coverage panel and the four platform power panels
    expect(failedQueries(checks), describeChecks(failedQueries(checks))).toEqual([]);
    expect(queriesWithoutData(checks, [fleet.uid], allowed), describeChecks(checks)).toEqual([]);
    expect(staleAllowances(checks, allowed)).toEqual([]);
    const reporting = await store.query(substituteVariables('count(count by (host) (up{job="prometheus"}))', values), { time: now() - SETTLED_SECONDS });
    expect(seriesOf(reporting)[0]?.value?.[1]).toBe('2');
  });

  it('the existing dashboards work on the fleet datasource with both hosts selected', async () => {
    const definitions = buildDashboards();
    const hostsOf = new Map<string, Set<string>>();
    const recording: QueryRunner = async (expr, instant) => {
      const outcome = await run(expr, instant);
      hostsOf.set(expr, new Set(seriesOf(outcome).map((series) => series.metric.host).filter((host): host is string => host !== undefined)));
      return outcome;
    };
    const checks = await checkDashboardQueries(definitions, values, recording);
    expect(failedQueries(checks), describeChecks(failedQueries(checks))).toEqual([]);
    expect(queriesWithoutData(checks, definitions.map((d) => d.uid), NO_DATA_HERE), describeChecks(checks)).toEqual([]);
    // Every per-host series of the system and power dashboards comes from both hosts.
    const oneHost = checks.filter((c) => [SYSTEM_DASHBOARD_UID, POWER_DASHBOARD_UID].includes(c.dashboardUid) && c.series > 0 && (hostsOf.get(c.expr)?.size ?? 0) > 0 && hostsOf.get(c.expr)!.size !== 2);
    expect(oneHost.map((c) => `${c.panelTitle}: ${[...hostsOf.get(c.expr)!].join(',')}`)).toEqual([]);
    // The dashboards' host variable, as Grafana asks for it: label values of up{job="node"}.
    const answer = await httpsGet(store.endpoint(), `/api/v1/label/host/values?${new URLSearchParams({ 'match[]': 'up{job="node"}' })}`);
    expect(JSON.parse(answer.body).data).toEqual(['host-a', 'host-b']);
  });
});

describe('a 60 s outage of the store loses nothing', () => {
  it('after the store comes back, it holds every sample of the outage window, no gap longer than two scrape intervals', async () => {
    const selector = (host: string) => `up{job="prometheus", host="${host}"}`;
    const stoppedAt = now();
    await store.stopStore();
    // The outage itself is a fixed 60 s: the collectors keep scraping and their remote_write retries.
    await sleep(Math.max(0, (stoppedAt + OUTAGE_SECONDS - now()) * 1000));
    const retried = await Promise.all(
      hosts.map(async (host) => Number(seriesOf(await host.query('sum(prometheus_remote_storage_samples_retried_total{remote_name="fleet"})'))[0]?.value?.[1] ?? 0)),
    );
    const restartedAt = now();
    await store.startStore();
    const until = restartedAt + 10;
    // Wait until the store shows samples past the restart for both hosts.
    await pollUntil(
      'samples after the restart in the store',
      async () => {
        if (now() < until + SETTLED_SECONDS) return 'waiting for the latency offset';
        const latest = await Promise.all(HOSTS.map(async (host) => Math.max(...(await sampleTimes((e, o) => store.query(e, o), selector(host.name), until - 30, until)))));
        return latest.every((t) => t > until - 2 * SCRAPE_SECONDS) || `latest: ${latest.join(', ')}`;
      },
      120_000,
    );
    const from = stoppedAt - 10;
    const figures: string[] = [];
    for (const [index, host] of HOSTS.entries()) {
      const inStore = await sampleTimes((e, o) => store.query(e, o), selector(host.name), from, until);
      const inCollector = await sampleTimes((e, o) => query(hosts[index]!.endpoint, e, o), selector(host.name), from, until);
      const gaps = inStore.slice(1).map((t, i) => t - inStore[i]!);
      const maxGap = Math.max(...gaps);
      const storeSet = new Set(inStore.map((t) => Math.round(t * 1000)));
      const missing = inCollector.filter((t) => !storeSet.has(Math.round(t * 1000)));
      const duringOutage = inStore.filter((t) => t >= stoppedAt && t <= restartedAt).length;
      figures.push(
        `${host.name}: samples retried by remote_write ${retried[index]}; outage ${(restartedAt - stoppedAt).toFixed(1)} s; window ${(until - from).toFixed(0)} s; collector ${inCollector.length} samples, store ${inStore.length} (${duringOutage} inside the outage), missing ${missing.length}; largest gap ${maxGap.toFixed(3)} s (scrape interval ${SCRAPE_SECONDS} s)`,
      );
      expect(inStore[0]!, 'the window starts before the outage').toBeLessThanOrEqual(stoppedAt - 5);
      expect(inStore.at(-1)!, 'the window ends after the restart').toBeGreaterThanOrEqual(restartedAt + 5);
      expect(maxGap, figures.at(-1)).toBeLessThanOrEqual(2 * SCRAPE_SECONDS);
      expect(duringOutage, figures.at(-1)).toBeGreaterThanOrEqual(Math.floor((restartedAt - stoppedAt) / SCRAPE_SECONDS) - 1);
      expect(missing, figures.at(-1)).toEqual([]);
    }
    console.info(`[fleet-store] outage:\n${figures.join('\n')}`);
  }, 300_000);
});

describe('energy read through the store', () => {
  it('each host\'s energy over 2+ minutes, the outage included ("Energy per host over the range"), within 1 % of its simulation', async () => {
    const fleet = buildFleetDashboard(HOSTS.map((host) => host.name));
    const panel = (fleet.json as { panels: { title: string; targets?: { expr: string }[] }[] }).panels.find((p) => p.title === 'Energy per host over the range')!;
    // As long as the data allows, at least 2 minutes: Scaphandre (under proot, on a loaded machine)
    // reads its counter a little after each scrape; over a longer window that jitter weighs less.
    // The window spans the store's outage.
    const windowSeconds = Math.max(120, Math.floor(now() - SETTLED_SECONDS - hosts[0]!.startedAt - 10));
    const expr = substituteVariables(panel.targets![0]!.expr, { ...builtinValuesFor(SCRAPE_SECONDS, windowSeconds), host: HOST_REGEX });
    await pollUntil(`${windowSeconds} s of data in the store`, async () => now() - SETTLED_SECONDS - windowSeconds > hosts[0]!.startedAt + 6 || 'not yet', 120_000);
    const end = now() - SETTLED_SECONDS;
    const outcome = await store.query(expr, { time: end });
    const kwh = Object.fromEntries(seriesOf(outcome).map((series) => [series.metric.host, Number(series.value![1])]));
    const coveragePanel = (fleet.json as { panels: { title: string; targets?: { expr: string }[] }[] }).panels.find((p) => p.title === 'Energy measured: share of the range')!;
    const coverage = Object.fromEntries(
      seriesOf(await store.query(substituteVariables(coveragePanel.targets![0]!.expr, { ...builtinValuesFor(SCRAPE_SECONDS, windowSeconds), host: HOST_REGEX }), { time: end })).map((series) => [series.metric.host, Number(series.value![1])]),
    );
    expect(Object.keys(kwh)).toEqual(['host-a', 'host-b']); // ranked: the 50 W host first
    for (const host of HOSTS) {
      // The panel sums the collector's energy records (wrap-safe, measured time only, see
      // dashboards/fleet.ts): the truth is the host's wattage over the time they measured, which the
      // coverage panel gives (nearly all the window, unless Scaphandre missed scrapes on a loaded machine).
      const selector = `scaph_host_energy_microjoules{host="${host.name}"}`;
      const times = await sampleTimes((e, o) => store.query(e, o), selector, end - windowSeconds - 30, end);
      // The store holds exactly the readings the collector took (timestamps, and values to the
      // store's float precision): any difference from the simulation below is the reading's, not the store's.
      // (Prometheus's staleness markers of failed scrapes, NaN, are not data: VictoriaMetrics does not return them.)
      const raw = async (run: (e: string, o: { time: number }) => Promise<QueryOutcome>) =>
        (seriesOf(await run(`${selector}[${windowSeconds + 30}s]`, { time: end }))[0]?.values ?? []).filter(([, value]) => value !== 'NaN').map(([t, v]) => [Number(t), Number(v)] as const);
      const inStore = await raw((e, o) => store.query(e, o));
      const inCollector = await raw((e, o) => query(hosts[HOSTS.indexOf(host)]!.endpoint, e, o));
      expect(inStore.map(([t]) => t)).toEqual(inCollector.map(([t]) => t));
      inStore.forEach(([, v], i) => expect(Math.abs(v - inCollector[i]![1]), `sample ${i}: ${v} vs ${inCollector[i]![1]}`).toBeLessThanOrEqual(Math.abs(v) * 1e-12));
      const covered = times.filter((t) => t <= end).at(-1)! - times.filter((t) => t <= end - windowSeconds).at(-1)!;
      expect(covered).toBeGreaterThan(windowSeconds * 0.9);
      const measuredSeconds = coverage[host.name]! * windowSeconds;
      expect(measuredSeconds, `${host.name}: measured ${measuredSeconds} s of ${windowSeconds} s`).toBeGreaterThan(windowSeconds * 0.5);
      const expected = (host.packageWatts * measuredSeconds) / 3.6e6;
      console.info(`[fleet-store] ${host.name} energy over ${windowSeconds} s (measured ${measuredSeconds.toFixed(0)} s; readings ${covered.toFixed(3)} s apart): ${(kwh[host.name]! * 3.6e6).toFixed(1)} J for ${(host.packageWatts * measuredSeconds).toFixed(1)} J simulated`);
      expect(Math.abs(kwh[host.name]! - expected) / expected, `${host.name}: ${kwh[host.name]} kWh vs ${expected} kWh`).toBeLessThanOrEqual(0.01);
    }
  }, 150_000);
});
