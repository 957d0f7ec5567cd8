import type { CatalogMetric, ScrapeJobName } from '../core/metric-catalog';
import { CADVISOR_METRICS } from './cadvisor/metrics';
import { NODE_METRICS } from './node-exporter/metrics';
import { PROMETHEUS_METRICS, SCRAPE_METRICS } from './prometheus/metrics';
import { SCAPHANDRE_METRICS } from './scaphandre/metrics';
import { IPMI_METRICS } from './ipmi/metrics';
import { POWER_SPLIT_METRICS } from './power-split/metrics';
import { PLATFORM_POWER_METRICS } from './platform-power/metrics';

/**
 * The catalog of the built-in scrape jobs, gathered from the component folders: each folder's
 * metrics.ts holds its entries, and is appended here by one line. (An add-on's metrics, such as
 * DCGM's or blackbox's, travel with its component instead: `MonitoringComponent.metrics`.)
 */

/** The whole catalog of the built-in jobs. Metric names are unique (test/components/metric-catalog.test.ts). */
export const METRIC_CATALOG: readonly CatalogMetric[] = [
  ...SCRAPE_METRICS,
  ...NODE_METRICS,
  ...CADVISOR_METRICS,
  ...SCAPHANDRE_METRICS,
  ...PROMETHEUS_METRICS,
  ...IPMI_METRICS,
  ...POWER_SPLIT_METRICS,
  ...PLATFORM_POWER_METRICS,
];

const BY_NAME: ReadonlyMap<string, CatalogMetric> = new Map(METRIC_CATALOG.map((m) => [m.name, m]));

/** The catalog entry for a metric name, or `undefined` when no PeekStack exporter produces it. */
export function lookupMetric(name: string): CatalogMetric | undefined {
  return BY_NAME.get(name);
}

/** The metrics the targets of one built-in scrape job produce (synthetic `up`/`scrape_*` included). */
export function metricsOfJob(job: ScrapeJobName): CatalogMetric[] {
  return METRIC_CATALOG.filter((m) => m.jobs.includes(job));
}
