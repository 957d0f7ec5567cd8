/**
 * Contract of the dashboards as code: what Grafana needs (uids, datasource variables), what the
 * collectors really export (metric catalog), PromQL that respects metric types, units that match
 * what is plotted, and expressions the real promtool parses.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildDashboards } from '../src/components/dashboards';
import { buildFleetDashboard } from '../src/interface/interface';
import { MetricCatalogIndex } from '../src/dashboards/catalog-check';
import { Collector } from '../src/collector/collector';
import { synthConstructs } from './support/synth';
import { toolPath } from './real/tools';
import { dashboardQueries, dashboardVariables, panelsOf, substituteVariables } from '../src/dashboards/dashboard-queries';
import { metricNames, selectorUses } from '../src/core/promql';

/** The shipped dashboards, and the Fleet dashboard as built for a two-host fleet. */
const dashboards = [...buildDashboards(), buildFleetDashboard(['web-1', 'db-1'])];

/**
 * What a default collector's Prometheus holds: the exporters' catalogued metrics and the series its
 * recording rules write (the energy panels read recorded kWh, gCO₂e and cost), as the Interface's
 * synthesis-time check sees them.
 */
const catalog = new MetricCatalogIndex();
synthConstructs((scope) => {
  const collector = new Collector(scope, 'collector', { hostName: 'catalog', addresses: ['192.0.2.1'] });
  catalog.addRecordingRules([...collector.prometheus.ruleGroups.values()].flat());
});
const lookupMetric = (name: string) => catalog.lookup(name);
const queries = dashboardQueries(dashboards);
/**
 * Queries that read no metric, only the fleet file's host list (`label_replace(vector(1), ...)`):
 * the Fleet dashboard's "in the fleet" count. They are the only ones exempt from the host and
 * catalog rules below.
 */
const fleetFileOnly = (q: { expr: string }) => metricNames(substituteVariables(q.expr)).length === 0;
const where = (q: { dashboardUid: string; panelTitle: string; refId: string }): string =>
  `${q.dashboardUid} / "${q.panelTitle}" / ${q.refId}`;

/** Functions that turn a counter into something meaningful; the only ones a counter may feed. */
const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);

