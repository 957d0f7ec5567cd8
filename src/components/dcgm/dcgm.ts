/**
 * GPU power, the first add-on: NVIDIA's DCGM exporter, written only against PeekStack's public
 * API (DockerService, the component attachment of collector-component.ts, the dashboard helpers, the
 * catalog types), as a user would write their own. A collector attaches it from the registry when its
 * options say `dcgm: { enabled: true }`.
 *
 * GPU energy is apart from RAPL energy: RAPL's package and DRAM zones cover the CPU sockets and
 * memory, not the GPUs' boards, so the two are shown side by side and never summed into "host".
 */
import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DashboardDefinition, toDashboardDefinition } from '../../dashboards/definition';
import { buildDashboard, HOST, statPanel, timeseriesPanel } from '../../dashboards/shared';
import { MonitoringComponent } from '../component';
import type { CollectorComponent, ComponentHost } from '../collector-component';
import { DockerService } from '../../constructs/docker-service';
import { DEFAULT_IMAGES } from '../../core/images';
import { DCGM_JOB, DCGM_METRICS } from './metrics';
import { ScrapeTarget } from '../../core/scrape-target';
import { assertPinnedImage } from '../../core/validate';

/** The pinned DCGM exporter image (pinned with the others, in images.ts). */
export const DCGM_EXPORTER_IMAGE = DEFAULT_IMAGES.dcgmExporter;

/** Port the exporter serves /metrics on, inside the collector's private network. */
export const DCGM_EXPORTER_PORT = 9400;

export { DCGM_JOB, DCGM_METRICS };

/** Millijoules per kilowatt-hour (DCGM's energy counter is in mJ). */
const MILLIJOULES_PER_KWH = 3.6e9;

/** Stable uid of the GPU power dashboard. */
export const GPU_DASHBOARD_UID = 'peekstack-gpu-power';

/** The GPU power dashboard: power per GPU, energy over the range, apart from RAPL. */
export function gpuPowerDashboard(): DashboardDefinition {
  const sel = `{${HOST}}`;
  return toDashboardDefinition(
    buildDashboard({
      uid: GPU_DASHBOARD_UID,
      title: 'PeekStack / GPU power',
      description: 'NVIDIA GPU power and energy from DCGM. GPU boards are not in RAPL: their energy comes on top of the CPU package and DRAM energy of the power dashboard.',
      tags: ['peekstack', 'dcgm', 'gpu', 'power'],
      rows: [
        {
          title: 'GPU power',
          panels: [
            statPanel({
              title: 'GPU power now',
              description: 'Power draw of every selected GPU board, summed (DCGM_FI_DEV_POWER_USAGE, W). Not part of RAPL host power.',
              unit: 'watt',
              queries: [{ expr: `sum(DCGM_FI_DEV_POWER_USAGE${sel})`, legend: 'GPUs' }],
            }),
            statPanel({
              title: 'GPU energy over the range',
              description: 'increase() of DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION (mJ) over the dashboard range, in kWh. Apart from RAPL energy.',
              unit: 'kwatth',
              instant: true,
              decimals: 3,
              queries: [{ expr: `sum(increase(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION${sel}[$__range])) / ${MILLIJOULES_PER_KWH}`, legend: 'GPUs' }],
            }),
            timeseriesPanel({
              title: 'Power per GPU',
              description: 'DCGM_FI_DEV_POWER_USAGE per GPU board, W.',
              unit: 'watt',
              width: 24,
              queries: [{ expr: `sum by (host, gpu, modelName) (DCGM_FI_DEV_POWER_USAGE${sel})`, legend: '{{host}} GPU {{gpu}} {{modelName}}' }],
            }),
            timeseriesPanel({
              title: 'GPU power from the energy counter',
              description: 'rate() of DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION (mJ/s) / 1000 = W: a cross-check of the power gauge, averaged over the rate interval.',
              unit: 'watt',
              width: 24,
              queries: [{ expr: `sum by (host, gpu) (rate(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION${sel}[$__rate_interval])) / 1000`, legend: '{{host}} GPU {{gpu}}' }],
            }),
          ],
        },
      ],
    }),
  );
}

