/**
 * The queries of dashboards, and Grafana-variable substitution that turns them into
 * plain PromQL that promtool and a real Prometheus accept. Shared by the dashboard contract test
 * and the runtime test that evaluates every query against a real Prometheus.
 */
import type { DashboardDefinition } from './definition';

/** One Prometheus query of one dashboard panel. */
export interface DashboardQuery {
  readonly dashboardUid: string;
  readonly panelId: number | undefined;
  readonly panelTitle: string;
  /** Grafana panel type (`timeseries`, `stat`...). */
  readonly panelType: string;
  /** The panel's default unit (`fieldConfig.defaults.unit`). */
  readonly unit: string | undefined;
  /** Datasource uid of the panel (a variable reference such as `${datasource}`). */
  readonly panelDatasourceUid: string | undefined;
  /** Datasource uid of the query itself. */
  readonly datasourceUid: string | undefined;
  readonly refId: string;
  /** True when Grafana evaluates the query once, at the end of the range. */
  readonly instant: boolean;
  /** The expression as stored in the dashboard, Grafana variables included. */
  readonly expr: string;
}

/** One template variable of a dashboard. */
export interface DashboardVariable {
  readonly name: string;
  readonly type: string;
  /** The variable's query or default value, as stored. */
  readonly query: string | undefined;
}

// The slice of the dashboard JSON model read here; `DashboardDefinition.json` is a plain object.
export interface PanelJson {
  id?: number;
  type?: string;
  title?: string;
  datasource?: { uid?: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { refId?: string; expr?: string; instant?: boolean; datasource?: { uid?: string } }[];
  panels?: PanelJson[];
}
interface DashboardJson {
  panels?: PanelJson[];
  templating?: { list?: { name?: string; type?: string; query?: unknown }[] };
}

/** Every panel of a dashboard, panels of collapsed rows included; rows themselves left out. */
export function panelsOf(definition: DashboardDefinition): PanelJson[] {
  const flatten = (panels: PanelJson[]): PanelJson[] =>
    panels.flatMap((p) => (p.type === 'row' ? flatten(p.panels ?? []) : [p]));
  return flatten((definition.json as DashboardJson).panels ?? []);
}

/** Every query of every panel of the given dashboards. */
export function dashboardQueries(definitions: readonly DashboardDefinition[]): DashboardQuery[] {
  return definitions.flatMap((definition) =>
    panelsOf(definition).flatMap((panel) =>
      (panel.targets ?? []).map((t) => ({
        dashboardUid: definition.uid,
        panelId: panel.id,
        panelTitle: panel.title ?? '',
        panelType: panel.type ?? '',
        unit: panel.fieldConfig?.defaults?.unit,
        panelDatasourceUid: panel.datasource?.uid,
        datasourceUid: t.datasource?.uid,
        refId: t.refId ?? '',
        instant: t.instant === true,
        expr: t.expr ?? '',
      })),
    ),
  );
}

/** The template variables of a dashboard. */
export function dashboardVariables(definition: DashboardDefinition): DashboardVariable[] {
  return ((definition.json as DashboardJson).templating?.list ?? []).map((v) => ({
    name: v.name ?? '',
    type: v.type ?? '',
    query: typeof v.query === 'string' ? v.query : undefined,
  }));
}

/**
 * Values for Grafana's built-in interval variables that make a valid PromQL duration, as a
 * 1-hour dashboard range with a 15 s scrape interval would give.
 */
export const BUILTIN_VARIABLE_VALUES: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '1m',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
  __interval_ms: '60000',
};

/** Value given to every variable without an explicit value: matches anything in a `=~` matcher. */
export const MATCH_ANY = '.*';

// `${name}`, `${name:format}`, `$name` and the deprecated `[[name]]`.
const VARIABLE = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/g;

/**
 * Replaces Grafana variables in an expression: built-ins by {@link BUILTIN_VARIABLE_VALUES},
 * others by `values[name]`, falling back to {@link MATCH_ANY}.
 * @example substituteVariables('rate(x{host=~"$host"}[$__rate_interval])', { host: 'alpha' })
 *   // 'rate(x{host=~"alpha"}[1m])'
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>> = {}): string {
  return expr.replace(VARIABLE, (_match, braced?: string, plain?: string, legacy?: string) => {
    const name = (braced ?? plain ?? legacy) as string;
    return values[name] ?? BUILTIN_VARIABLE_VALUES[name] ?? MATCH_ANY;
  });
}

/**
 * Values of Grafana's built-in interval variables for a short-lived test Prometheus: what Grafana
 * would give for a dashboard range of `rangeSeconds` on a datasource scraped every
 * `scrapeIntervalSeconds` (`$__rate_interval` = 4 × the scrape interval, its floor in Grafana).
 */
export function builtinValuesFor(scrapeIntervalSeconds: number, rangeSeconds: number): Record<string, string> {
  return {
    __rate_interval: `${4 * scrapeIntervalSeconds}s`,
    __interval: `${scrapeIntervalSeconds}s`,
    __interval_ms: String(scrapeIntervalSeconds * 1000),
    __range: `${rangeSeconds}s`,
    __range_s: String(rangeSeconds),
    __range_ms: String(rangeSeconds * 1000),
  };
}
