import { componentOf, PROMETHEUS_COMPONENT } from '..';
import { PEEKSTACK_RULE_FILE } from '../../render/rules';
import type { CollectorComponent } from '../collector-component';

/**
 * Prometheus's own component as a collector attaches it: the collector's Prometheus scrapes itself
 * (its construct adds that job), so the component brings its availability and delivery alerts, with
 * the host's thresholds, and its metrics.
 */
export function prometheusSelfScrapeComponent(): CollectorComponent {
  return {
    name: PROMETHEUS_COMPONENT.name,
    bind: (collector) => {
      const { ruleGroups, metrics } = componentOf(PROMETHEUS_COMPONENT, undefined, collector.alertThresholds);
      return { ruleGroups, metrics, ruleFileName: PEEKSTACK_RULE_FILE };
    },
  };
}
