/**
 * Faults survived with nothing lost, with the real binaries (issue 22, item 5): a collector of the
 * harness (real Prometheus, node_exporter, Scaphandre, blackbox) remote_writes with the rendered
 * settings to the fleet store of `fleet-store-harness.ts` (VictoriaMetrics + vmauth 1.145), and
 *
 * - vmauth is killed and started again: the collector retries, the store holds every sample;
 * - VictoriaMetrics is killed with SIGKILL and started again on the same data: what it held before
 *   the kill is still there, the collector resumes and re-sends the outage from its WAL;
 * - the collector's Prometheus is killed with SIGKILL and started again on the same TSDB: the store
 *   holds every sample the collector's TSDB holds (the WAL replays), and no gap beyond the time the
 *   collector itself was not scraping;
 * - Alertmanager (0.33, from the synthesized files) is restarted on its data directory: its silence
 *   and its notification log survive, so neither a silenced alert nor an already notified one
 *   reaches the loopback webhook again, while a new alert does.
 *
 * "Every sample" is counted per series: every series of the host the collector's own TSDB holds over
 * the window (from 10 s before the fault to 10 s after the recovery), each of its samples looked up
 * by timestamp in the store (read through vmauth as the reader, `nocache=1` so VictoriaMetrics does
 * not hide the last 30 s, see `-search.latencyOffset`). The scrape interval is 2 s, as in the other
 * harness tests, and the store deduplicates at 2 s as the app sets it.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TerraformVariable } from 'cdktf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alertmanager, ALERTMANAGER_PATHS } from '../../src/hub/alertmanager';
import { CertificateAuthority } from '../../src/constructs/certificate-authority';
import { GeneratedCredentials } from '../../src/constructs/credentials';
import { FLEET_REMOTE_WRITE_QUEUE, fleetRemoteWrite } from '../../src/hub/fleet-store';
import { materializeUploads } from '../support/deployed-files';
import { containerNamed, synthConstructs } from '../support/synth';
import { makeTestSecrets, type TestSecrets } from '../support/test-secrets';
import { buildFleetStore, type StoreHarness, startFleetStore, STORE_HOST_NAME, type StoreSecrets, withStorePasswords } from './fleet-store-harness';
import { type Harness, listenOnLoopback, startHarness } from './harness';
import { allocateLoopback, COMPONENT_PORTS } from './loopback';
import { type ManagedProcess, startProcess } from './processes';
import { httpsGet, httpsPost, type PrometheusEndpoint, query, type QueryOutcome, seriesOf } from './prometheus-api';
import { REPO_ROOT, toolPath } from './tools';
import { startWebhookStub, type WebhookStub } from './webhook-stub';
import { SCAPHANDRE_CMDLINE_MAX_LENGTH } from '../../src/components/scaphandre/scaphandre';
import { BIND_MOUNTS_SCRIPT } from './mount-namespace';

const SCRAPE_SECONDS = 2;
const HOST = 'fault-host';
/** How long vmauth and VictoriaMetrics stay down. */
const DOWN_MS = 10_000;
/** The queue's batch_send_deadline: the longest a scraped sample waits in remote_write's queue when nothing is wrong. */
const BATCH_SEND_DEADLINE_SECONDS = FLEET_REMOTE_WRITE_QUEUE.batchSendDeadlineSeconds ?? 5;
/**
 * How far back a SIGKILL of VictoriaMetrics may lose rows it acknowledged, counted from the time
 * they reach it: its in-memory rows are written to disk every `-inmemoryDataFlushInterval` (5 s,
 * left at its default) after up to ~2 s as pending rows. Measured: lost rows scraped 4-14 s before
 * the kill (remote_write 1-5 s behind); the bound leaves room for a loaded machine.
 */
const VICTORIA_METRICS_UNFLUSHED_SECONDS = 20;
/** Longer than VictoriaMetrics' `-maxLabelValueLen` (4,096 bytes), which would make the store ignore the series. */
const LONG_COMMAND_LINE_CHARACTERS = 5000;
/** The window of each count: this long before the fault and after the recovery. */
const MARGIN_SECONDS = 10;

