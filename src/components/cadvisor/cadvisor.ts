import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { COMPONENT_LABEL, DockerService } from '../../constructs/docker-service';
import { MonitoringComponent } from '../component';
import { componentOf, CADVISOR_COMPONENT } from '..';
import { PEEKSTACK_RULE_FILE } from '../../render/rules';
import type { CollectorComponent, ComponentToggle } from '../collector-component';
import { AlertThresholds, resolveAlertThresholds } from '../../core/alert-thresholds';
import { GO_RUNTIME_METRICS, ScrapeTarget } from '../../core/scrape-target';
import { assertIntegerInRange, assertMatches, assertNonEmpty } from '../../core/validate';
import { resolveCadvisorSettings } from './settings';

/** Metric groups cAdvisor collects by default here: all the container dashboard needs, nothing more. */
export const CADVISOR_DEFAULT_METRICS: readonly string[] = ['cpu', 'memory', 'network', 'oom_event'];

/** Container labels turned into metric labels by default: enough to filter by compose project/service and to find PeekStack's own containers. */
export const CADVISOR_DEFAULT_CONTAINER_LABELS: readonly string[] = [
  'com.docker.compose.project',
  'com.docker.compose.service',
  COMPONENT_LABEL,
];

/** Props of {@link Cadvisor}. */
export interface CadvisorProps {
  /** Name of the Docker network Prometheus reaches cAdvisor on. */
  readonly networkName: string;
  /**
   * Pinned image.
   * @default DEFAULT_IMAGES.cadvisor
   */
  readonly image?: string;
  /**
   * Container name, also its DNS name on the network.
   * @default 'peekstack-cadvisor'
   */
  readonly containerName?: string;
  /**
   * How often cAdvisor refreshes container stats. 10 s instead of 1 s took one user's cAdvisor from
   * ~7 % to ~3 % CPU.
   * @default 10
   * @see https://github.com/google/cadvisor/blob/master/docs/runtime_options.md#housekeeping
   */
  readonly housekeepingIntervalSeconds?: number;
  /**
   * Metric groups to collect (`--enable_metrics`). Disk metrics cost most and are off.
   * @default CADVISOR_DEFAULT_METRICS
   */
  readonly enabledMetrics?: readonly string[];
  /**
   * Container labels exported as `container_label_*` (all others are dropped, which saves series).
   * @default CADVISOR_DEFAULT_CONTAINER_LABELS
   */
  readonly containerLabels?: readonly string[];
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
  /**
   * Thresholds written into its alerts.
   * @default DEFAULT_ALERT_THRESHOLDS
   */
  readonly alertThresholds?: AlertThresholds;
}

/** Port cAdvisor serves /metrics on inside the private network. */
export const CADVISOR_PORT = 8080;

/**
 * cAdvisor: per-container CPU, memory and network from the host's cgroups and Docker's state. It has
 * no TLS of its own, so it publishes no port and is reachable only on the collector's private network.
 */
export class Cadvisor extends Construct {
  public readonly image: string;
  public readonly containerName: string;
  public readonly housekeepingIntervalSeconds: number;
  public readonly enabledMetrics: readonly string[];
  public readonly containerLabels: readonly string[];
  public readonly command: readonly string[];
  public readonly service: DockerService;
  public readonly scrapeTarget: ScrapeTarget;
  /** The exporter as a component: scrape target, rules, dashboards and metric catalog from one place. */
  public readonly component: MonitoringComponent;

