/**
 * Runtime level for the collector: the synthesized Prometheus, node_exporter and Scaphandre files
 * and command lines, run by the real binaries on loopback (see harness.ts), must serve HTTPS with
 * basic auth only, scrape every job, and read back the simulated RAPL power and energy. Then each
 * safeguard is shown to bite: a wrong bcrypt hash and a wrong certificate path are caught.
 */
import bcrypt from 'bcryptjs';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMETHEUS_PATHS } from '../../src/prometheus';
import { type Harness, HARNESS_JOBS, startHarness } from './harness';
import { httpsGet, plainHttpGet, scalarValue, seriesOf } from './prometheus-api';
import { NODE_EXPORTER_DISABLED_COLLECTORS } from '../../src/node-exporter';
import { toolPath } from './tools';

const PACKAGE_WATTS = 50;
const CORE_WATTS = 30;

/** Assert `actual` is within `fraction` of `expected`, with a readable message. */
function expectWithin(actual: number, expected: number, fraction: number, what: string): void {
  const rel = Math.abs(actual - expected) / expected;
  expect(rel, `${what}: got ${actual}, expected ${expected} ± ${fraction * 100} %`).toBeLessThanOrEqual(fraction);
}

describe('the collector as deployed, on loopback', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ packageWatts: PACKAGE_WATTS, coreWatts: CORE_WATTS });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('runs the synthesized command lines, changed only in their listen address (and no --containers)', () => {
    const { synthesized, run } = harness.commands;
    const unchanged = (a: string[], b: string[]) => a.filter((arg, i) => arg !== b[i]);
    expect(unchanged(synthesized.prometheus, run.prometheus)).toEqual(['--web.listen-address=:9090']);
    expect(unchanged(synthesized.nodeExporter, run.nodeExporter)).toEqual(['--web.listen-address=:9100']);
    expect(synthesized.scaphandre).toContain('--containers');
    expect(run.scaphandre).toEqual(synthesized.scaphandre.filter((a) => a !== '--containers').map((a) => (a === '0.0.0.0' ? harness.plan.scaphandre : a)));
  });

  it('runs the exporters and Prometheus under their containers\' hardening (no-new-privileges, capabilities dropped)', () => {
    // Read from the kernel: the processes' own status, not the arguments we passed.
    for (const [name, process] of [['prometheus', harness.processes.prometheus], ['node_exporter', harness.processes.nodeExporter!]] as const) {
      const status = readFileSync(`/proc/${process.pid}/status`, 'utf8');
      expect(status, `${name}: NoNewPrivs`).toMatch(/^NoNewPrivs:\s+1$/m);
      expect(status, `${name}: no bounding capability`).toMatch(/^CapBnd:\s+0+$/m);
      expect(status, `${name}: no effective capability`).toMatch(/^CapEff:\s+0+$/m);
    }
  });

  it('passes its synthesized health check (promtool check healthy, HTTPS with the uploaded CA and password file)', () => {
    const [cmd, ...args] = (harness.prometheusContainer.healthcheck.test as string[]).slice(1);
    expect(cmd).toBe('promtool');
    const run = (root: string) =>
      spawnSync(
        toolPath('proot'),
        [
          '-b', `${path.join(root, 'etc/prometheus')}:/etc/prometheus`,
          toolPath('promtool'),
          // The container's localhost is the harness's loopback address; the TLS name stays localhost.
          ...args.map((arg) => arg.replace('https://localhost:9090', `https://${harness.plan.prometheus}:9090`)),
        ],
        { encoding: 'utf8' },
      );
    const healthy = run(harness.files.prometheusRoot);
    expect(`${healthy.stdout}${healthy.stderr}`).toMatch(/Prometheus Server is Healthy/);
    expect(healthy.status).toBe(0);
    // The same check with a wrong password fails: it really authenticates.
    const broken = mkdtempSync(path.join(tmpdir(), 'peekstack-health-'));
    cpSync(harness.files.prometheusRoot, broken, { recursive: true });
    writeFileSync(path.join(broken, PROMETHEUS_PATHS.targetPassword('prometheus')), 'wrong');
    expect(run(broken).status).not.toBe(0);
    rmSync(broken, { recursive: true, force: true });
  });

  describe('HTTPS and basic auth', () => {
    it('answers 200 with the right credentials', async () => {
      const res = await httpsGet(harness.endpoint, '/api/v1/status/buildinfo');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).data.version).toMatch(/^3\./);
    });

    it('answers 401 to a wrong password and to no credentials', async () => {
      expect((await httpsGet(harness.endpoint, '/api/v1/query?query=up', { username: 'peekstack', password: 'wrong' })).status).toBe(401);
      expect((await httpsGet(harness.endpoint, '/api/v1/query?query=up', { username: 'admin', password: harness.secrets.password })).status).toBe(401);
      expect((await httpsGet(harness.endpoint, '/api/v1/query?query=up', 'none')).status).toBe(401);
    });

    it('gives no data to plain HTTP on the TLS port (400)', async () => {
      const res = await plainHttpGet(harness.endpoint.address, harness.endpoint.port, '/api/v1/query?query=up');
      expect(res.status).toBe(400);
      expect(res.body).not.toContain('"status":"success"');
    });

    it('node_exporter, reachable from other machines, also refuses scrapes without credentials', async () => {
      const node = { ...harness.endpoint, address: harness.plan.node, port: 9100, serverName: 'host.docker.internal', username: 'prometheus' };
      expect((await httpsGet(node, '/metrics', 'none')).status).toBe(401);
      expect((await httpsGet(node, '/metrics')).status).toBe(200);
    });
  });

  describe('scraping', () => {
    it('has every job up: node, cadvisor, scaphandre, prometheus and the blackbox probes of Prometheus and node_exporter', async () => {
      await harness.waitForTargetsUp(HARNESS_JOBS, 30_000);
      const up = await harness.query('up');
      expect(up.ok && (up.data.result as { metric: Record<string, string> }[]).map((s) => s.metric.job).sort()).toEqual([...HARNESS_JOBS].sort());
    });

    it('labels every series with the host and drops the Go runtime metrics of the exporters', async () => {
      expect(await scalarValue(harness.endpoint, `count({__name__=~".+", host!="${harness.hostName}"}) or vector(0)`)).toBe(0);
      expect(await scalarValue(harness.endpoint, 'count({job=~"node|cadvisor", __name__=~"go_.*|promhttp_.*"}) or vector(0)')).toBe(0);
    });

    it('runs node_exporter without the collectors PeekStack switches off, and with the ones it relies on', async () => {
      const outcome = await harness.query('node_scrape_collector_success');
      expect(outcome.ok).toBe(true);
      const collectors = seriesOf(outcome).map((s) => s.metric.collector);
      const stillOn = NODE_EXPORTER_DISABLED_COLLECTORS.filter((name) => collectors.includes(name));
      expect(stillOn, `switched off but running: ${stillOn.join(', ')}`).toEqual([]);
      expect(collectors).toEqual(expect.arrayContaining(['cpu', 'meminfo', 'filesystem', 'diskstats', 'netdev', 'loadavg', 'rapl', 'cpufreq']));
    });
  });

  describe('power and energy read back through Prometheus', () => {
    const WINDOW_SECONDS = 24;

    beforeAll(async () => {
      await harness.waitForTargetsUp();
      // increase()/rate() over the window need the window full of samples: wait for it, counted
      // from the first Scaphandre scrape, plus one interval of margin.
      await harness.waitForQuery(
        `count_over_time(scaph_host_energy_microjoules[${WINDOW_SECONDS + 2 * harness.scaphandreScrapeIntervalSeconds}s]) >= ${
          WINDOW_SECONDS / harness.scaphandreScrapeIntervalSeconds + 2
        }`,
        (o) => o.ok && (o.data.result as unknown[]).length > 0,
        WINDOW_SECONDS * 1000 + 30_000,
      );
    }, 90_000);

    it('host power from Scaphandre is the simulated wattage (±10 %)', async () => {
      const watts = (await scalarValue(harness.endpoint, `scaph_host_power_microwatts{host="${harness.hostName}"}`)) / 1e6;
      expectWithin(watts, PACKAGE_WATTS, 0.1, 'scaph_host_power_microwatts (W)');
    });

    it('CPU package and core power from node_exporter RAPL counters are the simulated wattages (±10 %)', async () => {
      expectWithin(await scalarValue(harness.endpoint, 'rate(node_rapl_package_joules_total[10s])'), PACKAGE_WATTS, 0.1, 'package rate (W)');
      expectWithin(await scalarValue(harness.endpoint, 'rate(node_rapl_core_joules_total[10s])'), CORE_WATTS, 0.1, 'core rate (W)');
    });

    it(`energy over ${WINDOW_SECONDS} s is simulated watts × window (±10 %), from Scaphandre and from RAPL`, async () => {
      const expectedJoules = PACKAGE_WATTS * WINDOW_SECONDS;
      const scaphJoules = (await scalarValue(harness.endpoint, `increase(scaph_host_energy_microjoules[${WINDOW_SECONDS}s])`)) / 1e6;
      const raplJoules = await scalarValue(harness.endpoint, `increase(node_rapl_package_joules_total[${WINDOW_SECONDS}s])`);
      expectWithin(scaphJoules, expectedJoules, 0.1, 'Scaphandre host energy (J)');
      expectWithin(raplJoules, expectedJoules, 0.1, 'RAPL package energy (J)');
    });

    it('follows a change of the simulated power', async () => {
      harness.rapl.setWatts(20, 10);
      try {
        const outcome = await harness.waitForQuery(
          'scaph_host_power_microwatts / 1e6 < 22 and scaph_host_power_microwatts / 1e6 > 18',
          (o) => o.ok && (o.data.result as unknown[]).length === 1,
          20_000,
        );
        expect(outcome.ok).toBe(true);
      } finally {
        harness.rapl.setWatts(PACKAGE_WATTS, CORE_WATTS);
      }
    });
  });
});

