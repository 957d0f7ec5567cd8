import type { DashboardDefinition } from './definition';
import { dashboardQueries, dashboardVariables, substituteVariables } from './dashboard-queries';
import type { CatalogMetric } from '../core/metric-catalog';
import { METRIC_CATALOG } from '../components/metric-catalog';
import { SelectorUse, selectorUses } from '../core/promql';
import { LruCache } from '../core/lru-cache';
import { isRecordingRule, RuleGroup } from '../core/rule-group';

/**
 * The metric-catalog check: every metric a dashboard or a rule reads must be produced by a component
 * present (or by a recording rule), and be used as its type allows. A query on a metric nobody
 * exports draws an empty panel with no error, and `rate()` of a gauge draws plausible nonsense: both
 * are silent in Grafana, so they are refused at synthesis, naming the panel or rule and the metric.
 */

/** Functions that turn a counter into something meaningful. */
export const COUNTER_FUNCTIONS: ReadonlySet<string> = new Set(['rate', 'irate', 'increase', 'resets']);

/** Functions that say something true of a series of any type (presence, change, timestamps). */
const ANY_TYPE_FUNCTIONS: ReadonlySet<string> = new Set(['changes', 'absent', 'absent_over_time', 'present_over_time', 'count_over_time', 'timestamp']);

/** One expression to check, and where it stands (for the message). */
export interface ExpressionUse {
  /** E.g. `dashboard "PeekStack power" panel "Host power"` or `rule group "x" rule "y"`. */
  readonly where: string;
  /** PromQL; Grafana variables are substituted before the check. */
  readonly expr: string;
}

/** The metrics known to a check: PeekStack's catalog, components' metrics, recording rules' outputs. */
export class MetricCatalogIndex {
  private readonly byName = new Map<string, CatalogMetric>();

  constructor(metrics: readonly CatalogMetric[] = METRIC_CATALOG) {
    this.add(metrics);
  }

  /** Adds metrics; an existing name keeps its first entry. */
  public add(metrics: readonly CatalogMetric[]): void {
    for (const metric of metrics) if (!this.byName.has(metric.name)) this.byName.set(metric.name, metric);
  }

  /** Adds the series the recording rules of `groups` write: `*_total` records are counters, others gauges. */
  public addRecordingRules(groups: readonly RuleGroup[], job = 'recording rule'): void {
    this.add(
      groups.flatMap((group) =>
        group.rules.filter(isRecordingRule).map(
          (rule): CatalogMetric => ({ name: rule.record, type: rule.record.endsWith('_total') ? 'counter' : 'gauge', jobs: [job], help: `Recorded by rule group "${group.name}".` }),
        ),
      ),
    );
  }

  public lookup(name: string): CatalogMetric | undefined {
    return this.byName.get(name);
  }
}

/** Problems of one expression, each naming `where` and the metric. */
export function expressionProblems(use: ExpressionUse, catalog: MetricCatalogIndex): string[] {
  const uses = selectorUsesOf(use.expr);
  if (typeof uses === 'string') return [`${use.where}: cannot read the expression (${uses})`];
  const problems: string[] = [];
  for (const selector of uses) {
    const metric = catalog.lookup(selector.name);
    const fn = selector.directFunction ?? '';
    if (!metric) {
      problems.push(`${use.where}: metric "${selector.name}" is produced by no component present (add the component that exports it, with its metrics, or fix the name)`);
    } else if (ANY_TYPE_FUNCTIONS.has(fn)) {
      continue;
    } else if (metric.type === 'counter' && !COUNTER_FUNCTIONS.has(fn)) {
      problems.push(`${use.where}: counter "${selector.name}" is used ${fn ? `in ${fn}()` : 'bare'}; a counter is meaningful only through rate(), irate(), increase() or resets()`);
    } else if (metric.type !== 'counter' && COUNTER_FUNCTIONS.has(fn)) {
      problems.push(`${use.where}: ${metric.type} "${selector.name}" is passed to ${fn}(), which is only for counters`);
    }
  }
  return problems;
}

/** Every expression of a set of dashboards: panel queries and query variables. */
export function dashboardExpressions(dashboards: readonly DashboardDefinition[]): ExpressionUse[] {
  const panels = dashboardQueries(dashboards).map((query) => ({
    where: `dashboard "${dashboards.find((d) => d.uid === query.dashboardUid)?.title ?? query.dashboardUid}" (${query.dashboardUid}) panel "${query.panelTitle}" query ${query.refId}`,
    expr: query.expr,
  }));
  const variables = dashboards.flatMap((dashboard) =>
    dashboardVariables(dashboard)
      .filter((variable) => variable.type === 'query' && variable.query)
      .map((variable) => ({
        where: `dashboard "${dashboard.title}" (${dashboard.uid}) variable "${variable.name}"`,
        // label_values(<selector>, label): the selector is what reads a metric.
        expr: /^label_values\((.+),\s*\w+\)$/.exec(variable.query ?? '')?.[1] ?? variable.query ?? '',
      })),
  );
  return [...panels, ...variables];
}

/** Every expression of a set of rule groups. */
export function ruleExpressions(groups: readonly RuleGroup[]): ExpressionUse[] {
  return groups.flatMap((group) =>
    group.rules.map((rule) => ({
      where: `rule group "${group.name}" ${isRecordingRule(rule) ? `recording rule "${rule.record}"` : `alert "${rule.alert}"`}`,
      expr: rule.expr,
    })),
  );
}

/** Problems of many expressions. */
export function catalogProblems(uses: readonly ExpressionUse[], catalog: MetricCatalogIndex): string[] {
  return uses.flatMap((use) => expressionProblems(use, catalog));
}

/**
 * The selectors of `expr` (Grafana variables substituted), or why it cannot be read. Kept by
 * expression: every host checks the same rules and dashboards (a 1000-host synthesis parsed the
 * same few hundred expressions a thousand times each).
 */
function selectorUsesOf(expr: string): readonly SelectorUse[] | string {
  let uses = parsedExpressions.get(expr);
  if (uses === undefined) {
    try {
      uses = selectorUses(substituteVariables(expr));
    } catch (error) {
      uses = (error as Error).message;
    }
    parsedExpressions.set(expr, uses);
  }
  return uses;
}

/** Expressions kept: PeekStack's rules and dashboards hold a few hundred. */
const parsedExpressions = new LruCache<string, readonly SelectorUse[] | string>(4096);
