import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { ALERTMANAGER_PROBE, BLACKBOX_COMPONENT, BLACKBOX_JOB_PREFIX, HOST_PROBE, PROBED_HOST_LABEL } from './definition';
import { componentOf } from '..';
import { PEEKSTACK_RULE_FILE } from '../../render/rules';
import type { CollectorComponent, ComponentToggle, HostProbe } from '../collector-component';
import { AlertmanagerEndpoint, PROMETHEUS_CONTAINER_PORT } from '../prometheus/prometheus';
import { DOCKER_HOST_GATEWAY_ENTRY, DockerService } from '../../constructs/docker-service';
import { PeekStackValidationError } from '../../core/errors';
import { DEFAULT_IMAGES } from '../../core/images';
import { BlackboxModule, renderBlackboxConfig } from '../../render/blackbox-config';
import { ScrapeTarget } from '../../core/scrape-target';
import { assertMatches, assertNonEmpty, assertPinnedImage } from '../../core/validate';

/** Where blackbox_exporter finds the files PeekStack uploads. */
export const BLACKBOX_PATHS = {
  config: '/etc/blackbox_exporter/config.yml',
  ca: (probe: string) => `/etc/blackbox_exporter/ca/${probe}.crt`,
} as const;

/** Port blackbox_exporter listens on inside the private network. */
export const BLACKBOX_PORT = 9115;

/** One endpoint to probe. */
export interface Probe {
  /** Probe name: the `probe` label and the job `blackbox-<name>`; letters, digits, `_` and `-`. */
  readonly name: string;
  /**
   * Value of the `probe` label, shared by probes the same alert covers (`host`, `alertmanager`).
   * @default - the probe's name
   */
  readonly group?: string;
  /** `https`: verified TLS, certificate expiry, the expected status; `tcp`: a connect only. */
  readonly kind: 'https' | 'tcp';
  /** An `https://` URL (kind https) or `host:port` (kind tcp), as the blackbox container reaches it; may hold a token. */
  readonly target: string;
  /**
   * PEM of the CA that signed the endpoint's certificate (a literal or a token).
   * @default - the system's CAs
   */
  readonly caCertificatePem?: string;
  /**
   * Name verified in the certificate.
   * @default - the URL's host
   */
  readonly serverName?: string;
  /**
   * Status that counts as success (https).
   * @default 401: TLS works and the endpoint still asks for credentials
   */
  readonly expectStatus?: number;
  /**
   * Labels of the probe's series, e.g. `probed_host`.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Props of {@link BlackboxExporter}. */
export interface BlackboxExporterProps {
  /** Name of the Docker network Prometheus reaches it on. */
  readonly networkName: string;
  /**
   * Pinned image.
   * @default DEFAULT_IMAGES.blackboxExporter
   */
  readonly image?: string;
  /**
   * Container name, also its DNS name on the network.
   * @default 'peekstack-blackbox'
   */
  readonly containerName?: string;
  /**
   * Endpoints to probe; more with {@link BlackboxExporter.addProbe}.
   * @default - none
   */
  readonly probes?: readonly Probe[];
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
}

const PROBE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/;

/**
 * blackbox_exporter on the collector's private network: it probes endpoints for Prometheus (one job
 * per probe), reporting success and certificate expiry. It publishes no port.
 */
export class BlackboxExporter extends Construct {
  public readonly image: string;
  public readonly containerName: string;
  public readonly command: readonly string[];
  public readonly service: DockerService;
  private readonly probeList: Probe[] = [];
  /** The probes' names, to refuse a second probe of a name (a Set: the prober of a fleet probes every host). */
  private readonly probeNames = new Set<string>();
  private readonly onProbe: ((target: ScrapeTarget) => void)[] = [];

  constructor(scope: Construct, id: string, props: BlackboxExporterProps) {
    super(scope, id);
    this.image = assertPinnedImage('BlackboxExporter.image', props.image ?? DEFAULT_IMAGES.blackboxExporter);
    this.containerName = assertNonEmpty('BlackboxExporter.containerName', props.containerName ?? 'peekstack-blackbox');
    this.command = [`--config.file=${BLACKBOX_PATHS.config}`, `--web.listen-address=:${BLACKBOX_PORT}`];
    this.service = new DockerService(this, 'service', {
      image: this.image,
      containerName: this.containerName,
      component: BLACKBOX_COMPONENT.name,
      hardening: {
        memoryLimitMegabytes: 64,
        // HTTP and TCP probes only: no ICMP, so no NET_RAW; runs as nobody.
        dropAllCapabilities: true,
        // Not read-only: Docker refuses the provider's file uploads into a read-only root filesystem.
      },
      provider: props.provider,
      command: [...this.command],
      networksAdvanced: [{ name: props.networkName, aliases: [this.containerName] }],
      // node_exporter lives in the host's network namespace; this name reaches it from the bridge.
      host: [DOCKER_HOST_GATEWAY_ENTRY],
      files: [{ path: BLACKBOX_PATHS.config, content: () => renderBlackboxConfig(this.probeList.map(moduleOf)) }],
    });
    for (const p of props.probes ?? []) this.addProbe(p);
  }

  /** The probes, in order. */
  public get probes(): readonly Probe[] {
    return this.probeList;
  }