/** Props of {@link DcgmExporter}. */
export interface DcgmExporterProps {
  /**
   * The collector to add the exporter to (with `addComponent`); its container joins the collector's
   * private network. Not given when the collector itself attaches it ({@link dcgmComponent}).
   * @default - added to no collector
   */
  readonly collector?: ComponentHost & { addComponent(component: MonitoringComponent, container?: DockerService): void };
  /**
   * Pinned image.
   * @default DCGM_EXPORTER_IMAGE
   */
  readonly image?: string;
  /**
   * Container name, also its name on the private network.
   * @default '<collector name prefix>-dcgm-exporter', or 'peekstack-dcgm-exporter' without a collector
   */
  readonly containerName?: string;
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
}

/**
 * NVIDIA's DCGM exporter on a collector: every GPU (`--gpus all`), the one capability it needs
 * (SYS_ADMIN, for DCGM's profiling fields), on the collector's private network only (no published
 * port, so no TLS of its own is needed: only Prometheus reaches it), with its scrape job, GPU
 * power dashboard and catalog as one component.
 */
export class DcgmExporter extends Construct {
  public readonly image: string;
  public readonly containerName: string;
  public readonly service: DockerService;
  public readonly component: MonitoringComponent;

  constructor(scope: Construct, id: string, props: DcgmExporterProps) {
    super(scope, id);
    this.image = assertPinnedImage('DcgmExporter.image', props.image ?? DCGM_EXPORTER_IMAGE);
    this.containerName = props.containerName ?? props.collector?.resourceName('dcgm-exporter') ?? 'peekstack-dcgm-exporter';
    this.service = new DockerService(this, 'service', {
      image: this.image,
      containerName: this.containerName,
      component: 'dcgm-exporter',
      provider: props.provider,
      // All GPUs through the NVIDIA container toolkit; the host needs the driver and the toolkit.
      gpus: 'all',
      command: ['-a', `:${DCGM_EXPORTER_PORT}`],
      hardening: {
        memoryLimitMegabytes: 512,
        // DCGM's embedded host engine needs SYS_ADMIN (NVIDIA's documented run line); nothing else.
        dropAllCapabilities: true,
        addCapabilities: ['SYS_ADMIN'],
      },
    });
    const scrapeTarget: ScrapeTarget = {
      jobName: DCGM_JOB,
      address: `${this.containerName}:${DCGM_EXPORTER_PORT}`,
      fallbackScrapeProtocol: 'PrometheusText0.0.4',
    };
    this.component = { name: 'dcgm-exporter', scrapeTarget, dashboards: [gpuPowerDashboard()], metrics: DCGM_METRICS };
    props.collector?.addComponent(this.component, this.service);
  }
}

/** What a collector is told about DCGM: off unless enabled (only hosts with NVIDIA GPUs have it). */
export interface DcgmOptions {
  /**
   * Deploy the DCGM exporter.
   * @default false
   */
  readonly enabled?: boolean;
  /** @default DCGM_EXPORTER_IMAGE */
  readonly image?: string;
}

/** The DCGM exporter as a collector attaches it (only with `enabled: true`). */
export function dcgmComponent(options: DcgmOptions = {}): CollectorComponent | undefined {
  if (!options.enabled) return undefined;
  return {
    name: 'dcgm-exporter',
    bind: (collector) => {
      const exporter = new DcgmExporter(collector, 'dcgm', { image: options.image, containerName: collector.resourceName('dcgm-exporter'), provider: collector.provider });
      const { name: _name, ...bound } = exporter.component;
      return { ...bound, container: exporter.service, construct: exporter };
    },
  };
}
