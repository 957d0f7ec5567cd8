/**
 * The metric catalog against reality: its cAdvisor entries against cAdvisor's own exposition
 * (test/fixtures/cadvisor-metrics.prom), and its own
 * consistency (unique names, lookups, job lists).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expositionType, SCRAPE_JOBS } from '../../src/core/metric-catalog';
import { lookupMetric, METRIC_CATALOG, metricsOfJob } from '../../src/components/metric-catalog';

/** cAdvisor's golden exposition, kept in the repository (test/fixtures/README.md says where from). */
const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

/** Metric name → declared `# TYPE` of a Prometheus text exposition. */
function declaredTypes(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(match[1], match[2]);
  return types;
}

describe('metric catalog', () => {
  it('has unique, valid metric names', () => {
    const names = METRIC_CATALOG.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
  });

  it('follows the naming conventions of its types', () => {
    for (const m of METRIC_CATALOG) {
      if (m.name.endsWith('_total')) expect(m.type, m.name).toBe('counter');
      if (m.type === 'info') expect(m.name, m.name).toMatch(/_info$/);
    }
  });

  it('finds metrics by name and by job', () => {
    expect(lookupMetric('node_cpu_seconds_total')).toMatchObject({ type: 'counter', jobs: ['node'] });
    expect(lookupMetric('no_such_metric')).toBeUndefined();
    for (const job of SCRAPE_JOBS) {
      const ofJob = metricsOfJob(job);
      expect(ofJob.map((m) => m.name)).toContain('up');
      expect(ofJob.every((m) => m.jobs.includes(job))).toBe(true);
    }
    expect(metricsOfJob('scaphandre').map((m) => m.name)).toContain('scaph_host_power_microwatts');
    expect(metricsOfJob('scaphandre').map((m) => m.name)).not.toContain('process_cpu_seconds_total');
  });

  it('says which --enable_metrics group produces each cAdvisor metric, and only for cAdvisor', () => {
    for (const m of METRIC_CATALOG) {
      const onlyCadvisor = m.jobs.length === 1 && m.jobs[0] === 'cadvisor';
      expect(m.cadvisorGroup !== undefined, m.name).toBe(onlyCadvisor);
    }
  });
});

describe('cAdvisor entries against cAdvisor exposition fixture', () => {
  const fixture = declaredTypes(readFileSync(path.join(FIXTURES, 'cadvisor-metrics.prom'), 'utf8'));
  const cadvisor = METRIC_CATALOG.filter((m) => m.cadvisorGroup !== undefined);

  it('covers cpu, memory, network and oom_event metrics (the enabled groups)', () => {
    const groups = new Set(cadvisor.map((m) => m.cadvisorGroup));
    expect([...groups].sort()).toEqual(['always', 'cpu', 'memory', 'network', 'oom_event']);
  });

  it.each(cadvisor.map((m) => [m.name, m] as const))('%s is exposed by cAdvisor with the same TYPE', (name, metric) => {
    expect(fixture.has(name), `${name} not in the fixture`).toBe(true);
    expect(fixture.get(name)).toBe(expositionType(metric));
  });
});
