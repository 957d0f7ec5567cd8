/**
 * The one place where upstream image versions are pinned. Every construct takes an `image` prop
 * that overrides its entry here; the fleet file can override them per host.
 *
 * Each pin is a supported, patched release of its line. The real-binary tests run Debian's builds,
 * which can be older: docs/versions.md lists pin against tested version and what the gap means.
 * Renovate keeps the pins current: renovate.json's regex manager reads every `name: 'image:tag'`
 * entry below (test/renovate.test.ts checks that it matches all of them), so keep that form.
 */
export const DEFAULT_IMAGES = {
  /** 3.5 is a long-term-support line; 3.5.5 fixes CVE-2026-53606 (3.5.4: GHSA-39j6-789q-qxvh). @see https://github.com/prometheus/prometheus/releases */
  prometheus: 'prom/prometheus:v3.5.5',
  /** @see https://github.com/prometheus/node_exporter/releases */
  nodeExporter: 'prom/node-exporter:v1.12.1',
  /**
   * cAdvisor publishes to ghcr.io from v0.53.0 on; `google/cadvisor` on Docker Hub is stale. v0.54
   * reads Docker 29's containerd image store (older ones fail on its minimum API 1.44, cadvisor#3749).
   */
  cadvisor: 'ghcr.io/google/cadvisor:v0.54.0',
  /** @see https://hub.docker.com/r/hubblo/scaphandre/tags */
  scaphandre: 'hubblo/scaphandre:1.0.2',
  /** NVIDIA DCGM exporter (the GPU add-on): DCGM 4.4.2 paired with exporter 4.7.1. @see https://github.com/NVIDIA/dcgm-exporter */
  dcgmExporter: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.4.2-4.7.1-ubuntu22.04',
  /** @see https://github.com/prometheus/alertmanager/releases (0.34 splits `reason="clientError"` of alertmanager_notifications_failed_total: the hub's rule sums over `reason`) */
  alertmanager: 'prom/alertmanager:v0.34.1',
  /** @see https://github.com/prometheus/blackbox_exporter/releases (the version the real tests run) */
  blackboxExporter: 'prom/blackbox-exporter:v0.28.0',
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