  /** How Prometheus scrapes one probe. */
  public scrapeTargetOf(p: Probe): ScrapeTarget {
    return {
      jobName: `${BLACKBOX_JOB_PREFIX}${p.name}`,
      address: `${this.containerName}:${BLACKBOX_PORT}`,
      metricsPath: '/probe',
      params: { module: moduleName(p.name), target: p.target },
      labels: { ...p.labels, probe: p.group ?? p.name, target: p.target },
    };
  }

  /** Calls `listener` with the scrape target of every probe, those already added and those to come. */
  public onProbeAdded(listener: (target: ScrapeTarget) => void): void {
    this.onProbe.push(listener);
    for (const p of this.probeList) listener(this.scrapeTargetOf(p));
  }

  /**
   * Probes one more endpoint.
   * @throws PeekStackValidationError for a name in use or malformed, or a target of the wrong form
   */
  public addProbe(p: Probe): void {
    const field = `BlackboxExporter.addProbe(${p.name})`;
    assertMatches(`${field}.name`, p.name, PROBE_NAME, 'letters, digits, "_" and "-", at most 41 characters, starting with a letter or digit');
    if (this.probeNames.has(p.name)) throw new PeekStackValidationError(`${field}.name`, p.name, 'a probe name not already used');
    assertNonEmpty(`${field}.target`, p.target);
    if (p.kind === 'https' && !/^https:\/\//.test(p.target)) throw new PeekStackValidationError(`${field}.target`, p.target, 'an https:// URL');
    if (p.caCertificatePem) this.service.addFile({ path: BLACKBOX_PATHS.ca(p.name), content: p.caCertificatePem });
    this.probeList.push(p);
    this.probeNames.add(p.name);
    for (const listener of this.onProbe) listener(this.scrapeTargetOf(p));
  }
}

const moduleName = (probe: string) => `probe-${probe}`;

function moduleOf(p: Probe): BlackboxModule {
  return {
    name: moduleName(p.name),
    kind: p.kind,
    caFile: p.caCertificatePem ? BLACKBOX_PATHS.ca(p.name) : undefined,
    serverName: p.serverName,
    expectStatus: p.expectStatus,
  };
}

/** The HTTPS probes of an Alertmanager set: one per target, each verifying the set's CA, grouped as `alertmanager`. */
export function alertmanagerProbes(endpoint: AlertmanagerEndpoint): Probe[] {
  if ((endpoint.scheme ?? 'https') !== 'https') return [];
  return endpoint.targets.map((target, index) => ({
    name: endpoint.targets.length === 1 ? `${ALERTMANAGER_PROBE}-${endpoint.name}` : `${ALERTMANAGER_PROBE}-${endpoint.name}-${index}`,
    group: ALERTMANAGER_PROBE,
    kind: 'https',
    target: `https://${target}${(endpoint.pathPrefix ?? '/').replace(/\/$/, '')}/-/healthy`,
    caCertificatePem: endpoint.caCertificatePem,
    serverName: endpoint.serverName,
  }));
}

/** The TCP probe of another host's published Prometheus port (`PeekStackHostDown` carries that host's `host` label). */
export function hostProbe(probe: HostProbe): Probe {
  return { name: `${HOST_PROBE}-${probe.hostName}`, group: HOST_PROBE, kind: 'tcp', target: probe.address, labels: { [PROBED_HOST_LABEL]: probe.hostName } };
}

/** What a collector is told about its blackbox_exporter: its props minus what the collector gives it. */
export type BlackboxOptions = ComponentToggle & Omit<BlackboxExporterProps, 'networkName' | 'provider' | 'containerName'>;

/**
 * blackbox_exporter as a collector attaches it: each probe a scrape job of the collector's
 * Prometheus; probes of that Prometheus and of every TLS endpoint of the components attached before
 * it (verified certificate, 401 without credentials), of the collector's Alertmanagers and of the
 * other hosts it watches; the host's thresholds in its alerts.
 */
export function blackboxComponent(options: BlackboxOptions = {}): CollectorComponent | undefined {
  if (options.enabled === false) return undefined;
  const { enabled: _enabled, ...props } = options;
  return {
    name: BLACKBOX_COMPONENT.name,
    bind: (collector) => {
      const blackbox = new BlackboxExporter(collector, 'blackbox', { ...props, containerName: collector.resourceName('blackbox'), networkName: collector.network.name, provider: collector.provider });
      blackbox.onProbeAdded((target) => collector.prometheus.addScrapeTarget(target));
      blackbox.addProbe({
        name: 'prometheus',
        kind: 'https',
        target: `https://${collector.prometheus.containerName}:${PROMETHEUS_CONTAINER_PORT}/-/healthy`,
        caCertificatePem: collector.caCertificatePem,
        serverName: 'localhost',
      });
      for (const component of collector.components) {
        const target = component.scrapeTarget;
        if (!target?.tls) continue;
        blackbox.addProbe({ name: component.name, kind: 'https', target: `https://${target.address}${target.metricsPath ?? '/metrics'}`, caCertificatePem: target.tls.caCertificatePem, serverName: target.tls.serverName });
      }
      for (const endpoint of collector.alertmanagers) for (const probe of alertmanagerProbes(endpoint)) blackbox.addProbe(probe);
      for (const probe of collector.hostProbes) blackbox.addProbe(hostProbe(probe));
      // Its probes are jobs of their own (one module each); the component brings the rules and catalog.
      const { name: _name, ...bound } = componentOf(BLACKBOX_COMPONENT, undefined, collector.alertThresholds);
      return { ...bound, ruleFileName: PEEKSTACK_RULE_FILE, construct: blackbox };
    },
  };
}