const now = () => Date.now() / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns true; throws with the last value after `timeoutMs`. */
async function pollUntil(what: string, check: () => Promise<true | string>, timeoutMs: number, everyMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    const result = await check().catch((error) => String(error));
    if (result === true) return;
    last = result;
    if (Date.now() > deadline) throw new Error(`${what}: not reached after ${timeoutMs} ms (last: ${last})`);
    await sleep(everyMs);
  }
}

/** Sample timestamps (ms) per series (key: the sorted label set), NaN (staleness markers) left out. */
type Samples = Map<string, number[]>;

const seriesKey = (metric: Record<string, string>) =>
  JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : 1)));

function samplesOf(outcome: QueryOutcome, from: number, to: number, what: string): Samples {
  if (!outcome.ok) throw new Error(`${what}: ${outcome.error}`);
  const samples: Samples = new Map();
  for (const series of seriesOf(outcome)) {
    const times = (series.values ?? []).filter(([t, value]) => value !== 'NaN' && t >= from && t <= to).map(([t]) => Math.round(Number(t) * 1000));
    if (times.length > 0) samples.set(seriesKey(series.metric), times);
  }
  return samples;
}

/** Every sample of the host's series in [from, to] in the collector's own TSDB. */
async function collectorSamples(collector: Harness, from: number, to: number): Promise<Samples> {
  return samplesOf(await query(collector.endpoint, `{host="${HOST}"}[${Math.ceil(to - from) + 1}s]`, { time: to }), from, to, 'collector');
}

/** Every sample of the host's series in [from, to] in the store, read through vmauth as the reader, including the last 30 s. */
async function storeSamples(store: StoreHarness, from: number, to: number, selector = `{host="${HOST}"}`): Promise<Samples> {
  const params = new URLSearchParams({ query: `${selector}[${Math.ceil(to - from) + 1}s]`, time: String(to), nocache: '1' });
  const answer = await httpsGet(store.endpoint(), `/api/v1/query?${params}`, 'endpoint', 30_000);
  let outcome: QueryOutcome;
  try {
    const parsed = JSON.parse(answer.body);
    outcome = answer.status === 200 && parsed.status === 'success' ? { ok: true, data: parsed.data } : { ok: false, error: `HTTP ${answer.status} ${answer.body.slice(0, 300)}` };
  } catch {
    outcome = { ok: false, error: `HTTP ${answer.status} ${answer.body.slice(0, 300)}` };
  }
  return samplesOf(outcome, from, to, 'store');
}

/**
 * What VictoriaMetrics keeps of `samples` with `-dedup.minScrapeInterval=intervalMs`: per series, the
 * newest sample of each interval (k·d − d, k·d] (lib/storage/dedup.go, `DeduplicateSamples`). A scrape
 * or rule evaluation that runs late on a loaded machine can land in its successor's interval, and then
 * the store keeps one of the two by design: that is deduplication, not loss.
 */
function deduplicated(samples: Samples, intervalMs: number): Samples {
  const kept: Samples = new Map();
  for (const [key, times] of samples) {
    const newestPerInterval = new Map<number, number>();
    for (const t of times) {
      const end = Math.ceil(t / intervalMs) * intervalMs;
      newestPerInterval.set(end, Math.max(t, newestPerInterval.get(end) ?? -Infinity));
    }
    kept.set(key, [...newestPerInterval.values()].sort((a, b) => a - b));
  }
  return kept;
}

/** Expected (collector) vs found (store), per series, and the longest gaps. */
interface Comparison {
  series: number;
  expected: number;
  found: number;
  missing: { series: string; times: number[] }[];
  missingSamples: number;
  /** Timestamps (s) of the oldest and newest missing sample. */
  missingRange?: [number, number];
  /** Longest gap (s) between consecutive samples of a job's `up` series in the store, in that job's scrape intervals, and in the collector. */
  upGapIntervalsStore: number;
  upGapIntervalsCollector: number;
  upGapJob: string;
  /** Longest gap (s) of any series spanning the window, in the store and in the collector. */
  longestGapStore: number;
  longestGapCollector: number;
  summary: string;
}

/** The scrape interval (s) of a series: the median step between its samples in the collector. */
function intervalOf(times: number[]): number {
  const steps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
  return (steps[Math.floor(steps.length / 2)] ?? 0) / 1000;
}

