import type { DashboardDefinition } from '../dashboards/definition';
import { CatalogMetric } from '../core/metric-catalog';
import { RuleGroup } from '../core/rule-group';
import { ScrapeTarget } from '../core/scrape-target';

/**
 * What a monitoring component brings, from one place (kube-prometheus's "mixin" idea): how it is
 * scraped, its rules, its dashboards and the metrics it produces. `Collector.addComponent` wires a
 * component into a collector; the interface provisions its dashboards; the catalog check proves that
 * every metric its rules and dashboards read is produced by a component present, with the right type.
 */
export interface MonitoringComponent {
  /** Unique name within a collector, e.g. `scaphandre` or `dcgm`. */
  readonly name: string;
  /**
   * How Prometheus scrapes it.
   * @default - not scraped (a component of rules or dashboards only)
   */
  readonly scrapeTarget?: ScrapeTarget;
  /**
   * Recording and alerting rules, loaded by the collector's Prometheus.
   * @default - none
   */
  readonly ruleGroups?: readonly RuleGroup[];
  /**
   * Dashboards, provisioned by the interface.
   * @default - none
   */
  readonly dashboards?: readonly DashboardDefinition[];
  /**
   * The metrics it produces (its catalog): what its rules and dashboards, and anyone else's, may read.
   * @default - none
   */
  readonly metrics?: readonly CatalogMetric[];
}