describe('dashboard set', () => {
  it('has the PeekStack dashboards (and the Fleet one) with stable uids and unique titles and file names', () => {
    expect(dashboards.map((d) => d.uid)).toEqual(['peekstack-system', 'peekstack-containers', 'peekstack-power', 'peekstack-fleet']);
    expect(queries.filter(fleetFileOnly).map((q) => `${q.dashboardUid} / ${q.panelTitle}`)).toEqual(['peekstack-fleet / Hosts reporting']);
    expect(new Set(dashboards.map((d) => d.title)).size).toBe(dashboards.length);
    expect(dashboards.map((d) => d.fileName)).toEqual(dashboards.map((d) => `${d.uid}.json`));
    for (const d of dashboards) expect((d.json as { uid?: string }).uid).toBe(d.uid);
  });

  it('serializes to JSON without loss', () => {
    for (const d of dashboards) expect(JSON.parse(JSON.stringify(d.json))).toEqual(d.json);
  });

  it('numbers panels uniquely within each dashboard', () => {
    for (const d of dashboards) {
      const ids = ((d.json as { panels?: { id?: number }[] }).panels ?? []).map((p) => p.id);
      expect(ids.every((id) => typeof id === 'number')).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});

describe.each(dashboards.map((d) => [d.uid, d] as const))('%s variables', (_uid, definition) => {
  const variables = dashboardVariables(definition);

  it('lets the user pick a PeekStack Prometheus datasource', () => {
    expect(variables[0]).toEqual({ name: 'datasource', type: 'datasource', query: 'prometheus' });
  });

  it('has a host variable listing the hosts of the chosen datasource', () => {
    const host = variables.find((v) => v.name === 'host');
    expect(host?.type).toBe('query');
    expect(host?.query).toBe('label_values(up{job="node"}, host)');
  });

  it('reads only catalogued metrics in its variable queries', () => {
    for (const v of variables.filter((v) => v.type === 'query')) {
      const selector = /^label_values\((.+),\s*\w+\)$/.exec(v.query ?? '')?.[1];
      expect(selector, `variable ${v.name}: ${v.query}`).toBeDefined();
      for (const name of metricNames(substituteVariables(selector as string))) {
        expect(lookupMetric(name), `variable ${v.name} reads ${name}`).toBeDefined();
      }
    }
  });
});

describe('panels and queries', () => {
  it('every panel has at least one query, and every query a non-empty expression', () => {
    for (const d of dashboards) {
      for (const panel of panelsOf(d)) {
        expect(panel.targets?.length, `${d.uid} / "${panel.title}"`).toBeGreaterThan(0);
      }
    }
    for (const q of queries) expect(q.expr.trim(), where(q)).not.toBe('');
  });

  it('every panel and every query use the ${datasource} variable', () => {
    for (const q of queries) {
      expect(q.panelDatasourceUid, where(q)).toBe('${datasource}');
      expect(q.datasourceUid, where(q)).toBe('${datasource}');
    }
  });

  it('every query is restricted to the selected hosts', () => {
    for (const q of queries.filter((q) => !fleetFileOnly(q))) expect(q.expr, where(q)).toContain('host=~"$host"');
  });

  it('reads only metrics the collector exports (metric catalog)', () => {
    for (const q of queries.filter((q) => !fleetFileOnly(q))) {
      const names = metricNames(substituteVariables(q.expr));
      expect(names.length, where(q)).toBeGreaterThan(0);
      for (const name of names) expect(lookupMetric(name), `${where(q)} reads ${name}`).toBeDefined();
    }
  });

  it('feeds counters only to rate/irate/increase/resets, and gauges never', () => {
    for (const q of queries) {
      for (const use of selectorUses(substituteVariables(q.expr))) {
        const type = lookupMetric(use.name)?.type;
        const inCounterFunction = COUNTER_FUNCTIONS.has(use.directFunction ?? '');
        const message = `${where(q)}: ${type} ${use.name} passed to ${use.directFunction ?? 'nothing'}`;
        expect(inCounterFunction, message).toBe(type === 'counter');
      }
    }
  });

  it('uses $__range only in instant queries (one value for the whole range)', () => {
    for (const q of queries.filter((q) => q.expr.includes('$__range'))) {
      expect(q.instant, where(q)).toBe(true);
    }
  });
});

describe('units', () => {
  // First matching rule wins; every panel must match one, so a new panel forces a unit decision.
  const rules: readonly { readonly title: RegExp; readonly unit: string }[] = [
    { title: /^hosts/i, unit: 'short' },
    { title: /% of one core/i, unit: 'percent' },
    { title: /\(%\)|share of|busy/i, unit: 'percentunit' },
    { title: /CO₂e/, unit: 'suffix: gCO₂e' },
    { title: /cost/i, unit: 'none' }, // hosts may price in different currencies: the legend names it
    { title: /energy/i, unit: 'kwatth' },
    { title: /power/i, unit: 'watt' },
    { title: /frequency/i, unit: 'hertz' },
    { title: /memory|swap|space available/i, unit: 'bytes' },
    { title: /network|disk i\/o/i, unit: 'Bps' },
    { title: /load/i, unit: 'short' },
    { title: /uptime/i, unit: 'dtdurations' },
  ];

  it('match what each kind of panel plots', () => {
    for (const q of queries) {
      const rule = rules.find((r) => r.title.test(q.panelTitle));
      expect(rule, `no unit rule for ${where(q)}`).toBeDefined();
      expect(q.unit, where(q)).toBe(rule?.unit);
    }
  });

  it('convert Scaphandre microwatts to watts and energy counters to kWh (records in watts name their unit)', () => {
    for (const q of queries) {
      const names = metricNames(substituteVariables(q.expr));
      if (q.unit === 'watt') {
        for (const name of names) {
          if (name.endsWith('_microwatts')) expect(q.expr, where(q)).toContain('/ 1000000');
          // A record already in watts says so in its name (level:<metric>_watts:operations, or host:platform_<what>_watts).
          else if (name.includes(':')) expect(name, where(q)).toMatch(/^[a-z]+:[a-z_]*_watts:[a-z0-9_]+$|^host:platform_\w+_watts$/);
          else expect(name, where(q)).toMatch(/_joules_total$/); // rate(J) = W
        }
      }
      if (q.unit === 'kwatth') {
        // Energy never comes from increase() of a whole energy counter: RAPL counters wrap, one socket
        // at a time, and Scaphandre's host counter is the sum of the sockets' (src/energy/rules.ts).
        // It is integrated power: the energy rules' per-evaluation records (already kWh), or mean
        // power times the range's seconds (the fleet store); or, per RAPL zone, increase() where the
        // zone did not wrap in the range (joules / 3.6e6).
        for (const name of names) {
          if (name.endsWith('_kwh:per_evaluation')) expect(q.expr, where(q)).toMatch(new RegExp(`sum_over_time\\(${name}\\{[^}]*\\}\\[\\$__range\\]\\)`));
          else if (name.endsWith('_microwatts')) expect(q.expr, where(q)).toMatch(new RegExp(`avg_over_time\\(${name}\\{[^}]*\\}\\[\\$__range\\]\\)\\) \\* \\$__range_s / 3600000000000`));
          else if (name.endsWith('_joules_total')) expect(q.expr, where(q)).toMatch(new RegExp(`increase\\(${name}\\{[^}]*\\}\\[\\$__range\\]\\) unless resets\\(${name}\\{[^}]*\\}\\[\\$__range\\]\\) > 0\\) / 3600000`));
          else expect.fail(`${where(q)}: energy from ${name}`);
        }
      }
    }
  });

  it('show CPU frequencies from hertz metrics', () => {
    for (const q of queries.filter((q) => q.unit === 'hertz')) {
      for (const name of metricNames(substituteVariables(q.expr))) expect(name, where(q)).toMatch(/_hertz$/);
    }
  });

  it('memory panels plot memory metrics only (no CPU, no process counts)', () => {
    const memoryQueries = queries.filter((q) => /memory/i.test(q.panelTitle));
    expect(memoryQueries.length).toBeGreaterThan(0);
    for (const q of memoryQueries) {
      for (const name of metricNames(substituteVariables(q.expr))) expect(name, where(q)).toMatch(/_memory_/);
    }
  });
});

describe('promtool', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-dashboards-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses every dashboard expression (as recording rules)', () => {
    const rules = queries.map((q, i) => ({
      record: `peekstack:dashboard_query_${i}`,
      expr: substituteVariables(q.expr),
      labels: { dashboard: q.dashboardUid, panel: q.panelTitle, ref_id: q.refId },
    }));
    const file = path.join(dir, 'dashboard-queries.rules.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
    let output: string;
    try {
      output = execFileSync(toolPath('promtool'), ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      throw new Error(`promtool check rules failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
    }
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
