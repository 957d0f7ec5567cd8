import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { buildDashboards } from '../dashboards';
import { Collector } from './collector';
import { Grafana, GrafanaPrometheusSource, GrafanaProps } from './grafana';
import { DOCKER_HOST_GATEWAY_NAME } from './docker-service';

/** Grafana settings an interface user may change. */
export type InterfaceGrafanaOptions = Omit<GrafanaProps, 'sources' | 'dashboards' | 'portsInUse' | 'provider'>;

/** Props of {@link Interface}. */
export interface InterfaceProps {
  /** The collectors to show, one datasource each. */
  readonly collectors: readonly Collector[];
  /**
   * A collector deployed on the same host, whose published ports Grafana must not take.
   * @default - none
   */
  readonly colocatedCollector?: Collector;
  /** @default - defaults of {@link Grafana} */
  readonly grafana?: InterfaceGrafanaOptions;
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
}

/**
 * What Grafana needs of a collector: its URL, credentials and CA. A collector on Grafana's own host
 * is reached through the Docker host gateway: its public address may be `localhost`, which inside
 * Grafana's container is Grafana itself.
 */
export function prometheusSourceOf(collector: Collector, colocated = false): GrafanaPrometheusSource {
  return {
    hostName: collector.hostName,
    url: colocated ? `https://${DOCKER_HOST_GATEWAY_NAME}:${collector.prometheus.publishedPort}` : collector.prometheusUrl,
    username: collector.credentials.username,
    password: collector.credentials.password,
    caCertificatePem: collector.caCertificatePem,
    scrapeIntervalSeconds: collector.prometheus.scrapeIntervalSeconds,
  };
}

/** Ports a collector publishes on its host (Prometheus's, and node_exporter's in the host network). */
export function publishedPortsOf(collector: Collector): { port: number; owner: string }[] {
  return [
    { port: collector.prometheus.publishedPort, owner: `collector "${collector.hostName}" Prometheus` },
    ...(collector.nodeExporter ? [{ port: collector.nodeExporter.port, owner: `collector "${collector.hostName}" node_exporter` }] : []),
  ];
}

/** The interface: Grafana wired to every collector, with PeekStack's dashboards. */
export class Interface extends Construct {
  public readonly grafana: Grafana;

  constructor(scope: Construct, id: string, props: InterfaceProps) {
    super(scope, id);
    this.grafana = new Grafana(this, 'grafana', {
      ...props.grafana,
      sources: props.collectors.map((collector) => prometheusSourceOf(collector, collector === props.colocatedCollector)),
      dashboards: buildDashboards(),
      portsInUse: props.colocatedCollector ? publishedPortsOf(props.colocatedCollector) : [],
      provider: props.provider,
    });
  }
}
