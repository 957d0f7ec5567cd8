/**
 * The shape of one metric-catalog entry, apart from the catalog itself (metric-catalog.ts): a
 * component's own `metrics.ts` (src/components/ipmi/metrics.ts) types its entries with it, and the
 * catalog appends them, without an import loop between the two.
 */

/**
 * Prometheus metric type. `info` is a gauge whose value is always 1 and whose labels carry
 * the information (`*_info`); the text exposition declares it `gauge`.
 */
export type MetricType = 'counter' | 'gauge' | 'info';

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