const gapOf = (times: number[]) => Math.max(0, ...times.slice(1).map((t, i) => t - times[i]!)) / 1000;

function compare(expected: Samples, found: Samples, from: number, to: number, faultAt?: number): Comparison {
  let expectedCount = 0;
  let foundCount = 0;
  const missing: Comparison['missing'] = [];
  let longestGapStore = 0;
  let longestGapCollector = 0;
  let upGapIntervalsStore = 0;
  let upGapIntervalsCollector = 0;
  let upGapJob = '';
  for (const [key, times] of expected) {
    expectedCount += times.length;
    const stored = [...(found.get(key) ?? [])].sort((a, b) => a - b);
    const storedSet = new Set(stored);
    foundCount += times.filter((t) => storedSet.has(t)).length;
    const lost = times.filter((t) => !storedSet.has(t));
    if (lost.length > 0) missing.push({ series: key, times: lost });
    // Gaps only for series that span the window (not Scaphandre's per-process series coming and going).
    if (times[0]! <= (from + 5) * 1000 && times.at(-1)! >= (to - 5) * 1000) {
      longestGapCollector = Math.max(longestGapCollector, gapOf(times));
      longestGapStore = Math.max(longestGapStore, gapOf(stored));
      const labels = Object.fromEntries(JSON.parse(key) as [string, string][]);
      if (labels.__name__ === 'up') {
        const interval = intervalOf(times);
        const storeIntervals = gapOf(stored) / interval;
        if (storeIntervals > upGapIntervalsStore) {
          upGapIntervalsStore = storeIntervals;
          upGapJob = `${labels.job} (every ${interval} s)`;
        }
        upGapIntervalsCollector = Math.max(upGapIntervalsCollector, gapOf(times) / interval);
      }
    }
  }
  const missingTimes = missing.flatMap((m) => m.times);
  const missingRange: [number, number] | undefined = missingTimes.length > 0 ? [Math.min(...missingTimes) / 1000, Math.max(...missingTimes) / 1000] : undefined;
  const missingSamples = expectedCount - foundCount;
  const relative = (t: number) => (faultAt === undefined ? t.toFixed(3) : `${t - faultAt >= 0 ? '+' : ''}${(t - faultAt).toFixed(1)} s`);
  const summary =
    `${expected.size} series, ${expectedCount} samples expected (the collector's TSDB), ${foundCount} found in the store, ${missingSamples} missing in ${missing.length} series` +
    (missingRange ? ` (scraped from ${relative(missingRange[0])} to ${relative(missingRange[1])} of the fault)` : '') +
    `; longest gap of an up series in the store ${upGapIntervalsStore.toFixed(2)} scrape intervals (${upGapJob}), in the collector ${upGapIntervalsCollector.toFixed(2)}; ` +
    `longest gap of any series in the store ${longestGapStore.toFixed(3)} s, in the collector ${longestGapCollector.toFixed(3)} s; window ${(to - from).toFixed(1)} s` +
    (missing.length > 0 ? `; first missing: ${missing.slice(0, 2).map((m) => `${m.series.slice(0, 90)} at ${m.times.slice(0, 3).map((t) => relative(t / 1000)).join(',')}`).join(' | ')}` : '');
  return { series: expected.size, expected: expectedCount, found: foundCount, missing, missingSamples, missingRange, upGapIntervalsStore, upGapIntervalsCollector, upGapJob, longestGapStore, longestGapCollector, summary };
}

