import type { CatalogMetric } from '../../core/metric-catalog';
import { JOB } from '../../core/labels';

/**
 * node_exporter's part of the metric catalog (src/core/metric-catalog.ts says what the catalog is for),
 * as PeekStack runs it: `--path.rootfs=/host` and its default collectors, `rapl` and `cpufreq` among
 * them (both on by default; see NodeExporter.command).
 */

const RAPL_ONLY_WHEN = 'the host has this RAPL domain under /sys/class/powercap';

/** The node_exporter metrics the dashboards and rules read, and their close relatives. */
export const NODE_METRICS: readonly CatalogMetric[] = [
  { name: 'node_exporter_build_info', type: 'info', jobs: [JOB.node], help: 'node_exporter version and build.', labels: ['version', 'revision', 'goversion'] },
  { name: 'node_uname_info', type: 'info', jobs: [JOB.node], help: 'uname of the host.', labels: ['nodename', 'release', 'machine', 'sysname', 'version', 'domainname'] },
  { name: 'node_cpu_seconds_total', type: 'counter', jobs: [JOB.node], help: 'Seconds each CPU spent in each mode.', labels: ['cpu', 'mode'] },
  { name: 'node_load1', type: 'gauge', jobs: [JOB.node], help: '1-minute load average.' },
  { name: 'node_load5', type: 'gauge', jobs: [JOB.node], help: '5-minute load average.' },
  { name: 'node_load15', type: 'gauge', jobs: [JOB.node], help: '15-minute load average.' },
  { name: 'node_boot_time_seconds', type: 'gauge', jobs: [JOB.node], help: 'Boot time, seconds since the epoch.' },
  { name: 'node_time_seconds', type: 'gauge', jobs: [JOB.node], help: 'System time, seconds since the epoch.' },
  { name: 'node_memory_MemTotal_bytes', type: 'gauge', jobs: [JOB.node], help: 'Total usable RAM (/proc/meminfo MemTotal).' },
  { name: 'node_memory_MemAvailable_bytes', type: 'gauge', jobs: [JOB.node], help: 'RAM available for new work without swapping (MemAvailable).' },
  { name: 'node_memory_MemFree_bytes', type: 'gauge', jobs: [JOB.node], help: 'Unused RAM (MemFree).' },
  { name: 'node_memory_Buffers_bytes', type: 'gauge', jobs: [JOB.node], help: 'Block device buffers (Buffers).' },
  { name: 'node_memory_Cached_bytes', type: 'gauge', jobs: [JOB.node], help: 'Page cache (Cached).' },
  { name: 'node_memory_SwapTotal_bytes', type: 'gauge', jobs: [JOB.node], help: 'Total swap (SwapTotal).' },
  { name: 'node_memory_SwapFree_bytes', type: 'gauge', jobs: [JOB.node], help: 'Unused swap (SwapFree).' },
  { name: 'node_filesystem_size_bytes', type: 'gauge', jobs: [JOB.node], help: 'Filesystem size.', labels: ['device', 'fstype', 'mountpoint'] },
  { name: 'node_filesystem_avail_bytes', type: 'gauge', jobs: [JOB.node], help: 'Filesystem space available to non-root users.', labels: ['device', 'fstype', 'mountpoint'] },
  { name: 'node_filesystem_free_bytes', type: 'gauge', jobs: [JOB.node], help: 'Filesystem free space, root reserve included.', labels: ['device', 'fstype', 'mountpoint'] },
  { name: 'node_disk_read_bytes_total', type: 'counter', jobs: [JOB.node], help: 'Bytes read from the disk.', labels: ['device'] },
  { name: 'node_disk_written_bytes_total', type: 'counter', jobs: [JOB.node], help: 'Bytes written to the disk.', labels: ['device'] },
  { name: 'node_disk_reads_completed_total', type: 'counter', jobs: [JOB.node], help: 'Reads completed.', labels: ['device'] },
  { name: 'node_disk_writes_completed_total', type: 'counter', jobs: [JOB.node], help: 'Writes completed.', labels: ['device'] },
  { name: 'node_disk_io_time_seconds_total', type: 'counter', jobs: [JOB.node], help: 'Seconds the disk spent doing I/O.', labels: ['device'] },
  { name: 'node_network_receive_bytes_total', type: 'counter', jobs: [JOB.node], help: 'Bytes received by the interface.', labels: ['device'] },
  { name: 'node_network_transmit_bytes_total', type: 'counter', jobs: [JOB.node], help: 'Bytes sent by the interface.', labels: ['device'] },
  { name: 'node_network_receive_packets_total', type: 'counter', jobs: [JOB.node], help: 'Packets received by the interface.', labels: ['device'] },
  { name: 'node_network_transmit_packets_total', type: 'counter', jobs: [JOB.node], help: 'Packets sent by the interface.', labels: ['device'] },
  { name: 'node_timex_offset_seconds', type: 'gauge', jobs: [JOB.node], help: 'Time offset between the local clock and its reference (adjtimex), in seconds.' },
  { name: 'node_timex_sync_status', type: 'gauge', jobs: [JOB.node], help: '1 if the kernel clock is synchronised to a time source.' },
  { name: 'node_cpu_scaling_frequency_hertz', type: 'gauge', jobs: [JOB.node], help: 'Current scaled CPU frequency (cpufreq scaling_cur_freq), in hertz.', labels: ['cpu'], onlyWhen: 'the kernel exposes cpufreq for the CPU' },
  { name: 'node_cpu_scaling_frequency_min_hertz', type: 'gauge', jobs: [JOB.node], help: 'Minimum scaled CPU frequency, in hertz.', labels: ['cpu'], onlyWhen: 'the kernel exposes cpufreq for the CPU' },
  { name: 'node_cpu_scaling_frequency_max_hertz', type: 'gauge', jobs: [JOB.node], help: 'Maximum scaled CPU frequency, in hertz.', labels: ['cpu'], onlyWhen: 'the kernel exposes cpufreq for the CPU' },
  { name: 'node_cpu_frequency_hertz', type: 'gauge', jobs: [JOB.node], help: 'Current CPU frequency reported by the hardware (cpuinfo_cur_freq), in hertz.', labels: ['cpu'], onlyWhen: 'the cpufreq driver exposes cpuinfo_cur_freq (root only)' },
  // RAPL: one counter per zone name; `core`, `uncore` (and `dram` on some CPUs) are sub-zones
  // of `package`, so summing them with `package` counts energy twice.
  { name: 'node_rapl_package_joules_total', type: 'counter', jobs: [JOB.node], help: 'Energy of the CPU package (socket) RAPL zone, in joules.', labels: ['index', 'path'], onlyWhen: RAPL_ONLY_WHEN },
  { name: 'node_rapl_core_joules_total', type: 'counter', jobs: [JOB.node], help: 'Energy of the cores RAPL sub-zone (inside package), in joules.', labels: ['index', 'path'], onlyWhen: RAPL_ONLY_WHEN },
  { name: 'node_rapl_uncore_joules_total', type: 'counter', jobs: [JOB.node], help: 'Energy of the uncore (integrated GPU...) RAPL sub-zone (inside package), in joules.', labels: ['index', 'path'], onlyWhen: RAPL_ONLY_WHEN },
  { name: 'node_rapl_dram_joules_total', type: 'counter', jobs: [JOB.node], help: 'Energy of the DRAM RAPL zone, in joules.', labels: ['index', 'path'], onlyWhen: RAPL_ONLY_WHEN },
  { name: 'node_rapl_psys_joules_total', type: 'counter', jobs: [JOB.node], help: 'Energy of the platform (psys) RAPL zone, which includes package and DRAM, in joules.', labels: ['index', 'path'], onlyWhen: RAPL_ONLY_WHEN },
];
