/**
 * The built-in components' dashboards, as JSON ready for Grafana provisioning: each written with the
 * Grafana Foundation SDK's typed builders in its component's folder (dashboard.ts).
 */
import { PeekStackValidationError } from '../core/errors';
import { DashboardDefinition, toDashboardDefinition } from '../dashboards/definition';
import { CONTAINERS_DASHBOARD_UID, containersDashboard } from './cadvisor/dashboard';
import { SYSTEM_DASHBOARD_UID, systemDashboard } from './node-exporter/dashboard';
import { POWER_DASHBOARD_UID, powerDashboard } from './scaphandre/dashboard';

const DASHBOARDS = [
  { uid: SYSTEM_DASHBOARD_UID, build: systemDashboard },
  { uid: CONTAINERS_DASHBOARD_UID, build: containersDashboard },
  { uid: POWER_DASHBOARD_UID, build: powerDashboard },
] as const;

/** Builds one PeekStack dashboard by uid. */
export function buildPeekStackDashboard(uid: string): DashboardDefinition {
  const entry = DASHBOARDS.find((candidate) => candidate.uid === uid);
  if (!entry) throw new PeekStackValidationError('dashboard uid', uid, `one of ${DASHBOARDS.map((d) => `"${d.uid}"`).join(', ')}`);
  return toDashboardDefinition(entry.build());
}

/** Builds every PeekStack component dashboard, in menu order: system, containers, power. */
export function buildDashboards(): DashboardDefinition[] {
  return DASHBOARDS.map(({ uid }) => buildPeekStackDashboard(uid));
}

export { CONTAINERS_DASHBOARD_UID, POWER_DASHBOARD_UID, SYSTEM_DASHBOARD_UID };
