/**
 * `peekstack energy` with hourly carbon intensity and SCI (issue 21, item 5), the compiled CLI
 * against the harness (real Scaphandre on the simulated RAPL tree, real Prometheus over HTTPS with
 * basic auth): the energy comes through the same pipeline as test/real/energy-command.test.ts, the
 * intensity from a stub Electricity Maps API on loopback (a node http server in this process) or a
 * CSV file. The arithmetic is checked exactly: every expected figure is computed here, from the
 * report's energy per hour (itself checked against the simulation) and the stub's intensities.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';
import { expectWithin, measured } from './measure';
import { type CliResult, energy, energyConnectionArgs } from './energy-cli';

const WATTS = 50;
const HOUR = 3600;
const TOKEN = 'stub-token-7c1d9e-never-printed';
/** The fleet file's figures for the harness host. */
const PUE = 1.4;
const STATIC_INTENSITY = 56;
const EMBODIED = { kgCO2e: 1200, lifetimeYears: 4 };
const SECONDS_PER_YEAR = 365.25 * 86_400;

/** The stub's intensity of an hour (Unix seconds): a different value every hour. */
const stubIntensity = (hour: number): number => 80 + ((hour / HOUR) % 11) * 37;

interface HourJson { hour: string; from: string; to: string; joules: number; coveredSeconds: number; kwh: number; facilityKwh: number; intensityGramsPerKwh: number; intensitySource: string; gramsCo2e: number }
interface CarbonJson {
  source: string | null;
  hosts: { host: string; zone: string | null; hours: HourJson[]; kwh: number; facilityKwh: number; intensityGramsPerKwh: number | null; operationalGramsCo2e: number; embodiedGramsCo2e: number; fallback: string | null }[];
  windowSeconds: number;
  resourceShare: number;
  E: { kwh: number; facilityKwh: number };
  I: { gramsPerKwh: number | null };
  operationalGramsCo2e: number;
  M: { gramsCo2e: number };
  R: { count: number; name: string } | null;
  SCI: { gramsCo2ePerUnit: number; unit: string } | null;
}
interface JsonReport { from: string; to: string; rows: { host: string; scope: string; joules: number; coverage: number }[]; carbon?: CarbonJson }

