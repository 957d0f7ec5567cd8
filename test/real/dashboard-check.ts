/**
 * Runs every query of the shipped dashboards against a live Prometheus the way Grafana would
 * (range queries for time series, instant queries where the panel asks for one), and tells which
 * ones fail and which ones draw an empty panel. Shared by the real test and by the test that
 * breaks a query on purpose, so the check that guards the dashboards is itself shown to bite.
 */
import type { DashboardDefinition } from '../../src/dashboards';
import { POWER_DASHBOARD_UID, SYSTEM_DASHBOARD_UID } from '../../src/components/dashboards';
import { dashboardQueries, substituteVariables } from '../../src/dashboards/dashboard-queries';
import type { QueryOutcome } from './prometheus-api';
import { seriesOf } from './prometheus-api';

/** The result of one query of one panel. */
export interface QueryCheck {
  readonly dashboardUid: string;
  readonly panelTitle: string;
  readonly refId: string;
  /** The expression as sent (variables substituted). */
  readonly expr: string;
  readonly instant: boolean;
  /** Prometheus's error, when the query failed. */
  readonly error?: string;
  /** Number of series returned. */
  readonly series: number;
}

/** A panel that may have no data on the test machine, and why. */
export interface NoDataAllowance {
  readonly dashboardUid: string;
  readonly panelTitle: string;
  readonly reason: string;
}

/**
 * Panels of the shipped dashboards that cannot have data on this machine, each with the reason.
 * Checked to stay empty (dashboards.test.ts, fleet-store.test.ts).
 */
export const NO_DATA_HERE: readonly NoDataAllowance[] = [
  {
    dashboardUid: SYSTEM_DASHBOARD_UID,
    panelTitle: 'CPU frequency',
    reason: 'this VM exposes no cpufreq (/sys/devices/system/cpu/cpu*/cpufreq), so node_cpu_scaling_frequency_hertz does not exist',
  },
  {
    dashboardUid: POWER_DASHBOARD_UID,
    panelTitle: 'Monitoring stack share of host power',
    reason: "needs Scaphandre --containers: Debian's scaphandre 1.0.2 is built without that feature (TODO.Debian), and there is no Docker engine here; the label name container_label_peekstack_component follows the upstream source",
  },
  {
    dashboardUid: POWER_DASHBOARD_UID,
    panelTitle: 'Power per container',
    reason: "needs Scaphandre --containers for container_scheduler=\"docker\": Debian's scaphandre 1.0.2 is built without that feature, and there is no Docker engine here",
  },
  {
    dashboardUid: POWER_DASHBOARD_UID,
    panelTitle: 'Monitoring stack power',
    reason: "needs Scaphandre --containers: Debian's scaphandre 1.0.2 is built without that feature (TODO.Debian), and there is no Docker engine here; the label name container_label_peekstack_component follows the upstream source",
  },
  ...['Energy per container over the range', 'CO₂e per container over the range', 'Electricity cost per container over the range'].map((panelTitle) => ({
    dashboardUid: POWER_DASHBOARD_UID,
    panelTitle,
    reason: "recorded from Scaphandre's per-container power (container_scheduler=\"docker\"), which needs --containers: Debian's scaphandre 1.0.2 is built without that feature, and there is no Docker engine here; the rules themselves are unit-tested with promtool (test/rules/energy.rules.test.yml)",
  })),
  {
    dashboardUid: POWER_DASHBOARD_UID,
    panelTitle: 'Monitoring stack CPU (% of one core)',
    reason: "cAdvisor's golden exposition has no container with the peekstack.component label",
  },
];

/** Runs one expression; `instant` tells an instant query from a range query. */
export type QueryRunner = (expr: string, instant: boolean) => Promise<QueryOutcome>;

/** Runs every query of every panel of `definitions` with the variables replaced by `values`. */
export async function checkDashboardQueries(
  definitions: readonly DashboardDefinition[],
  values: Readonly<Record<string, string>>,
  run: QueryRunner,
): Promise<QueryCheck[]> {
  const checks: QueryCheck[] = [];
  for (const q of dashboardQueries(definitions)) {
    const expr = substituteVariables(q.expr, values);
    const outcome = await run(expr, q.instant);
    checks.push({
      dashboardUid: q.dashboardUid,
      panelTitle: q.panelTitle,
      refId: q.refId,
      expr,
      instant: q.instant,
      error: outcome.ok ? undefined : outcome.error,
      series: seriesOf(outcome).length,
    });
  }
  return checks;
}

/** The queries Prometheus rejected. */
export function failedQueries(checks: readonly QueryCheck[]): QueryCheck[] {
  return checks.filter((c) => c.error !== undefined);
}

/**
 * The queries that returned no series, in the given dashboards, except on allowed panels.
 * An empty panel in Grafana raises no error: this is where it is caught.
 */
export function queriesWithoutData(checks: readonly QueryCheck[], dashboardUids: readonly string[], allowed: readonly NoDataAllowance[] = []): QueryCheck[] {
  return checks.filter(
    (c) =>
      dashboardUids.includes(c.dashboardUid) &&
      c.error === undefined &&
      c.series === 0 &&
      !allowed.some((a) => a.dashboardUid === c.dashboardUid && a.panelTitle === c.panelTitle),
  );
}

/** Allowances whose panel does return data after all: the allow-list must not outlive its reason. */
export function staleAllowances(checks: readonly QueryCheck[], allowed: readonly NoDataAllowance[]): NoDataAllowance[] {
  return allowed.filter((a) => {
    const panel = checks.filter((c) => c.dashboardUid === a.dashboardUid && c.panelTitle === a.panelTitle);
    return panel.length === 0 || panel.every((c) => c.series > 0);
  });
}

/** One line per check, for assertion messages. */
export function describeChecks(checks: readonly QueryCheck[]): string {
  return checks.map((c) => `${c.dashboardUid} / "${c.panelTitle}" ${c.refId}: ${c.error ?? `${c.series} series`} <- ${c.expr}`).join('\n');
}

/**
 * The expression of one query of a shipped panel, variables filled in: how the accuracy tests read
 * a number exactly as the dashboard computes it.
 * @throws Error when the dashboard has no such panel or query
 */
export function panelExpr(definitions: readonly DashboardDefinition[], dashboardUid: string, panelTitle: string, values: Readonly<Record<string, string>>, refId = 'A'): string {
  const query = dashboardQueries(definitions).find((q) => q.dashboardUid === dashboardUid && q.panelTitle === panelTitle && q.refId === refId);
  if (!query) throw new Error(`dashboard ${dashboardUid} has no panel "${panelTitle}" with query ${refId}`);
  return substituteVariables(query.expr, values);
}
