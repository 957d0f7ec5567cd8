import type { CatalogMetric } from '../../core/metric-catalog';

/** The DCGM exporter's part of the metric catalog (src/core/metric-catalog.ts says what the catalog is for). */

/** Scrape job of the exporter. */
export const DCGM_JOB = 'dcgm';

/** Labels dcgm-exporter puts on every GPU series. */
const GPU_LABELS = ['gpu', 'UUID', 'pci_bus_id', 'device', 'modelName', 'Hostname'] as const;

const gpu = (name: string, type: CatalogMetric['type'], help: string): CatalogMetric => ({ name, type, jobs: [DCGM_JOB], help, labels: GPU_LABELS, onlyWhen: 'the host has an NVIDIA GPU and driver' });

/**
 * What the exporter produces with its default counters (`etc/default-counters.csv` of the image):
 * names and types as the exporter declares them. Checked against a fixture exposition of those
 * counters in test/components/dcgm/dcgm.test.ts.
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
