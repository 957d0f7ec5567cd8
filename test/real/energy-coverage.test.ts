/**
 * Energy that counts only measured time, through the collector and through the fleet store, on a
 * fleet minutes old: the cases where energy used to be wrong (issue 21, item 0).
 *
 * Two collectors of the harness (real Prometheus, node_exporter, Scaphandre) remote_write to the
 * fleet store (VictoriaMetrics + vmauth), both started minutes before they are read:
 * - `host-a`, two sockets (50 W + 30 W), scraped every 5 s: socket 1's package counter wraps at its
 *   real `max_energy_range_uj` inside the window;
 * - `host-b`, 20 W, scraped every 2 s: its whole collector (Prometheus and exporters) is stopped in
 *   the middle of the window, so it is down for the second half.
 * Read at a 6 h range (the dashboards' default; the fleet is ~3 minutes old), and over the window
 * (120 s, host-b down for the last 60 s):
 * - the Fleet dashboard's energy, CO₂e, cost and coverage panels (through the store), each host
 *   within 1 % of the simulated energy over the time it was measured;
 * - the power dashboard's energy panels, its coverage and the daily budget alert's expression on
 *   host-a's own Prometheus; its RAPL power panels through the wrap within 2 %;
 * - `peekstack energy` (the compiled CLI) through the store and on the collector.
 *
 * "Measured time" is read from the data, as each figure defines it: a record of the energy rules
 * stands for the evaluation interval ending at its timestamp, so the truth of a sum of records is
 * the simulation's energy from one interval before the first record in the range to the last one;
 * `peekstack energy`'s truth is the simulation over the window's part its samples cover.
 *
 * What differs from production: as in fleet-store.test.ts (loopback addresses, hosts files), and the
 * CLI resolves the store's and host-a's names through a preloaded lookup (`--require`), since Node
 * reads no hosts file of the test's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Construct } from 'constructs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards, POWER_DASHBOARD_UID } from '../../src/components/dashboards';
import { buildFleetDashboard } from '../../src/interface/interface';
import { FLEET_DASHBOARD_UID } from '../../src/interface/fleet-dashboard';
import type { Collector } from '../../src/collector/collector';
import { renderPeekStackRules } from '../../src/components';
import { builtinValuesFor } from '../../src/dashboards/dashboard-queries';
import { DEFAULT_ACCOUNTING_FACTORS } from '../../src/components/energy/factors';
import { integratePower } from '../../src/energy/integrate';
import { fleetRemoteWrite } from '../../src/hub/fleet-store';
import { makeTestSecrets, type TestSecrets } from '../support/test-secrets';
import { panelExpr } from './dashboard-check';
import { CLI, type CliResult } from './energy-cli';
import { buildFleetStore, type StoreHarness, startFleetStore, STORE_HOST_NAME, type StoreSecrets, withStorePasswords } from './fleet-store-harness';
import { type Harness, startHarness } from './harness';
import { expectWithin, measured } from './measure';
import { query, type QueryOutcome, seriesOf } from './prometheus-api';

/** host-a's Prometheus, by a name its certificate holds (the CLI resolves it through the preload). */
const HOST_A_NAME = 'host-a.peekstack.test';
const HOST_A = { name: 'host-a', scrapeSeconds: 5, sockets: [{ package: 50, core: 30 }, { package: 30, core: 20 }] } as const;
const HOST_B = { name: 'host-b', scrapeSeconds: 2, watts: 20, coreWatts: 12 } as const;
const HOST_A_WATTS = 80;
/** Socket 1's package counter of host-a wraps this long after its simulation starts. */
const WRAP_AFTER_SECONDS = 110;
/** How long socket 1 runs faster to move its wrap (see beforeAll). */
const BOOST_SECONDS = 5;
/** The window: from 40 s before the wrap; host-b stops after its first half. */
const WINDOW_SECONDS = 120;
const HALF_SECONDS = 60;
const SIX_HOURS = 6 * 3600;
/** VictoriaMetrics' `-search.latencyOffset` (30 s) and a margin. */
const SETTLED_SECONDS = 35;