/** No stack trace: Node prints frames as "    at fn (file:line:col)". */
const expectNoStackTrace = (result: CliResult) => expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('peekstack energy: hourly carbon intensity and SCI', () => {
  let harness: Harness;
  let work: string;
  let connection: string[];
  let fleet: string;
  let api: string;
  let server: http.Server;
  const requests: { url: URL; token: string | undefined }[] = [];
  let mode: 'ok' | '401' | '429' = 'ok';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stub');
      requests.push({ url, token: req.headers['auth-token'] as string | undefined });
      if (mode === '401') return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Invalid auth-token"}');
      if (mode === '429') return void res.writeHead(429, { 'retry-after': '120' }).end('{"message":"Too many requests"}');
      if (url.pathname !== '/v3/carbon-intensity/past-range' || req.headers['auth-token'] !== TOKEN) return void res.writeHead(404).end();
      // As Electricity Maps documents it: { zone, data: [{ zone, datetime, carbonIntensity, ... }] }, hourly.
      const start = Date.parse(url.searchParams.get('start')!) / 1000;
      const end = Date.parse(url.searchParams.get('end')!) / 1000;
      const data = [];
      for (let hour = start; hour < end; hour += HOUR) {
        data.push({ zone: url.searchParams.get('zone'), datetime: new Date(hour * 1000).toISOString(), carbonIntensity: stubIntensity(hour), isEstimated: false, estimationMethod: null, emissionFactorType: 'lifecycle' });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ zone: url.searchParams.get('zone'), data }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    harness = await startHarness({ packageWatts: WATTS, coreWatts: 30 });
    work = mkdtempSync(path.join(tmpdir(), 'peekstack-carbon-'));
    connection = energyConnectionArgs(harness, work);
    writeFileSync(path.join(work, 'token'), `${TOKEN}\n`);
    fleet = path.join(work, 'fleet.yaml');
    writeFileSync(
      fleet,
      [
        'hosts:',
        '  - name: real-host',
        '    docker: { host: "unix:///var/run/docker.sock" }',
        '    addresses: [192.0.2.10]',
        `    accounting: { carbonIntensityGramsPerKwh: ${STATIC_INTENSITY}, pue: ${PUE} }`,
        '    carbon: { zone: DE }',
        `    embodied: { kgCO2e: ${EMBODIED.kgCO2e}, lifetimeYears: ${EMBODIED.lifetimeYears} }`,
        'interface: { host: real-host }',
        '',
      ].join('\n'),
    );
    await harness.waitForTargetsUp();
    // Two Scaphandre refreshes (its power means something from the second on), then 60 s more of
    // readings before the first window ends. Waited by the clock rather than by a sample count: on
    // a loaded machine a scrape can be late, and the tests count only the time that was measured.
    await harness.waitForQuery('count_over_time(scaph_host_power_microwatts[30s]) >= 2', (o) => o.ok && (o.data.result as unknown[]).length === 1, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 65_000));
  }, 240_000);
  afterAll(async () => {
    await harness?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Every figure of the carbon section, recomputed here from its hours and `intensityOf`. */
  function expectArithmetic(report: JsonReport, intensityOf: (hour: number) => number, share: number, unit: { count: number; name: string }): void {
    const carbon = report.carbon!;
    const host = carbon.hosts[0]!;
    const windowSeconds = (Date.parse(report.to) - Date.parse(report.from)) / 1000;
    // The hours are the report's energy cut at the hours: they add up to the host row's joules.
    const joules = host.hours.reduce((a, h) => a + h.joules, 0);
    expect(Math.abs(joules - report.rows[0]!.joules)).toBeLessThan(1e-9 * report.rows[0]!.joules);
    let grams = 0;
    let facilityKwh = 0;
    for (const h of host.hours) {
      const intensity = intensityOf(Date.parse(h.hour) / 1000);
      expect(h.intensityGramsPerKwh, h.hour).toBe(intensity);
      expect(h.kwh, h.hour).toBe(h.joules / 3.6e6);
      expect(h.facilityKwh, h.hour).toBe((h.joules / 3.6e6) * PUE);
      expect(h.gramsCo2e, h.hour).toBe((h.joules / 3.6e6) * PUE * intensity);
      grams += (h.joules / 3.6e6) * PUE * intensity;
      facilityKwh += (h.joules / 3.6e6) * PUE;
    }
    const embodied = EMBODIED.kgCO2e * 1000 * (windowSeconds / (EMBODIED.lifetimeYears * SECONDS_PER_YEAR)) * share;
    const exact = (actual: number | null | undefined, expected: number, what: string) =>
      expect(Math.abs((actual ?? NaN) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.abs(expected));
    exact(carbon.operationalGramsCo2e, grams, 'E x I (g)');
    exact(carbon.E.facilityKwh, facilityKwh, 'E (facility kWh)');
    exact(carbon.I.gramsPerKwh, grams / facilityKwh, 'I (g/kWh, energy-weighted)');
    exact(carbon.M.gramsCo2e, embodied, 'M (g)');
    expect(carbon.R).toEqual(unit);
    exact(carbon.SCI!.gramsCo2ePerUnit, (grams + embodied) / unit.count, 'SCI (g per unit)');
    expect(carbon.SCI!.unit).toBe(unit.name);
    expect(carbon.resourceShare).toBe(share);
  }

  it('the stub API: a 60 s window hour by hour, each hour\'s energy the simulation\'s, E x I, M, R and SCI exact', async () => {
    const to = Math.floor(Date.now() / 1000);
    const from = to - 60;
    const window = ['--from', new Date(from * 1000).toISOString(), '--to', new Date(to * 1000).toISOString()];
    requests.length = 0;
    const result = await energy([...connection, ...window, '--fleet', fleet, '--carbon-api', api, '--carbon-token-file', path.join(work, 'token'), '--functional-unit', '1200', 'requests', '--resource-share', '0.25', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    const report = JSON.parse(result.stdout) as JsonReport;
    const carbon = report.carbon!;
    expect(carbon.source).toBe(`Electricity Maps API at ${api}`);
    const host = carbon.hosts[0]!;
    expect(host.zone).toBe('DE');
    expect(host.fallback).toBeNull();
    expect(host.hours.every((h) => h.intensitySource === 'api')).toBe(true);
    // One request for the window's hours, the documented shape, the token in its header.
    expect(requests).toHaveLength(1);
    expect(requests[0]!.token).toBe(TOKEN);
    expect(requests[0]!.url.searchParams.get('zone')).toBe('DE');
    expect(Date.parse(requests[0]!.url.searchParams.get('start')!) / 1000).toBe(Math.floor(from / HOUR) * HOUR);
    // Each hour's energy against the simulation's over the part of the hour that was measured
    // (the whole of it unless a scrape was missed), within 1 % of the window's energy.
    const total = harness.rapl.energyJoules(from * 1000, to * 1000);
    let truthMeasured = 0;
    for (const h of host.hours) {
      const seconds = (Date.parse(h.to) - Date.parse(h.from)) / 1000;
      const truth = harness.rapl.energyJoules(Date.parse(h.from), Date.parse(h.to)) * (h.coveredSeconds / seconds);
      truthMeasured += truth;
      measured(`carbon hour ${h.hour} (${h.coveredSeconds.toFixed(1)} of ${seconds} s measured): energy (J)`, h.joules, truth);
      expect(Math.abs(h.joules - truth), h.hour).toBeLessThanOrEqual(0.01 * total);
    }
    expect(report.rows[0]!.coverage).toBeGreaterThan(0.5);
    expectWithin(carbon.E.kwh * 3.6e6, truthMeasured, 0.01, 'E over the measured part of the window (J)');
    expectArithmetic(report, stubIntensity, 0.25, { count: 1200, name: 'requests' });
    measured('carbon 60 s: E x I (gCO2e)', carbon.operationalGramsCo2e);
    measured('carbon 60 s: M (gCO2e)', carbon.M.gramsCo2e);
    measured('carbon 60 s: SCI (gCO2e per request)', carbon.SCI!.gramsCo2ePerUnit);
  }, 120_000);

  it('a window over two hours, one without load: I is energy-weighted (the idle hour weighs nothing), every hour listed with its source', async () => {
    // From the start of the previous UTC hour: the harness has read power only for the last minutes.
    const now = Math.floor(Date.now() / 1000);
    const from = Math.floor(now / HOUR) * HOUR - HOUR;
    const result = await energy([...connection, '--from', new Date(from * 1000).toISOString(), '--to', new Date(now * 1000).toISOString(), '--fleet', fleet, '--carbon-api', api, '--functional-unit', '3', 'experiments', '--format', 'json'], 90_000, { ...process.env, PEEKSTACK_CARBON_TOKEN: TOKEN });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    const host = report.carbon!.hosts[0]!;
    expect(host.hours.map((h) => Date.parse(h.hour) / 1000)).toEqual([from, from + HOUR]);
    expect(host.hours.map((h) => h.intensitySource)).toEqual(['api', 'api']);
    expectArithmetic(report, stubIntensity, 1, { count: 3, name: 'experiments' });
    // Only measured time counts: an hour without readings adds nothing, and an hour's energy is about
    // 50 W over the seconds it has readings for (±10 %: a sanity check of the hours, not of accuracy,
    // which is the first test's; Scaphandre's readings wander by watts when the machine is loaded).
    for (const h of host.hours) {
      if (h.coveredSeconds === 0) expect(h.joules, h.hour).toBe(0);
      else expect(Math.abs(h.joules - WATTS * h.coveredSeconds), h.hour).toBeLessThanOrEqual(0.1 * WATTS * h.coveredSeconds);
    }
    const weights = host.hours.map((h) => h.joules / report.rows[0]!.joules);
    measured(`two hours: share of energy per hour (${weights.map((w) => w.toFixed(4)).join(', ')}), I (g/kWh)`, report.carbon!.I.gramsPerKwh!);
    // The time-weighted mean would give the empty hour its full weight; the energy-weighted one does not.
    const [previous, current] = host.hours as [HourJson, HourJson];
    if (previous.joules === 0) expect(report.carbon!.I.gramsPerKwh).toBe(current.intensityGramsPerKwh);
  }, 120_000);

  it('a CSV of hourly intensities: hours it lacks take the static factor, and the table says so', async () => {
    const to = Math.floor(Date.now() / 1000);
    const from = to - 40;
    const first = Math.floor(from / HOUR) * HOUR;
    // Only the window's first hour is in the file (for zone DE; a row of another zone beside it).
    const csv = path.join(work, 'grid.csv');
    writeFileSync(csv, `hour,zone,gCO2e_per_kWh\n${new Date((first - HOUR) * 1000).toISOString()},DE,400\n${new Date(first * 1000).toISOString()},DE,123.5\n${new Date(first * 1000).toISOString()},FR,31\n`);
    const args = [...connection, '--from', new Date(from * 1000).toISOString(), '--to', new Date(to * 1000).toISOString(), '--fleet', fleet, '--carbon-csv', csv, '--functional-unit', '1', 'run'];
    const json = await energy([...args, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as JsonReport;
    const intensityOf = (hour: number) => (hour === first ? 123.5 : STATIC_INTENSITY);
    expectArithmetic(report, intensityOf, 1, { count: 1, name: 'run' });
    const hours = report.carbon!.hosts[0]!.hours;
    expect(hours.map((h) => h.intensitySource)).toEqual(hours.map((h) => (Date.parse(h.hour) / 1000 === first ? 'csv' : 'static')));
    const table = await energy([...args, '--svg', path.join(work, 'carbon.svg')]);
    expect(table.code, table.stderr).toBe(0);
    console.log(`[example carbon report]\n${table.stdout}`);
    expect(table.stdout).toMatch(/^Carbon hour by hour \(intensity: CSV file .*grid\.csv; gCO2e = kWh x PUE x the hour's intensity\)$/m);
    expect(table.stdout).toMatch(/^HOST\s+ZONE\s+HOUR \(UTC\)\s+ENERGY \(J\)\s+kWh\s+gCO2e\/kWh\s+SOURCE\s+gCO2e$/m);
    expect(table.stdout).toMatch(new RegExp(`^real-host\\s+DE\\s+${new Date(first * 1000).toISOString().replace(/\./g, '\\.')}\\s+\\S+\\s+\\S+\\s+123\\.5\\s+CSV\\s+\\S+$`, 'm'));
    expect(table.stdout).toMatch(/^SCI = \(E x I \+ M\) \/ R$/m);
    expect(table.stdout).toMatch(/^ {2}SCI {4}\S+ gCO2e per run$/m);
    if (hours.length > 1) expect(table.stdout).toMatch(/has no intensity for 1 of 2 hours of zone DE: the static factor 56 gCO2e\/kWh \(fleet file accounting\) for it/);
  }, 120_000);

  it('no carbon.zone for the host: every hour falls back to the static factor, said in the report', async () => {
    const noZone = path.join(work, 'no-zone.yaml');
    writeFileSync(noZone, 'hosts:\n  - name: real-host\n    docker: { host: "unix:///var/run/docker.sock" }\n    addresses: [192.0.2.10]\n    accounting: { carbonIntensityGramsPerKwh: 56, pue: 1.4 }\ninterface: { host: real-host }\n');
    requests.length = 0;
    const result = await energy([...connection, '--last', '30s', '--fleet', noZone, '--carbon-api', api, '--carbon-token-file', path.join(work, 'token')]);
    expect(result.code, result.stderr).toBe(0);
    expect(requests).toHaveLength(0);
    expect(result.stdout).toMatch(/^real-host: no carbon\.zone for real-host in the fleet file: the static factor 56 gCO2e\/kWh \(fleet file accounting\) for every hour\.$/m);
    expect(result.stdout).toMatch(/M {6}0 gCO2e embodied .*unknown for real-host \(no embodied in the fleet file\): counted 0/);
  }, 60_000);

  describe('bad input and a refusing API: the exit code, a message saying what to do, nothing written, no token', () => {
    it('a CSV with a gap or an overlap: exit 2 naming file:line, no report, no SVG', async () => {
      const cases: [string, RegExp][] = [
        ['2026-11-28T10:00:00Z,300\n2026-11-28T11:00:00Z,200\n2026-11-28T13:00:00Z,100\n', /gaps\.csv:3: gap before hour 2026-11-28T13:00:00\.000Z: 1 hour missing after line 2/],
        ['hour,g\n2026-11-28T10:00:00Z,300\n2026-11-28T11:00:00Z,200\n2026-11-28T10:00:00Z,250\n', /gaps\.csv:4: hour 2026-11-28T10:00:00\.000Z overlaps the hour of line 3/],
      ];
      const svg = path.join(work, 'never.svg');
      for (const [text, message] of cases) {
        writeFileSync(path.join(work, 'gaps.csv'), text);
        const result = await energy([...connection, '--last', '30s', '--fleet', fleet, '--carbon-csv', path.join(work, 'gaps.csv'), '--svg', svg]);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stdout).toBe('');
        expect(existsSync(svg)).toBe(false);
        expectNoStackTrace(result);
      }
    }, 60_000);

    it('401: check the token; 429: wait Retry-After and retry; exit 1, no report, the token nowhere', async () => {
      const svg = path.join(work, 'never.svg');
      try {
        mode = '401';
        const refused = await energy([...connection, '--last', '30s', '--fleet', fleet, '--carbon-api', api, '--carbon-token-file', path.join(work, 'token'), '--svg', svg]);
        expect(refused.code, refused.stderr).toBe(1);
        expect(refused.stderr).toMatch(/^peekstack energy: the carbon API at http:\/\/127\.0\.0\.1:\d+ refused the token \(HTTP 401\)\. Check the token in --carbon-token-file \(or \$PEEKSTACK_CARBON_TOKEN\)/);
        mode = '429';
        const limited = await energy([...connection, '--last', '30s', '--fleet', fleet, '--carbon-api', api, '--svg', svg], 60_000, { ...process.env, PEEKSTACK_CARBON_TOKEN: TOKEN });
        expect(limited.code, limited.stderr).toBe(1);
        expect(limited.stderr).toMatch(/is rate-limiting this token \(HTTP 429\)\. Wait 120 s \(its Retry-After\) and run the same command again/);
        for (const result of [refused, limited]) {
          expect(result.stdout).toBe('');
          expect(result.stdout + result.stderr).not.toContain(TOKEN);
          expectNoStackTrace(result);
        }
        expect(existsSync(svg)).toBe(false);
      } finally {
        mode = 'ok';
      }
    }, 60_000);

    it('flags: a missing token, a plain-http remote API, a bad functional unit or share, CSV output: exit 2', async () => {
      const env = { ...process.env };
      delete env.PEEKSTACK_CARBON_TOKEN;
      const cases: [string[], RegExp][] = [
        [['--carbon-api', api], /--carbon-api needs a token: --carbon-token-file <file>, or \$PEEKSTACK_CARBON_TOKEN \(not set\)/],
        [['--carbon-api', 'http://api.example.com', '--carbon-token-file', path.join(work, 'token')], /expected an https:\/\/ URL \(http:\/\/ only to this machine/],
        [['--functional-unit', '0', 'requests'], /--functional-unit "0 requests": expected a count more than 0 and a name/],
        [['--resource-share', '1.5'], /--resource-share "1\.5": expected the share of the machine the run used, more than 0 and at most 1/],
        [['--functional-unit', '5', 'runs', '--format', 'csv'], /hourly carbon breakdown and SCI are in the table and JSON outputs/],
      ];
      for (const [args, message] of cases) {
        const result = await energy([...connection, '--last', '30s', '--fleet', fleet, ...args], 60_000, env);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr, args.join(' ')).toMatch(message);
        expect(result.stderr).not.toContain(TOKEN);
      }
    }, 90_000);
  });
});
