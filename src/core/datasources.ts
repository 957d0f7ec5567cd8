/**
 * Grafana datasource uids PeekStack provisions: one per collector, and the fleet store's. Used by
 * the interface that provisions them and by the fleet file's checks that keep them apart.
 */

/** Uids of the per-collector datasources: `peekstack-<host>`. */
export const COLLECTOR_UID_PREFIX = 'peekstack-';

/** The uid of the datasource of the collector on `hostName`. */
export function collectorDatasourceUid(hostName: string): string {
  return `${COLLECTOR_UID_PREFIX}${hostName}`;
}

/** Name and uid of Grafana's datasource on the fleet store. The `PeekStack ` prefix puts it in the dashboards' datasource picker. */
export const FLEET_DATASOURCE = { name: 'PeekStack fleet', uid: 'peekstack-fleet' } as const;
