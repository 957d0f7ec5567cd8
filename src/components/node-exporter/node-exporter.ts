import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DOCKER_HOST_GATEWAY_NAME, DockerService } from '../../constructs/docker-service';
import { MonitoringComponent } from '../component';
import { componentOf, NODE_EXPORTER_COMPONENT } from '..';
import { ServerCertificate } from '../../constructs/certificate-authority';
import { BasicAuthCredentials } from '../../constructs/credentials';
import { servedTlsFiles } from '../../constructs/served-tls';
import { GO_RUNTIME_METRICS, ScrapeTarget } from '../../core/scrape-target';
import { assertNonEmpty } from '../../core/validate';
import { resolveNodeExporterSettings } from './settings';
import { GeneratedCredentials } from '../../constructs/credentials';
import { PEEKSTACK_RULE_FILE } from '../../render/rules';
import type { CollectorComponent, ComponentToggle } from '../collector-component';
import { AlertThresholds, resolveAlertThresholds } from '../../core/alert-thresholds';

/** Default collectors switched off: nothing to read in a container on a typical bare-metal host, or not wanted. */
export const NODE_EXPORTER_DISABLED_COLLECTORS: readonly string[] = [
  'arp', // neighbour tables: a series per peer, no dashboard use
  'bcache',
  'bcachefs',
  'btrfs',
  'fibrechannel',
  'infiniband',
  'ipvs',
  'nfs',
  'nfsd',
  // systemd's D-Bus socket is not in the container (and some builds turn this collector on).
  'systemd',
  'tapestats',
  'textfile', // no textfile directory is mounted
  'xfs',
  'zfs',
];

/** Props of {@link NodeExporter}. */
export interface NodeExporterProps {
  /** TLS certificate the exporter serves; its SANs must contain {@link DOCKER_HOST_GATEWAY_NAME}. */
  readonly certificate: ServerCertificate;
  /** CA that signed `certificate`; Prometheus verifies against it. */
  readonly caCertificatePem: string;
  /** Basic-auth user Prometheus scrapes with. */
  readonly credentials: BasicAuthCredentials;
  /**
   * Pinned image.
   * @default DEFAULT_IMAGES.nodeExporter
   */
  readonly image?: string;
  /**
   * Container name.
   * @default 'peekstack-node-exporter'
   */
  readonly containerName?: string;
  /**
   * Port the exporter listens on in the host's network namespace. It is reachable from other
   * machines, which is why it serves only TLS with basic auth.
   * @default 9100
   */
  readonly port?: number;
  /**
   * Read RAPL energy counters (`node_rapl_*`), which kernels since 5.10 let only root read
   * (CVE-2020-8694): when true the exporter runs as root.
   * @default true
   */
  readonly rapl?: boolean;
  /**
   * Default collectors to switch off.
   * @default NODE_EXPORTER_DISABLED_COLLECTORS
   * @see https://github.com/prometheus/node_exporter#collectors
   */
  readonly disabledCollectors?: readonly string[];
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
  /**
   * Thresholds written into its alerts.
   * @default DEFAULT_ALERT_THRESHOLDS
   */
  readonly alertThresholds?: AlertThresholds;
}

const CONFIG_DIR = '/etc/node_exporter';

/** Where the exporter reads sysfs: the host's, through the `/` → `/host` bind (see the command). */
export const NODE_EXPORTER_SYSFS = '/host/sys';

/**
 * node_exporter reporting the host, not its container: it shares the host's network namespace (so
 * `node_network_*` are the host's interfaces) and PID namespace, and reads the host's root
 * filesystem read-only at /host (`--path.rootfs`), as its README prescribes for Docker.
 */
export class NodeExporter extends Construct {
  public readonly image: string;
  public readonly containerName: string;
  public readonly port: number;
  public readonly rapl: boolean;
  public readonly disabledCollectors: readonly string[];
  /** The command line the container runs with (after the image's entrypoint). */
  public readonly command: readonly string[];
  public readonly service: DockerService;
  /** How Prometheus scrapes this exporter. */
  public readonly scrapeTarget: ScrapeTarget;
  /** The exporter as a component: scrape target, rules, dashboards and metric catalog from one place. */
  public readonly component: MonitoringComponent;

