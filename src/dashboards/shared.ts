/**
 * Pieces every PeekStack dashboard shares: the `datasource` and `host` variables, the datasource
 * reference every panel and query uses, and small panel constructors that make the unit and the
 * query of a panel explicit at the call site.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { HOST_LABEL, JOB } from '../core/labels';

/**
 * The datasource of every panel and query: the one picked in the `datasource` variable.
 * Grafana holds one Prometheus datasource per collector host (uid `peekstack-<host>`), so a
 * dashboard shows one Prometheus at a time and the user switches between them with the variable.
 */
export const PROMETHEUS_DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** Label matcher restricting a selector to the hosts picked in the `host` variable. */
export const HOST = `${HOST_LABEL}=~"$host"`;

/** Microwatts per watt (Scaphandre reports microwatts). */
export const MICRO = 1e6;
/** Microjoules per kilowatt-hour (3.6e6 J/kWh × 1e6 µJ/J). */
export const MICROJOULES_PER_KWH = 3.6e12;
/** Grafana custom unit of emissions panels: grams of CO₂-equivalent. */
export const CO2E_UNIT = 'suffix: gCO₂e';

/**
 * `datasource` variable: the PeekStack Prometheus datasources (named `PeekStack <host>`).
 * The regex keeps other Prometheus datasources of the same Grafana out of the list.
 */
function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource')
    .label('Collector')
    .type('prometheus')
    .regex('/^PeekStack /');
}

/**
 * `host` variable: the `host` label values present in the chosen datasource. `up{job="node"}`
 * exists for every collector that is (or was, within the range) scraping its host.
 */
function hostVariable(): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder('host')
    .label('Host')
    .datasource(PROMETHEUS_DATASOURCE)
    .query(`label_values(up{job="${JOB.node}"}, host)`)
    .definition(`label_values(up{job="${JOB.node}"}, host)`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}

/** What a dashboard file gives to {@link buildDashboard}. */
export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** Variables after `datasource` and `host`. */
  readonly extraVariables?: readonly cog.Builder<dashboard.VariableModel>[];
  /** Rows, each with its panels, top to bottom. */
  readonly rows: readonly { readonly title: string; readonly panels: readonly PanelBuilder[] }[];
}

/** A panel builder of any kind this project uses. */
export type PanelBuilder = timeseries.PanelBuilder | stat.PanelBuilder | bargauge.PanelBuilder;

/**
 * Builds a dashboard: common settings, variables, rows laid out by the SDK, and panel ids
 * numbered from 1 in reading order (Grafana links such as `viewPanel=` rely on stable ids).
 */
export function buildDashboard(spec: DashboardSpec): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .withVariable(datasourceVariable())
    .withVariable(hostVariable());
  for (const variable of spec.extraVariables ?? []) builder.withVariable(variable);
  for (const row of spec.rows) {
    builder.withRow(new dashboard.RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(panel);
  }
  const built = builder.build();
  (built.panels ?? []).forEach((panel, index) => {
    panel.id = index + 1;
  });
  return built;
}

/** One query of a panel. */
export interface Query {
  readonly expr: string;
  /** Grafana legend template, e.g. `{{host}} {{name}}`. */
  readonly legend: string;
}

function target(query: Query, refId: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(PROMETHEUS_DATASOURCE)
    .expr(query.expr)
    .legendFormat(query.legend)
    .refId(refId);
}

function refId(index: number): string {
  return String.fromCharCode('A'.charCodeAt(0) + index);
}

/** What every panel constructor takes. */
export interface PanelSpec {
  readonly title: string;
  /** Shown in the panel's (i) tooltip: say what is measured and how. */
  readonly description: string;
  /** Grafana unit id (`watt`, `bytes`, `percentunit`, `hertz`...). */
  readonly unit: string;
  readonly queries: readonly Query[];
  /** Grid width, out of 24. @default 12 */
  readonly width?: number;
  /** Grid height. @default 8 */
  readonly height?: number;
}

/** A time series panel; `stacked` draws the series on top of each other (parts of a whole). */
export function timeseriesPanel(spec: PanelSpec & { readonly stacked?: boolean; readonly min?: number }): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS_DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .fillOpacity(spec.stacked ? 40 : 10)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).showLegend(true))
    .targets(spec.queries.map((q, i) => target(q, refId(i))));
  if (spec.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (spec.min !== undefined) panel.min(spec.min);
  return panel;
}

/**
 * A single-value panel. `instant` queries evaluate once at the end of the range (what
 * `increase(x[$__range])` needs); otherwise the last value of a range query is shown.
 */
export function statPanel(spec: PanelSpec & { readonly instant?: boolean; readonly decimals?: number }): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS_DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 6)
    .height(spec.height ?? 4)
    .graphMode(spec.instant ? common.BigValueGraphMode.None : common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .targets(spec.queries.map((q, i) => (spec.instant ? target(q, refId(i)).instant() : target(q, refId(i)))));
  if (spec.decimals !== undefined) panel.decimals(spec.decimals);
  return panel;
}

/**
 * A ranking: horizontal bars, one per series, largest first (sort the query with `sort_desc`).
 * Its queries are instant: one value per series at the end of the range.
 */
export function rankingPanel(spec: PanelSpec & { readonly decimals?: number }): bargauge.PanelBuilder {
  const panel = new bargauge.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS_DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .targets(spec.queries.map((q, i) => target(q, refId(i)).instant()));
  if (spec.decimals !== undefined) panel.decimals(spec.decimals);
  return panel;
}
