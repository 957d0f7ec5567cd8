/**
 * The PeekStack dashboards, as JSON ready for Grafana provisioning.
 *
 * Each dashboard is written with the Grafana Foundation SDK's typed builders (one file per
 * dashboard); this module is what the renderers and the tests consume.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { CONTAINERS_DASHBOARD_UID, containersDashboard } from './containers';
import { POWER_DASHBOARD_UID, powerDashboard } from './power';
import { SYSTEM_DASHBOARD_UID, systemDashboard } from './system';

/** One dashboard, ready to be written to the Grafana dashboards provisioning folder. */
export interface DashboardDefinition {
  /** Stable Grafana uid (`peekstack-...`). */
  uid: string;
  title: string;
  /** File name for the provisioning folder, `<uid>.json`. */
  fileName: string;
  /**
   * The dashboard model: the SDK's `.build()` output as plain JSON (the SDK leaves a marker
   * function on each query, which `JSON.stringify` drops; dropping it here makes `json` exactly
   * what Grafana receives).
   */
  json: object;
}

const DASHBOARDS: readonly { readonly uid: string; readonly build: () => dashboard.Dashboard }[] = [
  { uid: SYSTEM_DASHBOARD_UID, build: systemDashboard },
  { uid: CONTAINERS_DASHBOARD_UID, build: containersDashboard },
  { uid: POWER_DASHBOARD_UID, build: powerDashboard },
];

/** Builds every PeekStack dashboard, in menu order: system, containers, power. */
export function buildDashboards(): DashboardDefinition[] {
  return DASHBOARDS.map(({ uid, build }) => {
    const built = build();
    return { uid, title: built.title ?? uid, fileName: `${uid}.json`, json: JSON.parse(JSON.stringify(built)) as object };
  });
}