describe('the fleet path survives its faults without losing a sample', () => {
  let secrets: TestSecrets & StoreSecrets;
  let store: StoreHarness;
  let collector: Harness;
  /** A process whose command line is longer than the store accepts as a label value. */
  let longCommand: ManagedProcess;
  const figures: Record<string, string> = {};

  /** Waits until the store shows the collector's samples up to `until`, then compares the window. */
  async function compareWindow(from: number, until: number, faultAt: number): Promise<Comparison> {
    const reference = `up{host="${HOST}", job="prometheus"}`;
    await pollUntil('now() past the window', async () => now() >= until + 1 || 'not yet', 60_000, 250);
    await pollUntil(
      'the store caught up past the window',
      async () => {
        const latest = Math.max(0, ...[...(await storeSamples(store, until - 30, now(), reference)).values()].flat());
        return latest >= until * 1000 || `latest sample in the store at ${(latest / 1000).toFixed(3)}, waiting for ${until.toFixed(3)}`;
      },
      60_000,
    );
    // remote_write spreads series over shards that send on their own: one series past the window does
    // not mean every series is. Wait until the window's count in the store holds still for a batch
    // deadline (bounded), so a sample still on its way is not counted as lost.
    const count = async () => [...(await storeSamples(store, from, until)).values()].reduce((sum, times) => sum + times.length, 0);
    let last = await count();
    await pollUntil(
      'the store settled for the window',
      async () => {
        await sleep((BATCH_SEND_DEADLINE_SECONDS + 1) * 1000);
        const current = await count();
        const settled = current === last;
        last = current;
        return settled || `still arriving: ${current} samples`;
      },
      45_000,
      0,
    );
    // The collector's TSDB is the truth, read after the store caught up (and after any WAL replay),
    // less what the store's deduplication drops by design.
    const expected = deduplicated(await collectorSamples(collector, from, until), SCRAPE_SECONDS * 1000);
    const found = await storeSamples(store, from, until);
    return compare(expected, found, from, until, faultAt);
  }

  /** How far (s) remote_write is behind the newest sample Prometheus appended. */
  async function remoteWriteLag(): Promise<number> {
    const expr = 'max(prometheus_remote_storage_highest_timestamp_in_seconds) - max(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{remote_name="fleet"})';
    return Math.max(0, Number(seriesOf(await collector.query(expr))[0]?.value?.[1] ?? NaN));
  }

  async function remoteWriteCounter(name: string): Promise<number> {
    return Number(seriesOf(await collector.query(`sum(${name}{remote_name="fleet"})`))[0]?.value?.[1] ?? NaN);
  }

  beforeAll(async () => {
    secrets = withStorePasswords(makeTestSecrets(['localhost', '127.0.0.1', 'host.docker.internal', STORE_HOST_NAME]));
    // A little CPU so Scaphandre gives it power; the busy loop is a shell builtin, so this very
    // process (with its long command line) is the one Scaphandre sees.
    longCommand = startProcess('bash', ['-c', `: ${'x'.repeat(LONG_COMMAND_LINE_CHARACTERS)}; while :; do for i in {1..2000}; do :; done; sleep 0.1; done`], { name: 'long-command-line' });
    store = await startFleetStore(secrets, { dedupMinScrapeIntervalSeconds: SCRAPE_SECONDS });
    collector = await startHarness({
      hostName: HOST,
      scrapeIntervalSeconds: SCRAPE_SECONDS,
      secrets,
      configure: (built, scope) => built.prometheus.addRemoteWrite(fleetRemoteWrite(buildFleetStore(scope, { dedupMinScrapeIntervalSeconds: SCRAPE_SECONDS }).writeTarget())),
      extraHosts: { [STORE_HOST_NAME]: store.address },
    });
    await collector.waitForTargetsUp();
    // MARGIN_SECONDS of the collector's data in the store before the first fault.
    const since = now();
    await pollUntil(
      'the collector\'s samples in the store',
      async () => {
        const times = [...(await storeSamples(store, since - 60, now(), `up{host="${HOST}", job="prometheus"}`)).values()].flat();
        return (times.length > 0 && Math.min(...times) <= (now() - MARGIN_SECONDS) * 1000) || `${times.length} samples of up so far`;
      },
      90_000,
    );
  }, 180_000);

  afterAll(async () => {
    await longCommand?.stop();
    await collector?.stop();
    await store?.stop();
    if (secrets) rmSync(secrets.tls.dir, { recursive: true, force: true });
    if (Object.keys(figures).length > 0) console.info(`[faults] measured:\n${Object.entries(figures).map(([name, text]) => `${name}: ${text}`).join('\n')}`);
  });

  it('a process whose command line is over the store\'s 4,096-byte label limit reaches the store, its cmdline cut to 1,000 characters', async () => {
    const selector = `scaph_process_power_consumption_microwatts{host="${HOST}", pid="${longCommand.pid}"}`;
    let cmdline = '';
    await pollUntil(
      'the long command line\'s power series in the store',
      async () => {
        const series = [...(await storeSamples(store, now() - 30, now(), selector)).keys()];
        cmdline = Object.fromEntries(JSON.parse(series[0] ?? '[]') as [string, string][]).cmdline ?? '';
        return series.length === 1 || `${series.length} series of pid ${longCommand.pid}`;
      },
      60_000,
    );
    expect(cmdline.length).toBe(SCAPHANDRE_CMDLINE_MAX_LENGTH);
    expect(cmdline.slice(0, 40)).toMatch(/^bash.*: x+$/);
  }, 90_000);

  it('vmauth killed and started again 10 s later: the collector retries, the store holds every sample', async () => {
    const retriedBefore = await remoteWriteCounter('prometheus_remote_storage_samples_retried_total');
    const { killedAt, readyAt } = await store.restartProcess('vmauth', 'SIGKILL', DOWN_MS);
    const result = await compareWindow(killedAt - MARGIN_SECONDS, readyAt + MARGIN_SECONDS, killedAt);
    const retried = (await remoteWriteCounter('prometheus_remote_storage_samples_retried_total')) - retriedBefore;
    const failed = await remoteWriteCounter('prometheus_remote_storage_samples_failed_total');
    figures.vmauth = `down ${(readyAt - killedAt).toFixed(1)} s; ${result.summary}; retried ${retried}, failed ${failed}`;
    expect(result.series, figures.vmauth).toBeGreaterThan(500);
    expect(retried, `samples retried while vmauth was down (expected > 0): ${figures.vmauth}`).toBeGreaterThan(0);
    expect(result.missingSamples, `expected ${result.expected} samples, found ${result.found}: ${figures.vmauth}`).toBe(0);
    expect(result.upGapIntervalsStore, `longest gap of an up series in the store, expected <= 2 scrape intervals: ${figures.vmauth}`).toBeLessThanOrEqual(2.05);
    expect(result.longestGapStore, `longest gap of any series in the store, expected <= the collector's own: ${figures.vmauth}`).toBeLessThanOrEqual(result.longestGapCollector + 0.001);
    expect(failed, figures.vmauth).toBe(0);
  }, 120_000);

  it('VictoriaMetrics killed with SIGKILL and started again on its data: what it held before its last unflushed seconds is still there, the outage is re-sent from the WAL', async () => {
    // What the store acknowledged and showed before the kill: every sample of the host up to now.
    const start = collector.startedAt - 5;
    // Enough data older than the unflushed seconds for the check below to mean something (when this test runs alone).
    await pollUntil('data older than the unflushed seconds', async () => now() - collector.startedAt > VICTORIA_METRICS_UNFLUSHED_SECONDS + 20 || 'not yet', 60_000);
    const lag = await remoteWriteLag();
    const before = await storeSamples(store, start, now());
    const countBefore = [...before.values()].reduce((sum, times) => sum + times.length, 0);
    const lastBefore = Math.max(...[...before.values()].flat()) / 1000;
    const { killedAt, readyAt } = await store.restartProcess('victoria-metrics', 'SIGKILL', DOWN_MS);
    // The same samples after the restart (the same series, the same timestamps).
    const after = await storeSamples(store, start, lastBefore);
    const kept = compare(before, after, start, lastBefore, killedAt);
    const durable = killedAt - VICTORIA_METRICS_UNFLUSHED_SECONDS - lag;
    const olderThanDurable = (samples: Samples) => [...samples.values()].flat().filter((t) => t < durable * 1000).length;
    const expectedOld = olderThanDurable(before);
    const lostOld = kept.missing.flatMap((m) => m.times).filter((t) => t < durable * 1000).length;
    const result = await compareWindow(killedAt - MARGIN_SECONDS, readyAt + MARGIN_SECONDS, killedAt);
    const missingAfterKill = result.missing.map((m) => ({ series: m.series, times: m.times.filter((t) => t >= killedAt * 1000) })).filter((m) => m.times.length > 0);
    const lostAfterKill = missingAfterKill.reduce((sum, m) => sum + m.times.length, 0);
    figures.victoriaMetrics =
      `down ${(readyAt - killedAt).toFixed(1)} s; remote_write ${lag.toFixed(1)} s behind at the kill; before the kill the store showed ${countBefore} samples in ${before.size} series (the newest scraped ${(killedAt - lastBefore).toFixed(1)} s before the kill), ` +
      `after the restart ${kept.found} of them: ${kept.missingSamples} lost${kept.missingRange ? `, scraped ${(killedAt - kept.missingRange[0]).toFixed(1)} to ${(killedAt - kept.missingRange[1]).toFixed(1)} s before the kill` : ''}, ` +
      `${lostOld} of them scraped before ${(killedAt - durable).toFixed(1)} s before the kill; window: ${result.summary}; missing scraped after the kill: ${lostAfterKill}` +
      missingAfterKill.slice(0, 3).map((m) => ` | ${m.series.slice(0, 120)} at ${m.times.slice(0, 3).map((t) => `+${(t / 1000 - killedAt).toFixed(1)} s`).join(',')}`).join('');
    expect(countBefore, figures.victoriaMetrics).toBeGreaterThan(10_000);
    // VictoriaMetrics keeps its newest rows in memory (-inmemoryDataFlushInterval, 5 s by default) and
    // a SIGKILL loses them; remote_write got its 2xx and does not send them again. All older data stays.
    expect(expectedOld, figures.victoriaMetrics).toBeGreaterThan(10_000);
    expect(lostOld, `samples shown before the kill and scraped more than ${(killedAt - durable).toFixed(1)} s before it: ${expectedOld} expected after the restart, ${expectedOld - lostOld} found: ${figures.victoriaMetrics}`).toBe(0);
    // The outage itself is re-sent from the collector's WAL: nothing scraped after the kill is missing, no gap.
    expect(lostAfterKill, `samples scraped after the kill missing in the store (expected 0): ${figures.victoriaMetrics}`).toBe(0);
    const sinceKill = compare(deduplicated(await collectorSamples(collector, killedAt, readyAt + MARGIN_SECONDS), SCRAPE_SECONDS * 1000), await storeSamples(store, killedAt, readyAt + MARGIN_SECONDS), killedAt, readyAt + MARGIN_SECONDS, killedAt);
    expect(sinceKill.upGapIntervalsStore, `from the kill on, longest gap of an up series in the store, expected <= 2 scrape intervals: ${sinceKill.summary}`).toBeLessThanOrEqual(2.05);
  }, 150_000);

  it('the collector\'s Prometheus killed with SIGKILL and started on the same TSDB: the WAL replays, the store holds every sample but the batch in flight', async () => {
    const lag = await remoteWriteLag();
    const beforeKill = now();
    const collectorBefore = await collectorSamples(collector, beforeKill - 30, beforeKill);
    const { killedAt, readyAt } = await collector.restartPrometheus('SIGKILL');
    // The WAL replays: every sample the collector held before the kill, it holds after.
    const replayed = compare(collectorBefore, await collectorSamples(collector, beforeKill - 30, beforeKill), beforeKill - 30, beforeKill);
    await collector.waitForTargetsUp();
    const result = await compareWindow(killedAt - MARGIN_SECONDS, readyAt + MARGIN_SECONDS, killedAt);
    // Prometheus's remote_write starts again at the restart's time (prometheus/prometheus#8809): what
    // its queue had not sent when it was killed stays in the collector's TSDB but never reaches the store.
    const inFlightFrom = killedAt - lag - BATCH_SEND_DEADLINE_SECONDS - SCRAPE_SECONDS;
    const missingOutsideBatch = result.missing.map((m) => ({ series: m.series, times: m.times.filter((t) => t < inFlightFrom * 1000 || t > killedAt * 1000) })).filter((m) => m.times.length > 0);
    const lostOutsideBatch = missingOutsideBatch.reduce((sum, m) => sum + m.times.length, 0);
    figures.prometheus =
      `killed, ready again after ${(readyAt - killedAt).toFixed(1)} s; WAL replay: ${replayed.expected} samples of the last 30 s before the kill, ${replayed.found} after the restart; ` +
      `remote_write ${lag.toFixed(1)} s behind at the kill; ${result.summary}; lost outside the last ${(killedAt - inFlightFrom).toFixed(1)} s before the kill: ${lostOutsideBatch}` +
      missingOutsideBatch.slice(0, 3).map((m) => ` | ${m.series.slice(0, 120)} at ${m.times.slice(0, 3).map((t) => `${(t / 1000 - killedAt).toFixed(1)} s`).join(',')}`).join('');
    expect(replayed.expected, figures.prometheus).toBeGreaterThan(10_000);
    expect(replayed.missingSamples, `samples in the collector before the kill ${replayed.expected}, after the restart ${replayed.found}: ${figures.prometheus}`).toBe(0);
    expect(result.series, figures.prometheus).toBeGreaterThan(500);
    expect(lostOutsideBatch, `samples missing in the store other than the batch in flight at the kill (expected 0, ${result.expected} expected in all, ${result.found} found): ${figures.prometheus}`).toBe(0);
    // While it is dead nothing scrapes: the collector's own gap (its restart and first scrapes) is
    // the store's, plus at most the scrapes of the lost batch.
    const batchIntervals = Math.ceil((killedAt - inFlightFrom) / SCRAPE_SECONDS);
    expect(result.upGapIntervalsStore, `longest gap of an up series in the store vs the collector's own (+${batchIntervals} intervals at most for the lost batch): ${figures.prometheus}`).toBeLessThanOrEqual(result.upGapIntervalsCollector + batchIntervals + 0.05);
    expect(result.upGapIntervalsCollector * SCRAPE_SECONDS, `the collector's own gap, expected under 30 s: ${figures.prometheus}`).toBeLessThan(30);
  }, 150_000);
});

