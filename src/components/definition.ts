import type { DashboardDefinition } from '../dashboards/definition';
import { AlertThresholds } from '../core/alert-thresholds';
import { CatalogMetric } from '../core/metric-catalog';
import { RuleGroup } from '../core/rule-group';

/**
 * The part of a built-in component that does not depend on a deployment: its job name, rules,
 * dashboards and catalog. Pure data (no cdktf), so renderers, tests and `validate` can use it; the
 * exporter's construct adds the container and the scrape target.
 */
export interface ComponentDefinition {
  /** Component name (also the Docker `peekstack.component` label value). */
  readonly name: string;
  /** Scrape job name (`job` label). */
  readonly jobName: string;
  /** Rule groups, loaded into peekstack.rules.yml. */
  readonly ruleGroups: readonly RuleGroup[];
  /**
   * Its alerts, with the host's thresholds written into the expressions; loaded into
   * peekstack.rules.yml after `ruleGroups`.
   * @default - none
   */
  readonly alerts?: (thresholds: Required<AlertThresholds>) => RuleGroup[];
  /** Builds its dashboards (on demand: building costs time that `list` and `validate` need not pay). */
  readonly dashboards: () => DashboardDefinition[];
  /** The metrics its targets produce. */
  readonly metrics: readonly CatalogMetric[];
}
