/**
 * The PeekStack dashboards, as JSON ready for Grafana provisioning.
 *
 * Each dashboard is written with the Grafana Foundation SDK's typed builders (one file per
 * dashboard); this module is what the renderers and the tests consume.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { CONTAINERS_DASHBOARD_UID, containersDashboard } from '../components/cadvisor/dashboard';
import { FLEET_DASHBOARD_UID, fleetDashboard } from '../interface/fleet-dashboard';
import { POWER_DASHBOARD_UID, powerDashboard } from '../components/scaphandre/dashboard';
import { SYSTEM_DASHBOARD_UID, systemDashboard } from '../components/node-exporter/dashboard';
import { PeekStackValidationError } from '../core/errors';

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

/**
 * A dashboard definition from a Foundation SDK dashboard (`DashboardBuilder#build()`) or its JSON:
 * how users' dashboards join PeekStack's. The uid and title are read from the model.
 */
export function toDashboardDefinition(model: dashboard.Dashboard | object): DashboardDefinition {
  // The SDK leaves a marker function on each query, which JSON drops: `json` is what Grafana receives.
  const json = JSON.parse(JSON.stringify(model)) as { uid?: unknown; title?: unknown };
  if (typeof json.uid !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(json.uid)) {
    throw new PeekStackValidationError('dashboard.uid', json.uid, 'a uid of 1 to 40 letters, digits, "_" or "-" (Grafana\'s limit), set with DashboardBuilder#uid');
  }
  const title = typeof json.title === 'string' && json.title.trim() !== '' ? json.title : json.uid;
  return { uid: json.uid, title, fileName: `${json.uid}.json`, json };
}

/** Builds one PeekStack dashboard by uid. */
export function buildPeekStackDashboard(uid: string): DashboardDefinition {
  const entry = DASHBOARDS.find((candidate) => candidate.uid === uid);
  if (!entry) throw new PeekStackValidationError('dashboard uid', uid, `one of ${DASHBOARDS.map((d) => `"${d.uid}"`).join(', ')}`);
  return toDashboardDefinition(entry.build());
}

/** Builds every PeekStack dashboard, in menu order: system, containers, power. */
export function buildDashboards(): DashboardDefinition[] {
  return DASHBOARDS.map(({ uid }) => buildPeekStackDashboard(uid));
}

/** The fleet dashboard for a fleet of `hostNames` (it lists them to tell which do not report). */
export function buildFleetDashboard(hostNames: readonly string[]): DashboardDefinition {
  return toDashboardDefinition(fleetDashboard(hostNames));
}

export { CONTAINERS_DASHBOARD_UID, FLEET_DASHBOARD_UID, POWER_DASHBOARD_UID, SYSTEM_DASHBOARD_UID };
