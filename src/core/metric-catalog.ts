/**
 * The vocabulary of the metric catalog: the metrics a PeekStack collector really produces, per
 * scrape job. Each component's entries live in its folder (src/components/<name>/metrics.ts, a
 * `CatalogMetric[]`), and src/components/metric-catalog.ts gathers the built-ins' into one list, one
 * line per folder.
 *
 * Why it exists: a dashboard query that names a metric nobody exports draws an empty panel and
 * no error, and a query that feeds a gauge to `rate()` draws plausible nonsense. Both failures
 * are silent in Grafana, so they are caught in tests instead:
 * - `test/dashboards.test.ts` checks every metric in every dashboard expression against the
 *   catalog and uses its `type` to forbid `rate()`/`increase()` on gauges and bare counters;
 * - `test/components/metric-catalog.test.ts` checks the cAdvisor entries against cAdvisor's own exposition
 *   (`shared/fixtures/cadvisor-metrics.prom`); real-binary tests can check the node_exporter,
 *   Scaphandre and Prometheus entries against live `/metrics` pages.
 *
 * It describes the exporters as PeekStack runs them (not everything they can do): each folder's
 * metrics.ts names the flags.
 * Every series also carries `job`, `instance` and the `host` label set by relabeling; those are
 * not repeated in `labels` below.
 *
 * The list is not exhaustive (node_exporter alone exports hundreds of series): it holds at
 * least every metric a dashboard uses, plus their close relatives.
 */

import { BuiltinJobName, JOB } from './labels';

/**
 * Prometheus metric type. `info` is a gauge whose value is always 1 and whose labels carry
 * the information (`*_info`); the text exposition declares it `gauge`.
 */
export type MetricType = 'counter' | 'gauge' | 'info';

/** Scrape job names of PeekStack's built-in components (see {@link JOB}). */
export type ScrapeJobName = BuiltinJobName;

/** Every built-in scrape job, in a stable order. */
export const SCRAPE_JOBS: readonly ScrapeJobName[] = [JOB.node, JOB.cadvisor, JOB.scaphandre, JOB.prometheus];

/**
 * The cAdvisor `--enable_metrics` group that turns a metric on; `always` for the metrics cAdvisor
 * exports whatever the flag says.
 */
export type CadvisorMetricGroup = 'always' | 'cpu' | 'memory' | 'network' | 'oom_event';

/** One metric of the catalog. */
export interface CatalogMetric {
  readonly name: string;
  readonly type: MetricType;
  /** Jobs whose targets expose the metric (several for the Go client's `process_*` metrics); a user component's own job name for its metrics. */
  readonly jobs: readonly string[];
  readonly help: string;
  /** Labels of the metric beyond `job`, `instance` and `host`, when dashboards rely on them. */
  readonly labels?: readonly string[];
  /** For cAdvisor metrics: the `--enable_metrics` group that produces it. */
  readonly cadvisorGroup?: CadvisorMetricGroup;
  /**
   * Set when the metric exists only on some machines or setups (a RAPL domain the CPU lacks,
   * a measure that needs two samples...): says when it is there. Absent: always exported.
   */
  readonly onlyWhen?: string;
  /** True for series Prometheus itself writes for every scrape (`up`, `scrape_*`). */
  readonly synthetic?: boolean;
}

/** The `# TYPE` a text exposition declares for a catalog metric (`info` is written as `gauge`). */
export function expositionType(metric: CatalogMetric): 'counter' | 'gauge' {
  return metric.type === 'info' ? 'gauge' : metric.type;
}
