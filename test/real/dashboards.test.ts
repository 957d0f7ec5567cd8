/**
 * Runtime level for the dashboards: every PromQL expression of every shipped dashboard, variables
 * substituted as Grafana would, runs against the harness Prometheus (real node_exporter and
 * Scaphandre on a simulated RAPL tree, cAdvisor's golden exposition) and must evaluate; every panel
 * of the system, power and containers dashboards must draw data, except the few listed below with
 * the reason this machine cannot feed them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards } from '../../src/components/dashboards';
import type { DashboardDefinition } from '../../src/dashboards';
import { CONTAINERS_DASHBOARD_UID } from '../../src/components/cadvisor/dashboard';
import { POWER_DASHBOARD_UID } from '../../src/components/scaphandre/dashboard';
import { SYSTEM_DASHBOARD_UID } from '../../src/components/node-exporter/dashboard';
import { builtinValuesFor } from '../../src/dashboards/dashboard-queries';
import { METRIC_CATALOG } from '../../src/components/metric-catalog';
import { seriesOf } from './prometheus-api';
import {
  checkDashboardQueries,
  describeChecks,
  failedQueries,
  NO_DATA_HERE,
  queriesWithoutData,
  type QueryCheck,
  type QueryRunner,
  staleAllowances,
} from './dashboard-check';
import { type Harness, HARNESS_JOBS, startHarness } from './harness';


/** Seconds of data the range queries look at (and `$__range`). */
const RANGE_SECONDS = 20;

let harness: Harness;
let definitions: DashboardDefinition[];
let values: Record<string, string>;
let run: QueryRunner;

beforeAll(async () => {
  // A simulated ACPI meter and a power model: the platform panels have data to show.
  harness = await startHarness({ acpiMeterWatts: 120, platformPower: { model: { idleWatts: 60, maxWatts: 200 } } });
  definitions = buildDashboards();
  // Grafana's variables: the harness host, the containers dashboard's defaults (name regex `.+`,
  // Compose "All" `.*`), and interval variables fitting a 2 s scrape (rate windows of 4 scrapes of
  // the slowest job, Scaphandre's 3 s).
  values = {
    ...builtinValuesFor(harness.scaphandreScrapeIntervalSeconds, RANGE_SECONDS),
    host: harness.hostName,
    container: '.+',
    project: '.*',
    service: '.*',
  };
  run = (expr, instant) => {
    const end = Date.now() / 1000;
    return instant
      ? harness.query(expr, { time: end })
      : harness.query(expr, { range: { start: end - RANGE_SECONDS, end, stepSeconds: harness.scrapeIntervalSeconds } });
  };
  await harness.waitForTargetsUp();
  // The rate windows need two samples of every job a rate panel reads (node, cAdvisor, Scaphandre),
  // and Scaphandre's power gauges its second refresh: wait until each of them answers.
  await harness.waitForQuery(`rate(node_rapl_package_joules_total[${values.__rate_interval}])`, (o) => o.ok && (o.data.result as unknown[]).length > 0);
  await harness.waitForQuery(`rate(container_cpu_usage_seconds_total[${values.__rate_interval}])`, (o) => o.ok && (o.data.result as unknown[]).length > 0);
  await harness.waitForQuery(`increase(scaph_host_energy_microjoules[${values.__rate_interval}])`, (o) => o.ok && (o.data.result as unknown[]).length > 0);
  await harness.waitForQuery('scaph_process_power_consumption_microwatts', (o) => o.ok && (o.data.result as unknown[]).length > 0);
  // The platform records: the meter's, the model's (its rate window needs a few scrapes) and the RAPL shortfall.
  await harness.waitForQuery('host:platform_rapl_shortfall_watts', (o) => o.ok && (o.data.result as unknown[]).length > 0);
  await harness.waitForQuery('host:platform_power_watts{source="model"}', (o) => o.ok && (o.data.result as unknown[]).length > 0);
  // The power split's per-container records: their CPU rate windows need a few scrapes of the fixture.
  await harness.waitForQuery('container:power_active_watts:cpu_share', (o) => o.ok && (o.data.result as unknown[]).length > 0, 90_000);
  await harness.waitForQuery('host:cpu_in_containers:ratio', (o) => o.ok && (o.data.result as unknown[]).length > 0, 90_000);
});

afterAll(async () => {
  await harness?.stop();
});

