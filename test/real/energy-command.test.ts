/**
 * `peekstack energy` (the compiled CLI, as a user runs it) against the harness: real Scaphandre on
 * the simulated RAPL tree, scraped by the real Prometheus over HTTPS with basic auth. The numbers
 * must be the simulation's: a 60 s window at 50 W is 3000 J (±1 %), `-- sleep 30` the simulated
 * energy of the run (±2 %); CO₂ and cost are energy × the fleet file's factors. Every failure mode
 * exits with its code and a message, never a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTlsFixture } from '../support/tls-fixture';
import { type Harness, startHarness } from './harness';
import { canListen } from './loopback';
import { expectWithin, measured } from './measure';
import { type CliResult, energy, energyConnectionArgs } from './energy-cli';

const WATTS = 50;

/** No stack trace: Node prints frames as "    at fn (file:line:col)". */
function expectNoStackTrace(result: CliResult): void {
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

interface JsonReport {
  from: string;
  to: string;
  scrapeIntervalSeconds: number;
  command?: string[];
  exitStatus?: number;
  rows: { host: string; scope: string; joules: number; kwh: number; facilityKwh: number; meanWatts: number; peakWatts: number; gramsCo2e: number; cost: number; currency: string; coverage: number }[];
}

describe('peekstack energy against the harness', () => {
  let harness: Harness;
  let work: string;
  let connection: string[];

  beforeAll(async () => {
    harness = await startHarness({ packageWatts: WATTS, coreWatts: 30 });
    work = mkdtempSync(path.join(tmpdir(), 'peekstack-energy-'));
    connection = energyConnectionArgs(harness, work);
    await harness.waitForTargetsUp();
    // Two Scaphandre refreshes: its power gauge means something from the second one on.
    await harness.waitForQuery('count_over_time(scaph_host_power_microwatts[30s]) >= 2', (o) => o.ok && (o.data.result as unknown[]).length === 1);
  });
  afterAll(async () => {
    await harness?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('failure modes: a message saying what to do, the right exit code, no stack trace', () => {
    it('an unreachable server: exit 1', async () => {
      const address = harness.plan.prometheus.replace(/\.5$/, '.7');
      expect(await canListen(address, 9090), `nothing may listen on ${address}:9090`).toBe(true);
      const result = await energy(['--prometheus', `https://${address}:9090`, '--last', '1m']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/cannot reach https:\/\/127\.\d+\.\d+\.7:9090 \(ECONNREFUSED.*Check the URL and port/);
      expectNoStackTrace(result);
    });

    it('a certificate from another CA (TLS failure): exit 1, pointing at --ca-file', async () => {
      const other = makeTlsFixture(['localhost']);
      try {
        const result = await energy([...connection.map((arg) => (arg === harness.secrets.tls.caFile ? other.caFile : arg)), '--last', '1m']);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/TLS failure talking to https:\/\/127\.[\d.]+:9090: .*--ca-file/);
        expectNoStackTrace(result);
      } finally {
        rmSync(other.dir, { recursive: true, force: true });
      }
    });

    it('a wrong password (401): exit 1, pointing at the credentials', async () => {
      writeFileSync(path.join(work, 'wrong'), 'not-the-password\n');
      const result = await energy([...connection.map((arg) => (arg.endsWith('/password') ? path.join(work, 'wrong') : arg)), '--last', '1m']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/refused the credentials \(HTTP 401\)\. Check --username and --password-file/);
      expectNoStackTrace(result);
    });

    it('no data in the window (an unknown host): exit 1', async () => {
      const result = await energy([...connection, '--last', '1m', '--host', 'no-such-host']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no host power \(scaph_host_power_microwatts of hosts matching "no-such-host"\) between/);
      expectNoStackTrace(result);
    });

    it('a window shorter than two scrape intervals: exit 2, naming the minimum', async () => {
      const result = await energy([...connection, '--last', '4s']);
      expect(result.code).toBe(2);
      // Scrapes land every 3 s give or take Prometheus's jitter: the spacing is measured, not configured.
      expect(result.stderr).toMatch(/the window \(4 s\) is shorter than two scrape intervals of real-host's power \((2\.9|3|3\.1) s each\).*at least [67] s/);
      expectNoStackTrace(result);
    });

    it('a window that ends before it starts, a bad time, a bad format, a missing file: exit 2, naming the flag', async () => {
      const cases: [string[], RegExp][] = [
        [['--from', '-1m', '--to', '-2m'], /the window ends \(--to .*\) before it starts \(--from .*\); swap them/],
        [['--from', 'yesterday'], /--from "yesterday": expected an RFC 3339 time/],
        [['--last', '1m', '--format', 'xml'], /--format "xml": expected one of table, csv, json/],
        [['--last', '1m', '--from', '-1h'], /--last excludes --from and --to/],
      ];
      for (const [args, message] of cases) {
        const result = await energy([...connection, ...args]);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr, args.join(' ')).toMatch(message);
        expectNoStackTrace(result);
      }
      const missing = await energy(['--prometheus', 'https://127.0.0.1:9', '--ca-file', path.join(work, 'missing.pem'), '--last', '1m']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/--ca-file .*missing\.pem: cannot read it \(ENOENT\)/);
      const nowhere = await energy(['--last', '1m']);
      expect(nowhere.code).toBe(2);
      expect(nowhere.stderr).toMatch(/say where Prometheus is: --prometheus <url>.* or --stack <name>/);
    });
  });

  it('--stack NAME reads URL, user, password and CA from the applied stack\'s Terraform outputs', async () => {
    // A stand-in for an applied collector stack: the same four outputs, applied offline by the real
    // Terraform (built-ins only: no provider to download), in <out>/stacks/<name>.
    const dir = path.join(work, 'out', 'stacks', 'collector-real-host');
    mkdirSync(dir, { recursive: true });
    const output = (name: string, value: string, sensitive = false) => ({ [name]: { value, sensitive } });
    writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({
        output: {
          ...output('prometheus_url', `https://${harness.endpoint.address}:${harness.endpoint.port}`),
          ...output('prometheus_username', harness.endpoint.username),
          ...output('prometheus_password', harness.secrets.password, true),
          ...output('prometheus_ca_certificate', harness.secrets.caPem),
        },
      }),
    );
    writeFileSync(path.join(work, 'terraformrc'), '');
    const env = { ...process.env, TF_CLI_CONFIG_FILE: path.join(work, 'terraformrc'), TF_IN_AUTOMATION: '1' };
    for (const args of [['init', '-input=false'], ['apply', '-auto-approve', '-input=false']]) {
      await new Promise<void>((resolve, reject) =>
        execFile('terraform', args, { cwd: dir, env, timeout: 60_000 }, (error, _out, err) => (error ? reject(new Error(`terraform ${args[0]}: ${err}`)) : resolve())),
      );
    }
    const result = await energy(['--stack', 'collector-real-host', '--out', path.join(work, 'out'), '--last', '20s', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as JsonReport).rows.map((r) => r.host)).toEqual(['real-host']);
    const missing = await energy(['--stack', 'collector-nowhere', '--out', path.join(work, 'out'), '--last', '20s']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--stack collector-nowhere: could not read the Terraform outputs in .*Synthesize \(peekstack synth\) and apply that stack first/);
  }, 120_000);

  describe('the numbers', () => {
    it('-- sleep 30 reports the simulated energy of the run (±2 %), with its exit status', async () => {
      const result = await energy([...connection, '--format', 'json', '--', 'sleep', '30'], 120_000);
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report.command).toEqual(['sleep', '30']);
      expect(report.exitStatus).toBe(0);
      const from = Date.parse(report.from);
      const to = Date.parse(report.to);
      expect((to - from) / 1000).toBeGreaterThanOrEqual(30);
      const truth = harness.rapl.energyJoules(from, to);
      const host = report.rows.find((r) => r.scope === 'host')!;
      measured('peekstack energy -- sleep 30: host energy (J)', host.joules, truth);
      expectWithin(host.joules, truth, 0.02, '-- sleep 30: host energy (J)');
      expect(host.coverage).toBeGreaterThan(0.999);
    }, 150_000);

    it('a 60 s window at 50 W is 3000 J = 0.000833 kWh (±1 %); gCO2e and cost are energy × the factors; table, CSV and SVG agree', async () => {
      // The window needs 60 s of data before its end: wait for it (the harness started well before).
      await harness.waitForQuery('count_over_time(scaph_host_power_microwatts[66s]) >= 21', (o) => o.ok && (o.data.result as unknown[]).length === 1, 60_000);
      const to = new Date(Math.floor(Date.now() / 1000) * 1000);
      const from = new Date(to.getTime() - 60_000);
      const window = ['--from', from.toISOString(), '--to', to.toISOString()];
      const svg = path.join(work, 'energy.svg');
      const json = await energy([...connection, ...window, '--format', 'json']);
      expect(json.code, json.stderr).toBe(0);
      const host = (JSON.parse(json.stdout) as JsonReport).rows.find((r) => r.scope === 'host')!;
      measured('peekstack energy, 60 s window at 50 W: host energy (J)', host.joules, WATTS * 60);
      expectWithin(host.joules, WATTS * 60, 0.01, '60 s at 50 W (J)');
      expectWithin(host.joules, harness.rapl.energyJoules(from.getTime(), to.getTime()), 0.01, '60 s, against the simulation log (J)');
      expectWithin(host.kwh, 0.000833, 0.01, '60 s at 50 W (kWh)');
      expectWithin(host.meanWatts, WATTS, 0.01, 'mean power (W)');
      // The default fleet's factors (the harness host is not in it): PeekStack's defaults.
      expect(host.facilityKwh).toBeCloseTo(host.kwh * 1, 12);
      expect(host.gramsCo2e).toBeCloseTo(host.kwh * 445, 9);
      expect(host.cost).toBeCloseTo(host.kwh * 0.2872, 9);
      expect(host.currency).toBe('EUR');

      const table = await energy([...connection, ...window, '--svg', svg]);
      expect(table.code, table.stderr).toBe(0);
      console.log(`[example report]\n${table.stdout}`);
      expect(table.stdout).toMatch(/^HOST\s+SCOPE\s+ENERGY \(J\)\s+kWh\s+MEAN W\s+PEAK W\s+gCO2e\s+COST\s+SHARE OF HOST\s+COVERED$/m);
      const line = table.stdout.split('\n').find((l) => l.startsWith('real-host'))!;
      expectWithin(Number(line.split(/\s+/)[2]), WATTS * 60, 0.01, 'table energy (J)');
      const chart = readFileSync(svg, 'utf8');
      expect(chart).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(chart).toMatch(/real-host: \d{4}(\.\d+)? J = 0\.000\d+ kWh, mean \d+(\.\d+)? W/);

      const csv = await energy([...connection, ...window, '--format', 'csv']);
      expect(csv.code, csv.stderr).toBe(0);
      const [header, row] = csv.stdout.trim().split('\n');
      const record = Object.fromEntries(header!.split(',').map((k, i) => [k, row!.split(',')[i]]));
      expectWithin(Number(record.joules), WATTS * 60, 0.01, 'CSV energy (J)');
      expect(record.host).toBe('real-host');
    }, 150_000);
  });
});
