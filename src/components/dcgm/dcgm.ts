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
import { CatalogMetric } from '../../core/metric-catalog';
import { ScrapeTarget } from '../../core/scrape-target';
import { assertPinnedImage } from '../../core/validate';

/** The pinned DCGM exporter image (pinned with the others, in images.ts). */
export const DCGM_EXPORTER_IMAGE = DEFAULT_IMAGES.dcgmExporter;

/** Port the exporter serves /metrics on, inside the collector's private network. */
export const DCGM_EXPORTER_PORT = 9400;

/** Scrape job of the exporter. */
export const DCGM_JOB = 'dcgm';

/** Millijoules per kilowatt-hour (DCGM's energy counter is in mJ). */
const MILLIJOULES_PER_KWH = 3.6e9;

/** Labels dcgm-exporter puts on every GPU series. */
const GPU_LABELS = ['gpu', 'UUID', 'pci_bus_id', 'device', 'modelName', 'Hostname'] as const;

const gpu = (name: string, type: CatalogMetric['type'], help: string): CatalogMetric => ({ name, type, jobs: [DCGM_JOB], help, labels: GPU_LABELS, onlyWhen: 'the host has an NVIDIA GPU and driver' });

/**
 * What the exporter produces with its default counters (`etc/default-counters.csv` of the image):
 * names and types as the exporter declares them. Checked against a fixture exposition of those
 * counters in test/dcgm.test.ts.
 */
export const DCGM_METRICS: readonly CatalogMetric[] = [
  gpu('DCGM_FI_DEV_SM_CLOCK', 'gauge', 'SM clock frequency, MHz.'),
  gpu('DCGM_FI_DEV_MEM_CLOCK', 'gauge', 'Memory clock frequency, MHz.'),
  gpu('DCGM_FI_DEV_MEMORY_TEMP', 'gauge', 'Memory temperature, °C.'),
  gpu('DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature, °C.'),
  gpu('DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw of the GPU board, W.'),
  gpu('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'counter', 'Energy of the GPU board since the driver loaded, mJ.'),
  gpu('DCGM_FI_DEV_PCIE_TX_THROUGHPUT', 'counter', 'PCIe bytes sent, KB.'),
  gpu('DCGM_FI_DEV_PCIE_RX_THROUGHPUT', 'counter', 'PCIe bytes received, KB.'),
  gpu('DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 'counter', 'PCIe retries.'),
  gpu('DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization, %.'),
  gpu('DCGM_FI_DEV_MEM_COPY_UTIL', 'gauge', 'Memory utilization, %.'),
  gpu('DCGM_FI_DEV_ENC_UTIL', 'gauge', 'Encoder utilization, %.'),
  gpu('DCGM_FI_DEV_DEC_UTIL', 'gauge', 'Decoder utilization, %.'),
  gpu('DCGM_FI_DEV_XID_ERRORS', 'gauge', 'Last XID error.'),
  gpu('DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free, MiB.'),
  gpu('DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used, MiB.'),
  gpu('DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL', 'counter', 'NVLink bandwidth counters, all lanes.'),
  gpu('DCGM_FI_DEV_VGPU_LICENSE_STATUS', 'gauge', 'vGPU license status.'),
  gpu('DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 'counter', 'Rows remapped for uncorrectable errors.'),
  gpu('DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', 'counter', 'Rows remapped for correctable errors.'),
  gpu('DCGM_FI_DEV_ROW_REMAP_FAILURE', 'gauge', 'Whether row remapping failed.'),
];

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