// ---------------------------------------------------------------------------------------------

describe('Alertmanager restarted on its data directory keeps its silences and notification log', () => {
  let webhook: WebhookStub;
  let secrets: TestSecrets;
  let amRoot: string;
  let amData: string;
  let command: string[];
  let alertmanager: ManagedProcess | undefined;
  let endpoint: PrometheusEndpoint;

  const launch = async () => {
    const proc = startProcess(
      BIND_MOUNTS_SCRIPT,
      [
        '-b', `${path.join(amRoot, 'etc/alertmanager')}:/etc/alertmanager`,
        '-b', `${amData}:${ALERTMANAGER_PATHS.data}`,
        '-b', `${path.join(REPO_ROOT, '.tools/root/usr/share/prometheus/alertmanager')}:/usr/share/prometheus/alertmanager`,
        toolPath('alertmanager'),
        ...command,
      ],
      { name: 'alertmanager' },
    );
    alertmanager = proc;
    await pollUntil(
      'Alertmanager ready',
      async () => {
        if (proc.exitInfo()) throw new Error(`alertmanager exited: ${proc.output()}`);
        return (await httpsGet(endpoint, '/-/ready')).status === 200 || 'not yet';
      },
      30_000,
      250,
    );
  };

  /** Posts firing alerts as Prometheus does (it re-sends them while they fire). */
  const postAlerts = async (names: string[]) => {
    const body = JSON.stringify(
      names.map((alertname) => ({
        labels: { alertname, host: 'fault-host', severity: 'warning' },
        annotations: { summary: `${alertname} test alert` },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      })),
    );
    const answer = await httpsPost(endpoint, '/api/v2/alerts', Buffer.from(body), { 'Content-Type': 'application/json' });
    expect(answer.status, answer.body).toBe(200);
  };

  const silences = async () =>
    (JSON.parse((await httpsGet(endpoint, '/api/v2/silences')).body) as { id: string; status: { state: string }; matchers: { name: string; value: string }[] }[]).filter(
      (s) => s.status.state === 'active',
    );

  beforeAll(async () => {
    webhook = await startWebhookStub();
    secrets = makeTestSecrets(['localhost', '127.0.0.1']);
    const plan = await allocateLoopback();
    const synth = synthConstructs((scope) => {
      const ca = new CertificateAuthority(scope, 'ca', { commonName: 'test hub CA' });
      new Alertmanager(scope, 'alertmanager', {
        certificate: ca.issueServerCertificate('alertmanager-cert', 'Alertmanager', ['localhost']),
        credentials: new GeneratedCredentials(scope, 'credentials', { field: 'Alertmanager', username: 'prometheus' }),
        receivers: [{ name: 'loopback-hook', kind: 'webhook', url: `http://127.0.0.1:${webhook.port}/hook`, bearerToken: new TerraformVariable(scope, 'hook_token', { type: 'string', sensitive: true }).stringValue }],
        groupWaitSeconds: 1,
        groupIntervalSeconds: 2,
      });
    });
    const container = containerNamed(synth, 'peekstack-alertmanager');
    amRoot = materializeUploads(container as never, secrets, { hook_token: 'fault-test-token' });
    amData = mkdtempSync(path.join(tmpdir(), 'peekstack-alertmanager-'));
    command = listenOnLoopback(container.command as string[], plan.alertmanager);
    endpoint = { address: plan.alertmanager, port: COMPONENT_PORTS.alertmanager, caPem: secrets.caPem, serverName: 'localhost', username: 'prometheus', password: secrets.password };
    await launch();
  }, 60_000);

  afterAll(async () => {
    await alertmanager?.stop();
    await webhook?.stop();
    for (const dir of [amRoot, amData]) if (dir) rmSync(dir, { recursive: true, force: true });
    if (secrets) rmSync(secrets.tls.dir, { recursive: true, force: true });
  });

  it('after a restart the silence is still active and still silences, and an alert already notified is not notified again', async () => {
    // A silence for one alert, as an operator sets it (amtool / the UI call this API).
    const created = await httpsPost(
      endpoint,
      '/api/v2/silences',
      Buffer.from(JSON.stringify({
        matchers: [{ name: 'alertname', value: 'FaultSilenced', isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: 'faults.test.ts',
        comment: 'planned work',
      })),
      { 'Content-Type': 'application/json' },
    );
    expect(created.status, created.body).toBe(200);
    const silenceId = JSON.parse(created.body).silenceID as string;

    // Before the restart: the notified alert reaches the webhook once, the silenced one never.
    await postAlerts(['FaultNotified', 'FaultSilenced']);
    await pollUntil('FaultNotified at the webhook', async () => webhook.firingSince(0).includes('FaultNotified') || 'not yet', 20_000, 200);
    const state = JSON.parse((await httpsGet(endpoint, '/api/v2/alerts')).body) as { labels: Record<string, string>; status: { state: string; silencedBy: string[] } }[];
    expect(state.find((a) => a.labels.alertname === 'FaultSilenced')?.status).toMatchObject({ state: 'suppressed', silencedBy: [silenceId] });

    // Restarted as `docker restart` does it (SIGTERM), on the same data directory (the volume).
    await alertmanager!.stop();
    const files = Object.fromEntries(readdirSync(amData).map((name) => [name, statSync(path.join(amData, name)).size]));
    const restartedAt = Date.now();
    await launch();

    const active = await silences();
    // Prometheus sends its firing alerts again (Alertmanager keeps alerts in memory only), and a new one fires.
    await postAlerts(['FaultNotified', 'FaultSilenced', 'FaultAfterRestart']);
    await pollUntil('FaultAfterRestart at the webhook', async () => webhook.firingSince(restartedAt).includes('FaultAfterRestart') || 'not yet', 20_000, 200);
    // Two more group intervals: anything else due would have been sent by now.
    await sleep(2 * 2000 + 1000);
    const after = webhook.firingSince(restartedAt);
    const summary = `data directory after the stop: ${JSON.stringify(files)}; active silences after the restart: ${JSON.stringify(active.map((s) => s.id))} (expected [${silenceId}]); notified after the restart: ${JSON.stringify(after)} (expected ["FaultAfterRestart"])`;
    console.info(`[faults] alertmanager: ${summary}`);
    expect(active.map((s) => s.id), summary).toEqual([silenceId]);
    expect(after, summary).toEqual(['FaultAfterRestart']);
    const stateAfter = JSON.parse((await httpsGet(endpoint, '/api/v2/alerts')).body) as { labels: Record<string, string>; status: { state: string; silencedBy: string[] } }[];
    expect(stateAfter.find((a) => a.labels.alertname === 'FaultSilenced')?.status, summary).toMatchObject({ state: 'suppressed', silencedBy: [silenceId] });
  }, 90_000);
});