  constructor(scope: Construct, id: string, props: NodeExporterProps) {
    super(scope, id);
    // The settings a fleet file gives, checked where `peekstack validate` checks them too (settings.ts).
    const settings = resolveNodeExporterSettings(props);
    this.image = settings.image;
    this.containerName = assertNonEmpty('NodeExporter.containerName', props.containerName ?? 'peekstack-node-exporter');
    this.port = settings.port;
    this.rapl = props.rapl ?? true;
    this.disabledCollectors = props.disabledCollectors ?? NODE_EXPORTER_DISABLED_COLLECTORS;
    this.command = [
      '--path.rootfs=/host',
      // RAPL without privileges on current Docker: 20.10.27 / 24.0.7 and later mask the container's
      // /sys/devices/virtual/powercap (moby GHSA-jq35-85cj-fj4p, PLATYPUS), where every
      // /sys/class/powercap/intel-rapl:* links to, so reading the container's own /sys finds no RAPL
      // zone. The read-only bind of the host's / below is recursive (Docker binds with rbind unless
      // NonRecursive is set, which the Terraform provider does not expose), so /host/sys is the
      // host's own sysfs mount, outside the mask. The other collectors lose nothing: the mask is
      // the only difference, and the host network namespace makes /host/sys/class/net the same.
      `--path.sysfs=${NODE_EXPORTER_SYSFS}`,
      `--web.listen-address=:${this.port}`,
      `--web.config.file=${CONFIG_DIR}/web-config.yml`,
      ...this.disabledCollectors.map((name) => `--no-collector.${name}`),
      ...(this.rapl ? [] : ['--no-collector.rapl']),
      // Mounts of the container runtime and pseudo filesystems say nothing about the host's disks.
      '--collector.filesystem.mount-points-exclude=^/(dev|proc|run|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)',
      // Virtual interfaces of containers come and go with every container: they would multiply series.
      '--collector.netdev.device-exclude=^(veth.*|br-.*|docker[0-9]+|lo)$',
    ];
    const keyMode = this.rapl ? '0400' : '0444';
    this.service = new DockerService(this, 'service', {
      image: this.image,
      containerName: this.containerName,
      component: NODE_EXPORTER_COMPONENT.name,
      hardening: {
        memoryLimitMegabytes: 128,
        // No capability: root reads the root-owned RAPL counters as their owner, and every other file
        // it reads (/proc, /sys, statfs of mounts) is world-readable.
        dropAllCapabilities: true,
        // Not read-only: Docker refuses the provider's file uploads (web config, certificate) into a
        // read-only root filesystem. No health check: the image has no HTTPS client to run one.
      },
      provider: props.provider,
      command: [...this.command],
      // Host namespaces: without them the network and process metrics would describe the container.
      networkMode: 'host',
      pidMode: 'host',
      // Root only to read RAPL energy counters (root-only since CVE-2020-8694); otherwise the image's nobody.
      user: this.rapl ? '0:0' : undefined,
      // rslave: filesystems mounted on the host after start show up too.
      mounts: [{ type: 'bind', source: '/', target: '/host', readOnly: true, bindOptions: { propagation: 'rslave' } }],
      files: [
        ...servedTlsFiles({ webConfig: `${CONFIG_DIR}/web-config.yml`, certificate: `${CONFIG_DIR}/tls/server.crt`, key: `${CONFIG_DIR}/tls/server.key` }, props.certificate, props.credentials, keyMode),
      ],
    });
    this.scrapeTarget = {
      jobName: NODE_EXPORTER_COMPONENT.jobName,
      address: `${DOCKER_HOST_GATEWAY_NAME}:${this.port}`,
      tls: { caCertificatePem: props.caCertificatePem, serverName: DOCKER_HOST_GATEWAY_NAME },
      basicAuth: { username: props.credentials.username, password: props.credentials.password },
      dropMetrics: GO_RUNTIME_METRICS,
      fallbackScrapeProtocol: 'PrometheusText0.0.4',
    };
    this.component = componentOf(NODE_EXPORTER_COMPONENT, this.scrapeTarget, resolveAlertThresholds('NodeExporter.alertThresholds', props.alertThresholds));
  }
}

/** What a collector is told about its node_exporter: the exporter's props minus what the collector gives it. */
export type NodeExporterOptions = ComponentToggle & Omit<NodeExporterProps, 'certificate' | 'caCertificatePem' | 'credentials' | 'provider' | 'containerName'>;

/**
 * node_exporter as a collector attaches it: its own basic-auth user, a certificate from the
 * collector's CA, the host's thresholds in its alerts.
 */
export function nodeExporterComponent(options: NodeExporterOptions = {}): CollectorComponent | undefined {
  if (options.enabled === false) return undefined;
  const { enabled: _enabled, ...props } = options;
  return {
    name: NODE_EXPORTER_COMPONENT.name,
    bind: (collector) => {
      const credentials = new GeneratedCredentials(collector, 'node-exporter-credentials', { field: 'Collector.nodeExporter', username: 'prometheus' });
      const exporter = new NodeExporter(collector, 'node-exporter', {
        ...props,
        containerName: collector.resourceName('node-exporter'),
        certificate: collector.certificateAuthority.issueServerCertificate('node-exporter-cert', `${collector.hostName} node_exporter`, [DOCKER_HOST_GATEWAY_NAME]),
        caCertificatePem: collector.certificateAuthority.certificatePem,
        credentials,
        provider: collector.provider,
        alertThresholds: collector.alertThresholds,
      });
      return { ...exporter.component, ruleFileName: PEEKSTACK_RULE_FILE, construct: exporter };
    },
  };
}
