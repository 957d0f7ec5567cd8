import { BLACKBOX_EXPORTER_IMAGE } from '../components/blackbox/image';
import { CADVISOR_IMAGE } from '../components/cadvisor/image';
import { DCGM_IMAGE } from '../components/dcgm/image';
import { IPMI_EXPORTER_IMAGE } from '../components/ipmi/image';
import { NODE_EXPORTER_IMAGE } from '../components/node-exporter/image';
import { PROMETHEUS_IMAGE } from '../components/prometheus/image';
import { SCAPHANDRE_IMAGE } from '../components/scaphandre/image';

/**
 * Every upstream image pin, in one map. A component's pin lives in its folder
 * (src/components/<name>/image.ts, gathered here by one line); the hub's and the interface's, which
 * have no component folder, are written here. Every construct takes an `image` prop that overrides
 * its entry; the fleet file can override them per host.
 *
 * Each pin is a supported, patched release of its line. The real-binary tests run Debian's builds,
 * which can be older: docs/versions.md lists pin against tested version and what the gap means.
 * Renovate keeps the pins current: renovate.json's regex manager reads every `name: 'image:tag'`
 * entry below and in the folders' image.ts (test/renovate.test.ts checks that it matches all of them),
 * so keep that form.
 */
export const DEFAULT_IMAGES = {
  ...PROMETHEUS_IMAGE,
  ...NODE_EXPORTER_IMAGE,
  ...CADVISOR_IMAGE,
  ...SCAPHANDRE_IMAGE,
  ...DCGM_IMAGE,
  ...IPMI_EXPORTER_IMAGE,
  /** @see https://github.com/prometheus/alertmanager/releases (0.34 splits `reason="clientError"` of alertmanager_notifications_failed_total: the hub's rule sums over `reason`) */
  alertmanager: 'prom/alertmanager:v0.34.1',
  ...BLACKBOX_EXPORTER_IMAGE,
  /** 12.4, the last 12.x minor (longest support); 13 stores dashboards as v2, see docs/versions.md. @see https://github.com/grafana/grafana/releases */
  grafana: 'grafana/grafana:12.4.11',
  /** The fleet store; 1.149 restricts delete_series to POST (an SSRF fix). @see https://github.com/VictoriaMetrics/VictoriaMetrics/releases */
  victoriaMetrics: 'victoriametrics/victoria-metrics:v1.149.0',
  /** vmauth in front of the fleet store, from the same release as {@link DEFAULT_IMAGES.victoriaMetrics}. */
  vmauth: 'victoriametrics/vmauth:v1.149.0',
  /** vmalert on the hub (fleet rules, Watchdog), from the same release as {@link DEFAULT_IMAGES.victoriaMetrics}. */
  vmalert: 'victoriametrics/vmalert:v1.149.0',
} as const;

/** The components whose image can be pinned or overridden. */
export type ImageName = keyof typeof DEFAULT_IMAGES;
