import { PeekStackValidationError } from './errors';

/** Kinds of existing store a fleet can write to instead of the embedded one. */
export type ExternalStoreKind = 'victoriametrics-cluster' | 'mimir' | 'thanos';

/** Where an existing store is, as the fleet file says it. */
export interface ExternalStoreLocation {
  readonly kind: ExternalStoreKind;
  /** Base URL of the write side: vminsert, Mimir (distributor or gateway), Thanos Receive. */
  readonly url: string;
  /**
   * Base URL of the query side: vmselect, Mimir (query frontend or gateway), Thanos Query.
   * @default - `url`
   */
  readonly queryUrl?: string;
  /**
   * Tenant: VictoriaMetrics cluster's account id (in the path), Mimir's `X-Scope-OrgID`, Thanos's `THANOS-TENANT`.
   * @default - VictoriaMetrics cluster: "0"; Mimir and Thanos: no tenant header (their single-tenant default)
   */
  readonly tenant?: string;
}

/** What collectors write to and Grafana reads from for one external store. */
export interface ExternalStoreEndpoints {
  /** Prometheus remote_write URL. */
  readonly writeUrl: string;
  /** Prometheus-compatible query API base URL (Grafana appends `/api/v1/...`). */
  readonly queryUrl: string;
  /** Headers on every write (the tenant). */
  readonly writeHeaders: Readonly<Record<string, string>>;
  /** Headers on every query (the tenant). */
  readonly queryHeaders: Readonly<Record<string, string>>;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * The write and query URLs and tenant headers of an existing store, per kind. Pure: one place for
 * each product's paths.
 * @see https://docs.victoriametrics.com/victoriametrics/cluster-victoriametrics/#url-format
 * @see https://grafana.com/docs/mimir/latest/references/http-api/
 * @see https://thanos.io/tip/components/receive.md/
 */
export function externalStoreEndpoints(location: ExternalStoreLocation): ExternalStoreEndpoints {
  const write = trimSlash(location.url);
  const read = trimSlash(location.queryUrl ?? location.url);
  switch (location.kind) {
    case 'victoriametrics-cluster': {
      const tenant = location.tenant ?? '0';
      if (!/^\d+(:\d+)?$/.test(tenant)) {
        throw new PeekStackValidationError('store.tenant', tenant, 'a VictoriaMetrics account id: an integer, or "accountID:projectID"');
      }
      return { writeUrl: `${write}/insert/${tenant}/prometheus/api/v1/write`, queryUrl: `${read}/select/${tenant}/prometheus`, writeHeaders: {}, queryHeaders: {} };
    }
    case 'mimir': {
      const headers: Record<string, string> = location.tenant ? { 'X-Scope-OrgID': location.tenant } : {};
      return { writeUrl: `${write}/api/v1/push`, queryUrl: `${read}/prometheus`, writeHeaders: headers, queryHeaders: headers };
    }
    case 'thanos': {
      const headers: Record<string, string> = location.tenant ? { 'THANOS-TENANT': location.tenant } : {};
      return { writeUrl: `${write}/api/v1/receive`, queryUrl: read, writeHeaders: headers, queryHeaders: headers };
    }
    default:
      throw new PeekStackValidationError('store.kind', (location as { kind: unknown }).kind, 'victoriametrics-cluster, mimir or thanos');
  }
}