  constructor(scope: Construct, id: string, props: CadvisorProps) {
    super(scope, id);
    this.image = resolveCadvisorSettings(props).image;
    this.containerName = assertNonEmpty('Cadvisor.containerName', props.containerName ?? 'peekstack-cadvisor');
    this.housekeepingIntervalSeconds = assertIntegerInRange(
      'Cadvisor.housekeepingIntervalSeconds',
      props.housekeepingIntervalSeconds ?? 10,
      1,
      300,
      'seconds',
    );
    this.enabledMetrics = props.enabledMetrics ?? CADVISOR_DEFAULT_METRICS;
    this.enabledMetrics.forEach((metric, index) =>
      assertMatches(`Cadvisor.enabledMetrics[${index}]`, metric, /^[A-Za-z_]+$/, 'a cAdvisor metric group such as "cpu"'),
    );
    this.containerLabels = props.containerLabels ?? CADVISOR_DEFAULT_CONTAINER_LABELS;
    this.containerLabels.forEach((label, index) =>
      assertMatches(`Cadvisor.containerLabels[${index}]`, label, /^[A-Za-z0-9._/-]+$/, 'a Docker label key'),
    );
    this.command = [
      `--port=${CADVISOR_PORT}`,
      // Only Docker containers (and the root cgroup): raw cgroups are the biggest CPU cost.
      '--docker_only=true',
      `--housekeeping_interval=${this.housekeepingIntervalSeconds}s`,
      `--enable_metrics=${this.enabledMetrics.join(',')}`,
      // Keep only the labels the dashboards filter on instead of every label and env variable.
      '--store_container_labels=false',
      `--whitelisted_container_labels=${this.containerLabels.join(',')}`,
    ];
    this.service = new DockerService(this, 'service', {
      image: this.image,
      containerName: this.containerName,
      component: CADVISOR_COMPONENT.name,
      hardening: {
        memoryLimitMegabytes: 512,
        // Privileged (below) keeps every capability whatever is dropped: not set, to say so plainly.
        dropAllCapabilities: false,
        // Read-only root filesystem not set: not verified with the image here (no Docker engine on the
        // test machines). The image brings its own health check (wget of /healthz).
      },
      provider: props.provider,
      command: [...this.command],
      // cgroup and /dev/kmsg (OOM events) access need it: the documented way to run cAdvisor.
      privileged: true,
      devices: [{ hostPath: '/dev/kmsg', containerPath: '/dev/kmsg' }],
      networksAdvanced: [{ name: props.networkName, aliases: [this.containerName] }],
      // Read-only views of what cAdvisor inspects: root fs (container fs), Docker's socket (names,
      // labels), cgroups in /sys, Docker's state. /dev/disk is left out with disk metrics.
      volumes: [
        { hostPath: '/', containerPath: '/rootfs', readOnly: true },
        { hostPath: '/var/run', containerPath: '/var/run', readOnly: true },
        { hostPath: '/sys', containerPath: '/sys', readOnly: true },
        { hostPath: '/var/lib/docker', containerPath: '/var/lib/docker', readOnly: true },
      ],
    });
    this.scrapeTarget = {
      jobName: CADVISOR_COMPONENT.jobName,
      address: `${this.containerName}:${CADVISOR_PORT}`,
      dropMetrics: GO_RUNTIME_METRICS,
      fallbackScrapeProtocol: 'PrometheusText0.0.4',
    };
    this.component = componentOf(CADVISOR_COMPONENT, this.scrapeTarget, resolveAlertThresholds('Cadvisor.alertThresholds', props.alertThresholds));
  }
}

/** What a collector is told about its cAdvisor: its props minus what the collector gives it. */
export type CadvisorOptions = ComponentToggle & Omit<CadvisorProps, 'networkName' | 'provider' | 'containerName'>;

/** cAdvisor as a collector attaches it: on the collector's network, the host's thresholds in its alerts. */
export function cadvisorComponent(options: CadvisorOptions = {}): CollectorComponent | undefined {
  if (options.enabled === false) return undefined;
  const { enabled: _enabled, ...props } = options;
  return {
    name: CADVISOR_COMPONENT.name,
    bind: (collector) => {
      const cadvisor = new Cadvisor(collector, 'cadvisor', { ...props, containerName: collector.resourceName('cadvisor'), networkName: collector.network.name, provider: collector.provider, alertThresholds: collector.alertThresholds });
      return { ...cadvisor.component, ruleFileName: PEEKSTACK_RULE_FILE, construct: cadvisor };
    },
  };
}
