import type { IConstruct } from 'constructs';
import type { Container } from '@cdktf/provider-docker/lib/container';
import type { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import type { Network } from '@cdktf/provider-docker/lib/network';
import type { CertificateAuthority } from '../constructs/certificate-authority';
import type { DockerService } from '../constructs/docker-service';
import type { AlertThresholds } from '../core/alert-thresholds';
import type { MonitoringComponent } from './component';
import type { AccountingFactors } from './energy/factors';
import type { AlertmanagerEndpoint, Prometheus } from './prometheus/prometheus';

/**
 * How components attach to a collector, PeekStack's own and a user's alike (aws-cdk's `addXxx`
 * calling `bind()`): `Collector.add(component)` calls `component.bind(collector)` once; the
 * component builds what it deploys in the collector's scope and returns what Prometheus and the
 * interface take from it. Every built-in exporter is attached this way, from the registry
 * (registry.ts), in the registry's order.
 */

/** Another host a collector probes (TCP connect to its published Prometheus port). */
export interface HostProbe {
  /** The probed host's name: the `host` label of its `PeekStackHostDown`. */
  readonly hostName: string;
  /** `address:port` to connect to. */
  readonly address: string;
}

/**
 * What a collector gives each component it attaches: where to build (the collector is the scope),
 * the host's names, network, provider, CA, thresholds and accounting factors, its Prometheus, and
 * where its alerts and probes go.
 */
export interface ComponentHost extends IConstruct {
  /** The host's name in the fleet (the `host` label). */
  readonly hostName: string;
  /** Prefix of container, network and volume names on the host. */
  readonly namePrefix: string;
  /** The collector's private network: Prometheus reaches a component's container on it by name. */
  readonly network: Network;
  /** The host's Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
  /** The CA generated for this collector: components issue their serving certificates from it. */
  readonly certificateAuthority: CertificateAuthority;
  /** PEM of the CA that signed Prometheus's serving certificate. */
  readonly caCertificatePem: string;
  /** The thresholds of this host's alerting rules, defaults applied. */
  readonly alertThresholds: Required<AlertThresholds>;
  /** What the host's energy costs (the energy component's factors). */
  readonly accounting: AccountingFactors;
  /** The collector's Prometheus (its scrape jobs, intervals and container name). */
  readonly prometheus: Prometheus;
  /** The Alertmanagers this Prometheus sends to, known at construction. */
  readonly alertmanagers: readonly AlertmanagerEndpoint[];
  /** Other hosts this collector probes, known at construction. */
  readonly hostProbes: readonly HostProbe[];
  /** The components attached so far, in order. */
  readonly components: readonly MonitoringComponent[];
  /** `<namePrefix>-<component>`: the name of a container (volume, network) of this collector. */
  resourceName(component: string): string;
}

/** What a bound component brings: a {@link MonitoringComponent} (without its name) and its container. */
export interface BoundComponent extends Omit<MonitoringComponent, 'name'> {
  /**
   * The component's own container: it joins the collector's private network, where Prometheus
   * reaches it by its container name.
   * @default - none, or one already on the network
   */
  readonly container?: Container | DockerService;
  /**
   * The rule file its rule groups are loaded into.
   * @default '<name>.rules.yml'
   */
  readonly ruleFileName?: string;
  /**
   * The construct it built, if any (what `Collector.constructOf(name)` returns).
   * @default - none
   */
  readonly construct?: IConstruct;
}

/** A component a collector can attach with `Collector.add`. */
export interface CollectorComponent {
  /** Unique name within a collector: letters, digits, "_" and "-" (a Prometheus job name may be one). */
  readonly name: string;
  /** Builds the component in `collector` (called once, by `Collector.add`). */
  bind(collector: ComponentHost): BoundComponent;
}

/** Options every built-in component takes from the collector's props. */
export interface ComponentToggle {
  /**
   * Deploy this component.
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * The scrape interval of a component's job on `host`, when a component attached so far is scraped
 * as `jobName` (undefined otherwise): what rules over that job's series need to size their windows.
 */
export function scrapeIntervalOf(host: Pick<ComponentHost, 'components' | 'prometheus'>, jobName: string): number | undefined {
  return host.components.some((component) => component.scrapeTarget?.jobName === jobName)
    ? host.prometheus.scrapeJobs.find((job) => job.jobName === jobName)?.scrapeIntervalSeconds
    : undefined;
}