const now = () => Date.now() / 1000;
const sleepUntil = (unixSeconds: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, unixSeconds * 1000 - Date.now())));
const iso = (unixSeconds: number) => new Date(Math.round(unixSeconds * 1000)).toISOString();

let secrets: TestSecrets & StoreSecrets;
let store: StoreHarness;
let hostA: Harness;
let hostB: Harness | undefined;
let work: string;
let preload: string;
/** The wrap, host-b's stop, and the window's ends (Unix seconds); `end` is one of host-a's evaluations. */
let wrapAt: number;
let from: number;
let hostBStoppedAt: number;
let end: number;

/** Raw samples (NaN staleness markers left out) of `selector` over `seconds` before `at`. */
async function raw(run: (expr: string, opts: { time: number }) => Promise<QueryOutcome>, selector: string, at: number, seconds: number): Promise<[number, number][]> {
  const outcome = await run(`${selector}[${Math.ceil(seconds)}s]`, { time: at });
  if (!outcome.ok) throw new Error(`${selector}: ${outcome.error}`);
  return seriesOf(outcome).flatMap((s) => (s.values ?? []).map(([t, v]): [number, number] => [Number(t), Number(v)])).filter(([, v]) => Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
}

/** One value per host of an instant query. */
async function perHost(run: (expr: string, opts: { time: number }) => Promise<QueryOutcome>, expr: string, at: number): Promise<Record<string, number>> {
  const outcome = await run(expr, { time: at });
  if (!outcome.ok) throw new Error(`${expr}: ${outcome.error}`);
  return Object.fromEntries(seriesOf(outcome).map((s) => [s.metric.host ?? '', Number(s.value![1])]));
}

/** The single value of an instant query. */
async function single(run: (expr: string, opts: { time: number }) => Promise<QueryOutcome>, expr: string, at: number): Promise<number> {
  const outcome = await run(expr, { time: at });
  if (!outcome.ok) throw new Error(`${expr}: ${outcome.error}`);
  const series = seriesOf(outcome);
  if (series.length !== 1) throw new Error(`${expr}: expected one series, got ${JSON.stringify(series).slice(0, 300)}`);
  return Number(series[0]!.value![1]);
}

const storeRun = (expr: string, opts: { time: number }) => store.query(expr, opts);
const hostARun = (expr: string, opts: { time: number }) => query(hostA.endpoint, expr, opts);

/**
 * Simulated joules of a host over the time a sum of its energy records (`record`, in the range
 * `(at - seconds, at]`) stands for: each record, the evaluation interval ending at its timestamp.
 * Where records are missing (a collector down, a scrape missed on a loaded machine), nothing was
 * measured and nothing is counted.
 */
async function recordTruth(host: Harness, record: string, at: number, seconds: number, run = storeRun): Promise<{ joules: number; measuredSeconds: number }> {
  const samples = await raw(run, `${record}{host="${host.hostName}"}`, at, seconds);
  if (samples.length === 0) throw new Error(`no ${record} of ${host.hostName} in the range`);
  const interval = host.scrapeIntervalSeconds; // the evaluation interval: the collector's scrape interval
  // One record per zone for RAPL: the distinct evaluation times.
  const times = [...new Set(samples.map(([t]) => t))];
  return {
    joules: times.reduce((sum, t) => sum + host.rapl.energyJoules((t - interval) * 1000, t * 1000), 0),
    measuredSeconds: times.length * interval,
  };
}

/** `peekstack energy ARGS` with the test's names resolved (see the file's comment). */
function energyCli(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--require', preload, CLI, 'energy', ...args],
      { encoding: 'utf8', timeout: 90_000, env: { ...process.env, PEEKSTACK_TEST_HOSTS: JSON.stringify({ [STORE_HOST_NAME]: store.address, [HOST_A_NAME]: hostA.endpoint.address }) } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

const PRELOAD = `// Test only: resolve the names in PEEKSTACK_TEST_HOSTS (a JSON map) to their loopback addresses.
const dns = require('node:dns');
const hosts = JSON.parse(process.env.PEEKSTACK_TEST_HOSTS || '{}');
const lookup = dns.lookup;
dns.lookup = function (name, options, callback) {
  if (typeof options === 'function') { callback = options; options = {}; }
  const address = hosts[name];
  if (address === undefined) return lookup.call(this, name, options, callback);
  if (options && options.all) return process.nextTick(callback, null, [{ address, family: 4 }]);
  return process.nextTick(callback, null, address, 4);
};
`;

interface JsonRow {
  host: string;
  scope: string;
  joules: number | null;
  coverage: number;
  meanWatts: number | null;
}

beforeAll(async () => {
  secrets = withStorePasswords(makeTestSecrets(['localhost', '127.0.0.1', 'host.docker.internal', STORE_HOST_NAME, HOST_A_NAME]));
  work = mkdtempSync(path.join(tmpdir(), 'peekstack-energy-coverage-'));
  preload = path.join(work, 'resolve-test-hosts.cjs');
  writeFileSync(preload, PRELOAD);
  writeFileSync(path.join(work, 'reader.password'), `${secrets.reader.password}\n`);
  writeFileSync(path.join(work, 'collector.password'), `${secrets.password}\n`);
  store = await startFleetStore(secrets, { dedupMinScrapeIntervalSeconds: HOST_B.scrapeSeconds });
  const remoteWrite = (host: string) => ({
    secrets,
    extraHosts: { [STORE_HOST_NAME]: store.address },
    hostName: host,
    configure: (collector: Collector, scope: Construct) =>
      collector.prometheus.addRemoteWrite(fleetRemoteWrite(buildFleetStore(scope, { dedupMinScrapeIntervalSeconds: HOST_B.scrapeSeconds }).writeTarget())),
  });
  [hostA, hostB] = await Promise.all([
    startHarness({
      ...remoteWrite(HOST_A.name),
      scrapeIntervalSeconds: HOST_A.scrapeSeconds,
      raplSockets: [
        { package: { watts: HOST_A.sockets[0].package }, core: { watts: HOST_A.sockets[0].core } },
        // A real max_energy_range_uj; the counter starts WRAP_AFTER_SECONDS of 30 W below it.
        { package: { watts: HOST_A.sockets[1].package, wrapAfterSeconds: WRAP_AFTER_SECONDS }, core: { watts: HOST_A.sockets[1].core } },
      ],
    }),
    startHarness({ ...remoteWrite(HOST_B.name), scrapeIntervalSeconds: HOST_B.scrapeSeconds, packageWatts: HOST_B.watts, coreWatts: HOST_B.coreWatts }),
  ]);
  await Promise.all([hostA.waitForTargetsUp(), hostB!.waitForTargetsUp()]);
  // Where the wrap falls between two readings decides what rate() loses across it: up to a scrape
  // interval of the wrapped zone's energy, and its extrapolation stops where the fresh counter would
  // be zero. Put the wrap just before one of node_exporter's scrapes (the worst case) by running
  // socket 1 faster for a few seconds (the simulation logs it: the truth stays exact).
  const n = HOST_A.scrapeSeconds;
  const scrapedAt = await single(hostARun, `timestamp(node_rapl_package_joules_total{host="${HOST_A.name}", index="1"})`, now());
  const natural = hostA.rapl.nextWrapAt('intel-rapl:1') / 1000;
  const target = scrapedAt + Math.floor((natural - scrapedAt) / n) * n - 0.4;
  const boostedAt = now();
  hostA.rapl.setSocketWatts(1, HOST_A.sockets[1].package * (1 + (natural - target) / BOOST_SECONDS), HOST_A.sockets[1].core);
  await sleepUntil(boostedAt + BOOST_SECONDS);
  hostA.rapl.setSocketWatts(1, HOST_A.sockets[1].package, HOST_A.sockets[1].core);
  wrapAt = hostA.rapl.nextWrapAt('intel-rapl:1') / 1000;
  const sinceScrape = ((wrapAt - scrapedAt) % n + n) % n;
  expect(sinceScrape, `the wrap falls ${sinceScrape.toFixed(2)} s after a scrape, not just before the next`).toBeGreaterThan(n - 1);
  // The RAPL power panels are read from 30 s before the wrap, after the boost has left their rate window.
  expect(boostedAt + BOOST_SECONDS + 4 * n + n, 'the collectors started too late for the wrap').toBeLessThan(wrapAt - 30);
  from = wrapAt - 40;
  // Both collectors measure the whole first half: they must have been up before the window starts.
  expect(Math.max(hostA.startedAt, hostB!.startedAt) + 5, 'the collectors started too late for the window').toBeLessThan(from);
  // host-b goes down (its whole collector) in the middle of the window.
  await sleepUntil(from + HALF_SECONDS);
  hostBStoppedAt = now();
  await hostB!.stop();
  // The window ends at one of host-a's evaluations, so host-a's records tile it exactly.
  await sleepUntil(from + WINDOW_SECONDS + 2 * HOST_A.scrapeSeconds);
  // host-a's rules run on a fixed grid: any of its records gives the grid's phase.
  const [[recordedAt]] = await raw(hostARun, `host:energy_kwh:per_evaluation{host="${HOST_A.name}"}`, now(), 120);
  end = Math.round((recordedAt! + Math.floor((from + WINDOW_SECONDS - recordedAt!) / HOST_A.scrapeSeconds) * HOST_A.scrapeSeconds) * 1000) / 1000;
  expect(hostA.rapl.zones().find((z) => z.id === 'intel-rapl:1')!.wraps).toBe(1);
  expect(wrapAt).toBeGreaterThan(from + 30);
  expect(wrapAt).toBeLessThan(end - 40);
  // The store shows data past its latency offset.
  await sleepUntil(end + SETTLED_SECONDS);
  console.info(`[energy-coverage] host-a up ${(end - hostA.startedAt).toFixed(0)} s, host-b up ${(hostBStoppedAt - hostB!.startedAt).toFixed(0)} s; window ${iso(from)} .. ${iso(end)}, wrap at +${(wrapAt - from).toFixed(1)} s, host-b stopped at +${(hostBStoppedAt - from).toFixed(1)} s`);
}, 420_000);

afterAll(async () => {
  await Promise.all([hostA?.stop(), hostB?.stop()]);
  await store?.stop();
  if (secrets) rmSync(secrets.tls.dir, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the Fleet dashboard through the store counts only measured time', () => {
  const fleet = () => buildFleetDashboard([HOST_A.name, HOST_B.name]);
  const values = (rangeSeconds: number) => ({ ...builtinValuesFor(HOST_B.scrapeSeconds, rangeSeconds), host: `${HOST_A.name}|${HOST_B.name}` });
  const fleetExpr = (title: string, rangeSeconds: number) => panelExpr([fleet()], FLEET_DASHBOARD_UID, title, values(rangeSeconds));

  it('a fleet ~3 minutes old read at the default 6 h range: energy per host and of the fleet, CO₂e, cost and coverage (host-b down since the middle of the window)', async () => {
    const truthA = await recordTruth(hostA, 'host:energy_kwh:per_evaluation', end, SIX_HOURS);
    const truthB = await recordTruth(hostB!, 'host:energy_kwh:per_evaluation', end, SIX_HOURS);
    const perHostKwh = await perHost(storeRun, fleetExpr('Energy per host over the range', SIX_HOURS), end);
    const fleetKwh = await single(storeRun, fleetExpr('Fleet energy over the range', SIX_HOURS), end);
    const co2 = await single(storeRun, fleetExpr('Fleet CO₂e over the range', SIX_HOURS), end);
    const cost = await single(storeRun, fleetExpr('Fleet electricity cost over the range', SIX_HOURS), end);
    const coverage = await perHost(storeRun, fleetExpr('Energy measured: share of the range', SIX_HOURS), end);
    const { pue, carbonIntensityGramsPerKwh, pricePerKwh } = DEFAULT_ACCOUNTING_FACTORS;
    const truthKwh = (truthA.joules + truthB.joules) / 3.6e6;
    measured('6 h range, young fleet: "Energy per host" host-a (J)', perHostKwh[HOST_A.name]! * 3.6e6, truthA.joules);
    measured('6 h range, young fleet: "Energy per host" host-b, down half the window (J)', perHostKwh[HOST_B.name]! * 3.6e6, truthB.joules);
    measured('6 h range, young fleet: "Fleet energy over the range" (J)', fleetKwh * 3.6e6, truthKwh * 3.6e6);
    measured('6 h range, young fleet: "Fleet CO₂e over the range" (g)', co2, truthKwh * pue * carbonIntensityGramsPerKwh);
    measured('6 h range, young fleet: "Fleet electricity cost over the range"', cost, truthKwh * pue * pricePerKwh);
    measured('6 h range, young fleet: coverage host-a', coverage[HOST_A.name]!, truthA.measuredSeconds / SIX_HOURS);
    measured('6 h range, young fleet: coverage host-b', coverage[HOST_B.name]!, truthB.measuredSeconds / SIX_HOURS);
    expectWithin(perHostKwh[HOST_A.name], truthA.joules / 3.6e6, 0.01, 'host-a energy at 6 h (kWh)');
    expectWithin(perHostKwh[HOST_B.name], truthB.joules / 3.6e6, 0.01, 'host-b energy at 6 h (kWh)');
    expectWithin(fleetKwh, truthKwh, 0.01, 'fleet energy at 6 h (kWh)');
    expectWithin(co2, truthKwh * pue * carbonIntensityGramsPerKwh, 0.01, 'fleet CO₂e at 6 h (g)');
    expectWithin(cost, truthKwh * pue * pricePerKwh, 0.01, 'fleet cost at 6 h');
    expectWithin(coverage[HOST_A.name], truthA.measuredSeconds / SIX_HOURS, 0.01, 'host-a coverage at 6 h');
    expectWithin(coverage[HOST_B.name], truthB.measuredSeconds / SIX_HOURS, 0.01, 'host-b coverage at 6 h');
    expect(coverage[HOST_A.name]).toBeLessThan(0.02); // minutes of 6 h
  });

  it(`host-b down for the second half of a ${WINDOW_SECONDS} s window: its energy counts the first half only, its coverage says half`, async () => {
    const truthA = await recordTruth(hostA, 'host:energy_kwh:per_evaluation', end, WINDOW_SECONDS);
    const truthB = await recordTruth(hostB!, 'host:energy_kwh:per_evaluation', end, WINDOW_SECONDS);
    const perHostKwh = await perHost(storeRun, fleetExpr('Energy per host over the range', WINDOW_SECONDS), end);
    const coverage = await perHost(storeRun, fleetExpr('Energy measured: share of the range', WINDOW_SECONDS), end);
    measured(`${WINDOW_SECONDS} s window: "Energy per host" host-a, wrap inside (J)`, perHostKwh[HOST_A.name]! * 3.6e6, truthA.joules);
    measured(`${WINDOW_SECONDS} s window: "Energy per host" host-b, down for the second half (J)`, perHostKwh[HOST_B.name]! * 3.6e6, truthB.joules);
    measured(`${WINDOW_SECONDS} s window: coverage host-b`, coverage[HOST_B.name]!, truthB.measuredSeconds / WINDOW_SECONDS);
    // host-a's records tile the window (nearly: unless a scrape was missed on a loaded machine).
    expect(truthA.measuredSeconds).toBeGreaterThan(WINDOW_SECONDS * 0.9);
    expectWithin(perHostKwh[HOST_A.name], truthA.joules / 3.6e6, 0.01, 'host-a energy over the window (kWh)');
    expectWithin(perHostKwh[HOST_B.name], truthB.joules / 3.6e6, 0.01, 'host-b energy over the window (kWh)');
    expectWithin(coverage[HOST_A.name], truthA.measuredSeconds / WINDOW_SECONDS, 0.01, 'host-a coverage of the window');
    expectWithin(coverage[HOST_B.name], truthB.measuredSeconds / WINDOW_SECONDS, 0.01, 'host-b coverage of the window');
    expect(coverage[HOST_B.name]).toBeGreaterThan(0.4);
    expect(coverage[HOST_B.name]).toBeLessThan(0.6);
  });
});

describe('peekstack energy through the store', () => {
  const storeArgs = () => [
    '--prometheus', `https://${STORE_HOST_NAME}:${store.publishedPort}`,
    '--ca-file', secrets.tls.caFile,
    '--username', secrets.reader.username,
    '--password-file', path.join(work, 'reader.password'),
  ];

  it('the window with host-a\'s wrap and host-b\'s stop: every number measured (no NaN), host-a within 1 %, host-b its first half within 1 % with its coverage', async () => {
    const result = await energyCli([...storeArgs(), '--from', iso(end - WINDOW_SECONDS), '--to', iso(end), '--format', 'json']);
    expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(0);
    const rows = (JSON.parse(result.stdout) as { rows: JsonRow[] }).rows;
    const row = (host: string) => rows.find((r) => r.host === host && r.scope === 'host')!;
    // host-b: the simulation over the part of the window its last sample covers.
    const samplesB = await raw(storeRun, `scaph_host_power_microwatts{host="${HOST_B.name}"}`, end, WINDOW_SECONDS);
    const lastB = samplesB.at(-1)![0];
    const windowFrom = Date.parse(iso(end - WINDOW_SECONDS)) / 1000;
    const windowTo = Date.parse(iso(end)) / 1000;
    const seconds = windowTo - windowFrom;
    // Both hosts drew a constant power while measured in the window: the truth of a row is that power
    // times the time it covers (all of host-a's window, host-b's first half: up to its last sample,
    // less any gap longer than its integration covers, as Scaphandre under proot on a loaded machine
    // may leave).
    const wattsA = hostA.rapl.energyJoules(windowFrom * 1000, windowTo * 1000) / seconds;
    const wattsB = hostB!.rapl.energyJoules(windowFrom * 1000, lastB * 1000) / (lastB - windowFrom);
    const truthA = wattsA * row(HOST_A.name).coverage * seconds;
    const truthB = wattsB * row(HOST_B.name).coverage * seconds;
    measured('store, peekstack energy: host-a through its wrap (J)', Number(row(HOST_A.name).joules), truthA);
    measured('store, peekstack energy: host-b, down for the second half (J)', Number(row(HOST_B.name).joules), truthB);
    measured('store, peekstack energy: host-a coverage', row(HOST_A.name).coverage, 1);
    measured('store, peekstack energy: host-b coverage', row(HOST_B.name).coverage, (lastB - windowFrom) / seconds);
    expect(row(HOST_A.name).joules, 'host-a has a number').not.toBeNull();
    expectWithin(Number(row(HOST_A.name).joules), truthA, 0.01, 'peekstack energy through the store, host-a (J)');
    expectWithin(Number(row(HOST_B.name).joules), truthB, 0.01, 'peekstack energy through the store, host-b (J)');
    expect(row(HOST_A.name).coverage).toBeGreaterThan(0.9);
    expect(row(HOST_B.name).coverage).toBeGreaterThan(0.4);
    expect(row(HOST_B.name).coverage).toBeLessThanOrEqual((lastB - windowFrom) / seconds + 0.001);
    // The table says the energy counts only what was measured.
    const table = await energyCli([...storeArgs(), '--from', iso(end - WINDOW_SECONDS), '--to', iso(end)]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/COVERED under 100 %/);
  });

  it('a window where host-b has no reading at all (down): exit 1, saying its energy is unknown', async () => {
    const result = await energyCli([...storeArgs(), '--host', HOST_B.name, '--from', iso(end - 20), '--to', iso(end), '--format', 'json']);
    expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(1);
    expect(result.stderr).toMatch(/no power reading covers the window for host-b: its energy is unknown, not 0/);
  });
});

describe('host-a\'s own Prometheus: a collector minutes old with a wrap', () => {
  const values = (rangeSeconds: number) => ({ ...builtinValuesFor(HOST_A.scrapeSeconds, rangeSeconds), host: HOST_A.name });
  const powerExpr = (title: string, rangeSeconds: number, refId = 'A') => panelExpr(buildDashboards(), POWER_DASHBOARD_UID, title, values(rangeSeconds), refId);

  it('at the 6 h range: "Host energy", "CPU package energy", the coverage, the daily budget alert\'s figure and peekstack energy count only measured time', async () => {
    const hostTruth = await recordTruth(hostA, 'host:energy_kwh:per_evaluation', end, SIX_HOURS, hostARun);
    // RAPL: both zones are younger than the range, so both come from their records.
    const raplTruth = await recordTruth(hostA, 'zone:rapl_package_energy_kwh:per_evaluation', end, SIX_HOURS, hostARun);
    const hostJ = (await single(hostARun, powerExpr('Host energy over the range', SIX_HOURS), end)) * 3.6e6;
    const cpuJ = (await single(hostARun, powerExpr('CPU package energy over the range', SIX_HOURS), end)) * 3.6e6;
    const coverage = await single(hostARun, powerExpr('Energy measured: share of the range', SIX_HOURS), end);
    // The alert's expression as deployed, without its comparison with the budget.
    const groups = parse(renderPeekStackRules().content) as { groups: { rules: { alert?: string; expr: string }[] }[] };
    const alertExpr = groups.groups.flatMap((g) => g.rules).find((r) => r.alert === 'PeekStackDailyEnergyOverBudget')!.expr.replace(/ > [\d.e+]+$/, '');
    const alertJ = (await single(hostARun, alertExpr, end)) * 3.6e6;
    measured('collector, 6 h range: "Host energy over the range" (J)', hostJ, hostTruth.joules);
    measured('collector, 6 h range: "CPU package energy over the range" (J)', cpuJ, raplTruth.joules);
    measured('collector, 6 h range: the budget alert\'s energy (J)', alertJ, hostTruth.joules);
    measured('collector, 6 h range: coverage', coverage, hostTruth.measuredSeconds / SIX_HOURS);
    expectWithin(hostJ, hostTruth.joules, 0.01, '"Host energy over the range" at 6 h (J)');
    expectWithin(cpuJ, raplTruth.joules, 0.01, '"CPU package energy over the range" at 6 h (J)');
    expectWithin(alertJ, hostTruth.joules, 0.01, 'PeekStackDailyEnergyOverBudget\'s energy (J)');
    expectWithin(coverage, hostTruth.measuredSeconds / SIX_HOURS, 0.01, 'coverage at 6 h');

    // peekstack energy on the collector, over the same 6 h: only the measured time, with its coverage.
    const result = await energyCli([
      '--prometheus', `https://${HOST_A_NAME}:${hostA.endpoint.port}`,
      '--ca-file', secrets.tls.caFile,
      '--username', hostA.endpoint.username,
      '--password-file', path.join(work, 'collector.password'),
      '--from', iso(end - SIX_HOURS), '--to', iso(end), '--format', 'json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const row = (JSON.parse(result.stdout) as { rows: JsonRow[] }).rows.find((r) => r.scope === 'host')!;
    // The truth: the simulation over the very intervals the report counts. Those follow from the
    // samples' timestamps (each sample stands for the interval since the one before, up to 2.5 scrape
    // intervals): integrate the simulation's mean power over each sample's interval the same way.
    const from6h = Date.parse(iso(end - SIX_HOURS)) / 1000;
    const to = Date.parse(iso(end)) / 1000;
    const samples = await raw(hostARun, `scaph_host_power_microwatts{host="${HOST_A.name}"}`, now(), now() - from6h + 300);
    const simulated = samples.map(([t], i) => {
      const previous = samples[i - 1]?.[0] ?? t - hostA.scaphandreScrapeIntervalSeconds;
      return { t, watts: hostA.rapl.energyJoules(previous * 1000, t * 1000) / (t - previous) };
    });
    const cliTruth = integratePower(simulated, from6h, to);
    measured('collector, peekstack energy at 6 h (J)', Number(row.joules), cliTruth.joules);
    expectWithin(Number(row.joules), cliTruth.joules, 0.01, 'peekstack energy at 6 h (J)');
    expectWithin(row.coverage, cliTruth.coveredSeconds / (to - from6h), 0.001, 'peekstack energy\'s coverage at 6 h');
    // Most of host-a's life, a few minutes of the 6 h.
    expect(row.coverage * SIX_HOURS).toBeGreaterThan((end - hostA.startedAt) * 0.8);
  });

  it('the RAPL power panels through the wrap: within 2 % on average, and over the points whose rate window holds the wrap', async () => {
    const rangeFrom = wrapAt - 30;
    const rangeTo = wrapAt + 60;
    const series = async (title: string, refId: string) => {
      const outcome = await query(hostA.endpoint, powerExpr(title, 60, refId), { range: { start: rangeFrom, end: rangeTo, stepSeconds: 1 } });
      if (!outcome.ok) throw new Error(outcome.error);
      const [s] = seriesOf(outcome);
      return (s?.values ?? []).map(([t, v]): [number, number] => [Number(t), Number(v)]);
    };
    const rateInterval = 4 * HOST_A.scrapeSeconds;
    const checks: [string, string, number][] = [
      ['Host and CPU package power', 'B', HOST_A_WATTS],
      ['CPU package power by RAPL domain', 'A', HOST_A.sockets[0].core + HOST_A.sockets[1].core],
      ['CPU package power by RAPL domain', 'B', HOST_A_WATTS - HOST_A.sockets[0].core - HOST_A.sockets[1].core],
    ];
    const failures: string[] = [];
    for (const [title, refId, watts] of checks) {
      const points = await series(title, refId);
      expect(points.length, `${title} ${refId}`).toBeGreaterThan(80);
      const mean = (ps: [number, number][]) => ps.reduce((sum, [, v]) => sum + v, 0) / ps.length;
      const affected = points.filter(([t]) => t >= wrapAt && t <= wrapAt + rateInterval + 2 * HOST_A.scrapeSeconds);
      const worst = points.reduce((w, p) => (Math.abs(p[1] - watts) > Math.abs(w[1] - watts) ? p : w));
      measured(`wrap, "${title}" ${refId}: mean of ${points.length} points (W)`, mean(points), watts);
      measured(`wrap, "${title}" ${refId}: mean of the ${affected.length} points whose rate window holds the wrap (W)`, mean(affected), watts);
      measured(`wrap, "${title}" ${refId}: worst point (W) at +${(worst[0] - wrapAt).toFixed(0)} s after the wrap`, worst[1], watts);
      for (const [what, value] of [['mean', mean(points)], ['mean over the wrap', mean(affected)]] as const) {
        if (Math.abs(value - watts) / watts > 0.02) failures.push(`"${title}" ${refId} ${what}: ${value.toFixed(2)} W for ${watts} W`);
      }
    }
    expect(failures).toEqual([]);
  });
});
