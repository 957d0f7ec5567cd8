import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { toDashboardDefinition, type DashboardDefinition } from '../dashboards/definition';
import { fleetDashboard, FleetDashboardOptions } from './fleet-dashboard';
import type { RuleGroup } from '../core/rule-group';
import { catalogProblems, dashboardExpressions, MetricCatalogIndex } from '../dashboards/catalog-check';
import { MonitoringComponent } from '../components/component';
import { BasicAuthCredentials } from '../constructs/credentials';
import { NodeExporter } from '../components/node-exporter/node-exporter';
import { Prometheus } from '../components/prometheus/prometheus';
import { Grafana, GrafanaPrometheusSource, GrafanaProps } from './grafana';
import { DOCKER_HOST_GATEWAY_NAME } from '../constructs/docker-service';
import { fleetDatasource, FleetReadTarget } from '../hub/fleet-store';

/** Grafana settings an interface user may change. */
export type InterfaceGrafanaOptions = Omit<GrafanaProps, 'sources' | 'dashboards' | 'portsInUse' | 'provider'>;

/**
 * What the interface reads of a collector: a {@link Collector} is one; so is the stand-in that a
 * synthesis of the interface alone builds instead of a whole collector per host
 * (CollectorStackStandIn).
 */
export interface CollectorView {
  readonly hostName: string;
  readonly addresses: readonly string[];
  readonly prometheusUrl: string;
  /** Tokens referring into the collector's stack. */
  readonly credentials: Pick<BasicAuthCredentials, 'username' | 'password'>;
  /** A token referring into the collector's stack. */
  readonly caCertificatePem: string;
  readonly prometheus: Pick<Prometheus, 'publishedPort' | 'scrapeIntervalSeconds' | 'ruleGroups'>;
  readonly nodeExporter?: Pick<NodeExporter, 'port'>;
  readonly components: readonly MonitoringComponent[];
}

/** The dashboards of the collectors' components, each once (the same component on many hosts brings the same dashboard). */
export function dashboardsOf(collectors: readonly CollectorView[]): DashboardDefinition[] {
  const byUid = new Map<string, DashboardDefinition>();
  for (const component of collectors.flatMap((collector) => collector.components)) {
    for (const dashboard of component.dashboards ?? []) if (!byUid.has(dashboard.uid)) byUid.set(dashboard.uid, dashboard);
  }
  return [...byUid.values()];
}

/** Props of {@link Interface}. */
export interface InterfaceProps {
  /** The collectors to show, one datasource each. */
  readonly collectors: readonly CollectorView[];
  /**
   * A collector deployed on the same host, whose published ports Grafana must not take.
   * @default - none
   */
  readonly colocatedCollector?: CollectorView;
  /** @default - defaults of {@link Grafana} */
  readonly grafana?: InterfaceGrafanaOptions;
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
  /**
   * The fleet store to read: Grafana's default datasource (`PeekStack fleet`) and the fleet dashboard.
   * @default - no fleet store
   */
  readonly fleetStore?: FleetReadTarget;
  /**
   * The rule groups vmalert evaluates on the hub: their records join the metric catalog, and the
   * Fleet dashboard gets the row that shows them.
   * @default - none: no vmalert on the hub
   */
  readonly hubRuleGroups?: readonly RuleGroup[];
}

/**
 * What Grafana needs of a collector: its URL, credentials and CA. A collector on Grafana's own host
 * is reached through the Docker host gateway: its public address may be `localhost`, which inside
 * Grafana's container is Grafana itself.
 */
export function prometheusSourceOf(collector: CollectorView, colocated = false): GrafanaPrometheusSource {
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
export function publishedPortsOf(collector: CollectorView): { port: number; owner: string }[] {
  return [
    { port: collector.prometheus.publishedPort, owner: `collector "${collector.hostName}" Prometheus` },
    ...(collector.nodeExporter ? [{ port: collector.nodeExporter.port, owner: `collector "${collector.hostName}" node_exporter` }] : []),
  ];
}

/** The fleet dashboard for a fleet of `hostNames` (it lists them to tell which do not report). */
export function buildFleetDashboard(hostNames: readonly string[], options: FleetDashboardOptions = {}): DashboardDefinition {
  return toDashboardDefinition(fleetDashboard(hostNames, options));
}

/**
 * The interface: Grafana wired to every collector, with the dashboards of their components. At
 * synthesis every dashboard (PeekStack's and those added) is checked against the metrics the
 * collectors' components produce.
 */
export class Interface extends Construct {
  public readonly grafana: Grafana;
  private readonly collectors: readonly CollectorView[];
  private readonly hubRuleGroups: readonly RuleGroup[];

  constructor(scope: Construct, id: string, props: InterfaceProps) {
    super(scope, id);
    this.grafana = new Grafana(this, 'grafana', {
      ...props.grafana,
      sources: props.collectors.map((collector) => prometheusSourceOf(collector, collector === props.colocatedCollector)),
      dashboards: dashboardsOf(props.collectors),
      portsInUse: props.colocatedCollector ? publishedPortsOf(props.colocatedCollector) : [],
      provider: props.provider,
    });
    this.collectors = props.collectors;
    this.hubRuleGroups = props.hubRuleGroups ?? [];
    if (props.fleetStore) this.addFleetStore(props.fleetStore);
    this.node.addValidation({ validate: () => this.catalogProblems() });
  }

  /**
   * Shows the fleet store: the "PeekStack fleet" datasource (Grafana's default, so every dashboard
   * opens on the whole fleet; the per-host datasources stay) and the Fleet dashboard. A fleet gives
   * it at construction instead ({@link InterfaceProps.fleetStore}).
   * @throws PeekStackValidationError when a datasource with the fleet's name or uid exists already
   */
  public addFleetStore(target: FleetReadTarget): void {
    this.grafana.addDatasource(fleetDatasource(target));
    this.grafana.addDashboard(buildFleetDashboard(this.collectors.map((collector) => collector.hostName), { hubRecords: this.hubRuleGroups.length > 0 }));
  }

  /** Every dashboard query that reads a metric no collector component produces, or uses it against its type. */
  public catalogProblems(): string[] {
    const catalog = new MetricCatalogIndex();
    for (const collector of this.collectors) {
      for (const component of collector.components) catalog.add(component.metrics ?? []);
      catalog.addRecordingRules([...collector.prometheus.ruleGroups.values()].flat());
    }
    catalog.addRecordingRules(this.hubRuleGroups);
    return catalogProblems(dashboardExpressions(this.grafana.dashboards), catalog);
  }
}
