import { renderRuleFile, RenderedRuleFile, PEEKSTACK_RULE_FILE, RULE_FILE_HEADER } from '../render/rules';
import { MonitoringComponent } from '../component';
import { ScrapeTarget } from '../scrape-target';
import { CADVISOR_COMPONENT } from './cadvisor';
import { ComponentDefinition } from './definition';
import { NODE_EXPORTER_COMPONENT } from './node-exporter';
import { PROMETHEUS_COMPONENT } from './prometheus';
import { SCAPHANDRE_COMPONENT } from './scaphandre';

export * from './definition';
export { CADVISOR_COMPONENT, NODE_EXPORTER_COMPONENT, PROMETHEUS_COMPONENT, SCAPHANDRE_COMPONENT };

/** PeekStack's built-in components, in the order a collector adds them. */
export const BUILTIN_COMPONENTS: readonly ComponentDefinition[] = [NODE_EXPORTER_COMPONENT, CADVISOR_COMPONENT, SCAPHANDRE_COMPONENT, PROMETHEUS_COMPONENT];

/**
 * The rule file of every built-in component, as a collector with all of them loads it (the file
 * the promtool tests check).
 */
export function renderPeekStackRules(components: readonly ComponentDefinition[] = BUILTIN_COMPONENTS): RenderedRuleFile {
  return { fileName: PEEKSTACK_RULE_FILE, content: renderRuleFile(components.flatMap((component) => component.ruleGroups), RULE_FILE_HEADER) };
}

/**
 * Each definition's dashboards, built once per process: every collector of a fleet has the same
 * built-in components, and building their dashboards for each host was 3 % of a 200-host synthesis.
 */
const builtDashboards = new WeakMap<ComponentDefinition, ReturnType<ComponentDefinition['dashboards']>>();

/** A built-in component as a collector wires it: its definition, its built dashboards and how it is scraped. */
export function componentOf(definition: ComponentDefinition, scrapeTarget: ScrapeTarget): MonitoringComponent {
  let dashboards = builtDashboards.get(definition);
  if (!dashboards) builtDashboards.set(definition, (dashboards = definition.dashboards()));
  return { name: definition.name, scrapeTarget, ruleGroups: definition.ruleGroups, dashboards, metrics: definition.metrics };
}