describe('dashboards against a real Prometheus fed by the rendered configuration', () => {
  let checks: QueryCheck[];
  beforeAll(async () => {
    checks = await checkDashboardQueries(definitions, values, run);
  });

  it('ships the three dashboards, all scraped jobs up', async () => {
    expect(definitions.map((d) => d.uid)).toEqual([SYSTEM_DASHBOARD_UID, CONTAINERS_DASHBOARD_UID, POWER_DASHBOARD_UID]);
    expect(checks.length).toBeGreaterThan(20);
    await harness.waitForTargetsUp(HARNESS_JOBS, 5_000);
  });

  it('every expression of every dashboard evaluates without error', () => {
    expect(failedQueries(checks), describeChecks(failedQueries(checks))).toEqual([]);
  });

  it('every panel of the system and power dashboards returns data (allow-listed panels excepted)', () => {
    const empty = queriesWithoutData(checks, [SYSTEM_DASHBOARD_UID, POWER_DASHBOARD_UID], NO_DATA_HERE);
    expect(empty, `panels without data:\n${describeChecks(empty)}`).toEqual([]);
  });

  it('every panel of the containers dashboard returns data from the cAdvisor fixture', () => {
    const empty = queriesWithoutData(checks, [CONTAINERS_DASHBOARD_UID]);
    expect(empty, `panels without data:\n${describeChecks(empty)}`).toEqual([]);
    // The data is the fixture's container, with the host label added by the rendered relabeling.
    expect(harness.cadvisor?.scrapes()).toBeGreaterThan(0);
  });

  it('the allow-list is still needed: each allowed panel is really empty here', () => {
    expect(staleAllowances(checks, NO_DATA_HERE)).toEqual([]);
  });

  it('the Compose variables of the containers dashboard evaluate (label_values source series exist)', async () => {
    const outcome = await harness.query(`container_last_seen{host=~"${harness.hostName}"}`);
    expect(outcome.ok && (outcome.data.result as unknown[]).length).toBeGreaterThan(0);
    const hosts = await harness.query('up{job="node"}');
    expect(outcome.ok && hosts.ok && (hosts.data.result as { metric: { host: string } }[]).map((s) => s.metric.host)).toEqual([harness.hostName]);
  });
});

describe('the metric catalog against what the real exporters put into Prometheus', () => {
  // cAdvisor is a fixed fixture here, not the binary: its entries are checked against that fixture in
  // test/metric-catalog.test.ts instead.
  const REAL_JOBS = ['node', 'scaphandre', 'prometheus'];

  it('every catalogued metric of node_exporter, Scaphandre and Prometheus is stored, except those documented as hardware-dependent', async () => {
    // One query for every metric name stored per job, after the rendered relabeling and drops.
    const outcome = await harness.query('count by (__name__, job) ({__name__=~".+"})');
    expect(outcome.ok).toBe(true);
    const stored = new Set(seriesOf(outcome).map((s) => `${s.metric.job}/${s.metric.__name__}`));
    const missing = METRIC_CATALOG.filter((metric) => !metric.onlyWhen).flatMap((metric) =>
      metric.jobs.filter((job) => REAL_JOBS.includes(job) && !stored.has(`${job}/${metric.name}`)).map((job) => `${job}/${metric.name}`),
    );
    expect(missing, `catalogued but not stored (a dashboard using them would draw nothing): ${missing.join(', ')}`).toEqual([]);
  });
});

describe('the check catches a broken dashboard', () => {
  it('a misspelt metric in a system panel is reported as a panel without data', async () => {
    // Break one query the way a typo would: Grafana would draw an empty panel and say nothing.
    const broken = structuredClone(definitions);
    const system = broken.find((d) => d.uid === SYSTEM_DASHBOARD_UID)!;
    const text = JSON.stringify(system.json);
    expect(text).toContain('node_load1{');
    system.json = JSON.parse(text.replace(/node_load1\{/g, 'node_laod1{'));

    const checks = await checkDashboardQueries([system], values, run);
    const empty = queriesWithoutData(checks, [SYSTEM_DASHBOARD_UID], NO_DATA_HERE);
    expect(empty.map((c) => c.panelTitle).sort()).toEqual(['Load (1 min)', 'Load average']);
    expect(empty.every((c) => c.expr.includes('node_laod1'))).toBe(true);
    expect(describeChecks(empty)).toMatch(/"Load \(1 min\)" A: 0 series <- node_laod1\{host=~"real-host"\}/);
  });

  it('a syntax error in a query is reported as a failed query', async () => {
    const checks = await checkDashboardQueries(
      [{ uid: 'broken', title: 'broken', fileName: 'broken.json', json: { panels: [{ id: 1, type: 'stat', title: 'Broken', targets: [{ refId: 'A', expr: 'sum by (host (up)' }] }] } }],
      values,
      run,
    );
    expect(failedQueries(checks).map((c) => c.panelTitle)).toEqual(['Broken']);
    expect(failedQueries(checks)[0]!.error).toMatch(/bad_data|parse error/);
  });
});
