/**
 * The one place where upstream image versions are pinned. Every construct takes an `image` prop
 * that overrides its entry here; the fleet file can override them per host.
 *
 * Versions are the ones the test suite runs for real (Prometheus 3.5.3 LTS, node_exporter 1.11.1,
 * Scaphandre 1.0.2); see README "What gets deployed".
 */
export const DEFAULT_IMAGES = {
  /** @see https://github.com/prometheus/prometheus/releases (3.5 is the long-term-support line) */
  prometheus: 'prom/prometheus:v3.5.3',
  /** @see https://github.com/prometheus/node_exporter/releases */
  nodeExporter: 'prom/node-exporter:v1.11.1',
  /** cAdvisor publishes to ghcr.io from v0.53.0 on; `google/cadvisor` on Docker Hub is stale. */
  cadvisor: 'ghcr.io/google/cadvisor:v0.53.0',
  /** @see https://hub.docker.com/r/hubblo/scaphandre/tags */
  scaphandre: 'hubblo/scaphandre:1.0.2',
  /** NVIDIA DCGM exporter (the GPU add-on): DCGM 4.4.2 paired with exporter 4.7.1. @see https://github.com/NVIDIA/dcgm-exporter */
  dcgmExporter: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.4.2-4.7.1-ubuntu22.04',
  /** @see https://github.com/prometheus/alertmanager/releases (the version the real tests run) */
  alertmanager: 'prom/alertmanager:v0.33.1',
  /** @see https://github.com/prometheus/blackbox_exporter/releases (the version the real tests run) */
  blackboxExporter: 'prom/blackbox-exporter:v0.28.0',
  /** @see https://github.com/grafana/grafana/releases */
  grafana: 'grafana/grafana:12.1.1',
  /** The fleet store; the same release as Debian's build the real tests run (1.145.0). @see https://github.com/VictoriaMetrics/VictoriaMetrics/releases */
  victoriaMetrics: 'victoriametrics/victoria-metrics:v1.145.0',
  /** vmauth in front of the fleet store, from the same release as {@link DEFAULT_IMAGES.victoriaMetrics}. */
  vmauth: 'victoriametrics/vmauth:v1.145.0',
} as const;

/** The components whose image can be pinned or overridden. */
export type ImageName = keyof typeof DEFAULT_IMAGES;
