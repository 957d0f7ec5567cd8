import type { CatalogMetric } from '../../core/metric-catalog';

/** blackbox_exporter's part of the metric catalog (src/core/metric-catalog.ts says what the catalog is for). */

/** The metrics of a probe (`/probe?module=...&target=...`) of blackbox_exporter 0.28. */
export const BLACKBOX_METRICS: readonly CatalogMetric[] = [
  { name: 'probe_success', type: 'gauge', jobs: ['blackbox'], help: '1 if the probe succeeded.', labels: ['probe'] },
  { name: 'probe_duration_seconds', type: 'gauge', jobs: ['blackbox'], help: 'Duration of the probe.', labels: ['probe'] },
  { name: 'probe_http_status_code', type: 'gauge', jobs: ['blackbox'], help: 'HTTP status of the probe (https probes).', labels: ['probe'], onlyWhen: 'an https probe' },
  { name: 'probe_ssl_earliest_cert_expiry', type: 'gauge', jobs: ['blackbox'], help: 'Earliest expiry of the certificates the endpoint presented, seconds since the epoch.', labels: ['probe'], onlyWhen: 'an https probe whose TLS handshake succeeded' },
];
