import { renderRuleFile, RenderedRuleFile, PEEKSTACK_RULE_FILE, RULE_FILE_HEADER } from '../render/rules';
import { AlertThresholds, DEFAULT_ALERT_THRESHOLDS } from '../core/alert-thresholds';
import { MonitoringComponent } from './component';
import { RuleGroup } from '../core/rule-group';
import { ScrapeTarget } from '../core/scrape-target';
import { BLACKBOX_COMPONENT } from './blackbox/definition';
import { CADVISOR_COMPONENT } from './cadvisor/definition';
import { ComponentDefinition } from './definition';
import { NODE_EXPORTER_COMPONENT } from './node-exporter/definition';
import { PROMETHEUS_COMPONENT } from './prometheus/definition';
import { SCAPHANDRE_COMPONENT } from './scaphandre/definition';

export * from './alert';
export * from './definition';
export { BLACKBOX_COMPONENT, CADVISOR_COMPONENT, NODE_EXPORTER_COMPONENT, PROMETHEUS_COMPONENT, SCAPHANDRE_COMPONENT };

/** PeekStack's built-in components, in the order a collector adds them. */
export const BUILTIN_COMPONENTS: readonly ComponentDefinition[] = [NODE_EXPORTER_COMPONENT, CADVISOR_COMPONENT, SCAPHANDRE_COMPONENT, BLACKBOX_COMPONENT, PROMETHEUS_COMPONENT];

/** A component's rule groups: its recording rules, then its alerts with `thresholds` applied. */
export function ruleGroupsOf(definition: ComponentDefinition, thresholds: Required<AlertThresholds> = DEFAULT_ALERT_THRESHOLDS): RuleGroup[] {
  return [...definition.ruleGroups, ...(definition.alerts?.(thresholds) ?? [])];
}

/**
 * The rule file of every built-in component, as a collector with all of them loads it (the file
 * the promtool tests check).
 */
export function renderPeekStackRules(
  components: readonly ComponentDefinition[] = BUILTIN_COMPONENTS,
  thresholds: Required<AlertThresholds> = DEFAULT_ALERT_THRESHOLDS,
): RenderedRuleFile {
  return { fileName: PEEKSTACK_RULE_FILE, content: renderRuleFile(components.flatMap((component) => ruleGroupsOf(component, thresholds)), RULE_FILE_HEADER) };
}

/**
 * Each definition's dashboards, built once per process: every collector of a fleet has the same
 * built-in components, and building their dashboards for each host was 3 % of a 200-host synthesis.
 */
const builtDashboards = new WeakMap<ComponentDefinition, ReturnType<ComponentDefinition['dashboards']>>();

/** A built-in component as a collector wires it: its definition, its built dashboards, how it is scraped, its alerts with the host's thresholds. */
export function componentOf(definition: ComponentDefinition, scrapeTarget: ScrapeTarget | undefined, thresholds: Required<AlertThresholds> = DEFAULT_ALERT_THRESHOLDS): MonitoringComponent {
  let dashboards = builtDashboards.get(definition);
  if (!dashboards) builtDashboards.set(definition, (dashboards = definition.dashboards()));
  return { name: definition.name, scrapeTarget, ruleGroups: ruleGroupsOf(definition, thresholds), dashboards, metrics: definition.metrics };
}
