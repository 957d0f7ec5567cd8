import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DockerService } from '../../constructs/docker-service';
import { MonitoringComponent } from '../component';
import { componentOf, SCAPHANDRE_COMPONENT } from '..';
import { PEEKSTACK_RULE_FILE } from '../../render/rules';
import type { CollectorComponent, ComponentToggle } from '../collector-component';
import { AlertThresholds, resolveAlertThresholds } from '../../core/alert-thresholds';
import { SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS } from './floor';
import { MAX_TRUNCATED_LABEL_LENGTH, ScrapeTarget } from '../../core/scrape-target';
import { assertNonEmpty } from '../../core/validate';
import { resolveScaphandreSettings } from './settings';

export { SCAPHANDRE_FLOOR_REASON, SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS, SCAPHANDRE_REFRESH_SECONDS, assertScaphandreInterval } from './floor';

/** Port Scaphandre serves /metrics on inside the private network. */
export const SCAPHANDRE_PORT = 8080;

/**
 * Per-process series other than power: each process (pid, exe, cmdline) gets eight of them, about
 * 40 % of a collector's series, and only the power one is read by the dashboards.
 */
export const SCAPHANDRE_DROPPED_METRICS = 'scaph_process_(cpu_usage_percentage|memory_bytes|memory_virtual_bytes|disk_.*)';

/**
 * Scaphandre's `cmdline` label holds a process's whole command line, which has no bound (a JVM's
 * class path runs to tens of kilobytes); it is cut to this many characters after each scrape so the
 * series reaches the fleet store (see {@link ScrapeTarget.truncateLabels}).
 */
export const SCAPHANDRE_CMDLINE_MAX_LENGTH = MAX_TRUNCATED_LABEL_LENGTH;

/** Props of {@link Scaphandre}. */
export interface ScaphandreProps {
  /** Name of the Docker network Prometheus reaches Scaphandre on. */
  readonly networkName: string;
  /**
   * Pinned image.
   * @default DEFAULT_IMAGES.scaphandre
   */
  readonly image?: string;
  /**
   * Container name, also its DNS name on the network.
   * @default 'peekstack-scaphandre'
   */
  readonly containerName?: string;
  /**
   * Label process power with the container it runs in (`--containers`). Needs Docker's socket, and
   * labels only containers that existed when Scaphandre started.
   * @default true
   */
  readonly containers?: boolean;
  /**
   * Scrape interval of the `scaphandre` job; at least {@link SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS}.
   * @default - Prometheus's interval
   */
  readonly scrapeIntervalSeconds?: number;
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
  /**
   * Thresholds written into its alerts.
   * @default DEFAULT_ALERT_THRESHOLDS
   */
  readonly alertThresholds?: AlertThresholds;
}

/**
 * Scaphandre: host, socket, RAPL-domain, per-process and per-container power from the kernel's
 * powercap RAPL interface. It publishes no port: only Prometheus reaches it, on the private network.
 */
export class Scaphandre extends Construct {
  public readonly image: string;
  public readonly containerName: string;
  public readonly containers: boolean;
  public readonly command: readonly string[];
  public readonly service: DockerService;
  public readonly scrapeTarget: ScrapeTarget;
  /** The exporter as a component: scrape target, rules, dashboards and metric catalog from one place. */
  public readonly component: MonitoringComponent;

  constructor(scope: Construct, id: string, props: ScaphandreProps) {
    super(scope, id);
    this.image = resolveScaphandreSettings(props).image;
    this.containerName = assertNonEmpty('Scaphandre.containerName', props.containerName ?? 'peekstack-scaphandre');
    this.containers = props.containers ?? true;
    this.command = [
      '--sensor',
      'powercap_rapl',
      'prometheus',
      '--address',
      '0.0.0.0',
      '--port',
      String(SCAPHANDRE_PORT),
      ...(this.containers ? ['--containers'] : []),
    ];
    this.service = new DockerService(this, 'service', {
      image: this.image,
      containerName: this.containerName,
      component: SCAPHANDRE_COMPONENT.name,
      hardening: {
        memoryLimitMegabytes: 256,
        // Privileged (below) keeps every capability whatever is dropped: not set, to say so plainly.
        dropAllCapabilities: false,
        // Read-only root filesystem not set: not verified with the image here. No health check: the
        // image has no HTTP client.
      },
      provider: props.provider,
      command: [...this.command],
      // Reading energy_uj is root-only since CVE-2020-8694 and Docker mounts /sys read-only and masks
      // parts of it; upstream documents privileged mode as required (hubblo-org/scaphandre#106).
      privileged: true,
      // The host's PID namespace gives Scaphandre the host's processes in /proc, which it attributes power to.
      pidMode: 'host',
      networksAdvanced: [{ name: props.networkName, aliases: [this.containerName] }],
      volumes: [
        // The RAPL energy counters.
        { hostPath: '/sys/class/powercap', containerPath: '/sys/class/powercap', readOnly: true },
        // Container names and labels for --containers; read-only is enough for the API reads it makes.
        ...(this.containers
          ? [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock', readOnly: true }]
          : []),
      ],
    });
    this.scrapeTarget = {
      jobName: SCAPHANDRE_COMPONENT.jobName,
      address: `${this.containerName}:${SCAPHANDRE_PORT}`,
      scrapeIntervalSeconds: props.scrapeIntervalSeconds,
      minScrapeIntervalSeconds: SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS,
      dropMetrics: SCAPHANDRE_DROPPED_METRICS,
      truncateLabels: { cmdline: SCAPHANDRE_CMDLINE_MAX_LENGTH },
      fallbackScrapeProtocol: 'PrometheusText0.0.4',
    };
    this.component = componentOf(SCAPHANDRE_COMPONENT, this.scrapeTarget, resolveAlertThresholds('Scaphandre.alertThresholds', props.alertThresholds));
  }
}

/** What a collector is told about its Scaphandre: its props minus what the collector gives it. */
export type ScaphandreOptions = ComponentToggle & Omit<ScaphandreProps, 'networkName' | 'provider' | 'containerName'>;

/** Scaphandre as a collector attaches it: on the collector's network, the host's thresholds in its alerts. */
export function scaphandreComponent(options: ScaphandreOptions = {}): CollectorComponent | undefined {
  if (options.enabled === false) return undefined;
  const { enabled: _enabled, ...props } = options;
  return {
    name: SCAPHANDRE_COMPONENT.name,
    bind: (collector) => {
      const scaphandre = new Scaphandre(collector, 'scaphandre', { ...props, containerName: collector.resourceName('scaphandre'), networkName: collector.network.name, provider: collector.provider, alertThresholds: collector.alertThresholds });
      return { ...scaphandre.component, ruleFileName: PEEKSTACK_RULE_FILE, construct: scaphandre };
    },
  };
}