describe('deliberately broken files are caught', () => {
  it('a wrong bcrypt hash in the web config: the right password gets 401', async () => {
    const harness = await startHarness({
      exporters: false,
      readyStatuses: [200, 401],
      mutateFiles: ({ prometheusRoot }) => {
        const file = path.join(prometheusRoot, PROMETHEUS_PATHS.webConfig);
        const text = readFileSync(file, 'utf8');
        const hash = /\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/.exec(text)?.[0];
        expect(hash, 'web-config.yml holds a bcrypt hash').toBeDefined();
        writeFileSync(file, text.replace(hash!, bcrypt.hashSync('not-the-password', 4)));
      },
    });
    try {
      const res = await httpsGet(harness.endpoint, '/api/v1/query?query=up');
      expect(res.status).toBe(401);
    } finally {
      await harness.stop();
    }
  });

  it('a wrong certificate path in the web config: Prometheus does not serve', async () => {
    const start = startHarness({
      exporters: false,
      prometheusReadyTimeoutMs: 15_000,
      mutateFiles: ({ prometheusRoot }) => {
        const file = path.join(prometheusRoot, PROMETHEUS_PATHS.webConfig);
        writeFileSync(file, readFileSync(file, 'utf8').replace(PROMETHEUS_PATHS.serverCertificate, '/etc/prometheus/tls/missing.crt'));
      },
    });
    // startHarness stops whatever it started before rejecting.
    await expect(start).rejects.toThrow(/missing\.crt/);
  });
});
