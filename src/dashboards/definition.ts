import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
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
