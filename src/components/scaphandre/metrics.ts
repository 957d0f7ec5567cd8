import type { CatalogMetric } from '../../core/metric-catalog';
import { JOB } from '../../core/labels';

/**
 * Scaphandre's part of the metric catalog (src/core/metric-catalog.ts says what the catalog is for),
 * as PeekStack runs it: Scaphandre 1.0.2 `prometheus --containers`.
 */

const SCAPH_DIFF_ONLY_WHEN = 'Scaphandre holds two energy readings (from its second refresh on)';

/**
 * Labels Scaphandre `--containers` puts on per-process metrics of a Docker container's processes
 * (src/sensors/utils.rs `get_process_container_description`): Docker labels become
 * `container_label_<key>` with `-`, `.`, `:` and spaces replaced by `_`, so
 * `peekstack.component` becomes `container_label_peekstack_component`.
 */
const SCAPH_PROCESS_LABELS = [
  'pid',
  'exe',
  'cmdline',
  'container_scheduler',
  'container_id',
  'container_names',
  'container_docker_version',
  'container_label_peekstack_component',
  'container_label_com_docker_compose_project',
  'container_label_com_docker_compose_service',
] as const;

// Names, types and labels from Scaphandre 1.0 src/exporters/mod.rs (MetricGenerator) and
// src/sensors/mod.rs (`get_all_per_process`), checked against the /metrics page of the real
// 1.0.2 binary (Debian trixie) on a simulated RAPL tree. Left out: the `scaph_host_disk_*`
// family, whose series depend on the disks found.
export const SCAPHANDRE_METRICS: readonly CatalogMetric[] = [
  { name: 'scaph_self_version', type: 'gauge', jobs: [JOB.scaphandre], help: 'Scaphandre version as a float.' },
  { name: 'scaph_self_cpu_usage_percent', type: 'gauge', jobs: [JOB.scaphandre], help: 'CPU used by Scaphandre itself, in percent.' },
  { name: 'scaph_self_memory_bytes', type: 'gauge', jobs: [JOB.scaphandre], help: 'Scaphandre resident set size, in bytes.' },
  { name: 'scaph_self_memory_virtual_bytes', type: 'gauge', jobs: [JOB.scaphandre], help: 'Scaphandre total program size, in bytes.' },
  { name: 'scaph_self_topo_stats_nb', type: 'gauge', jobs: [JOB.scaphandre], help: 'CPU stat traces stored for the host.' },
  { name: 'scaph_self_topo_records_nb', type: 'gauge', jobs: [JOB.scaphandre], help: 'Energy records stored for the host.' },
  { name: 'scaph_self_topo_procs_nb', type: 'gauge', jobs: [JOB.scaphandre], help: 'Processes monitored.' },
  { name: 'scaph_self_socket_stats_nb', type: 'gauge', jobs: [JOB.scaphandre], help: 'CPU stat traces stored per socket.', labels: ['socket_id'] },
  { name: 'scaph_self_socket_records_nb', type: 'gauge', jobs: [JOB.scaphandre], help: 'Energy records stored per socket.', labels: ['socket_id'] },
  { name: 'scaph_self_domain_records_nb', type: 'gauge', jobs: [JOB.scaphandre], help: 'Energy records stored per RAPL domain.', labels: ['socket_id', 'rapl_domain_name'] },
  { name: 'scaph_host_energy_microjoules', type: 'counter', jobs: [JOB.scaphandre], help: 'Energy of the whole host as read from the sensor, in microjoules.', labels: ['value_source'] },
  { name: 'scaph_host_power_microwatts', type: 'gauge', jobs: [JOB.scaphandre], help: 'Power of the whole host, in microwatts.', labels: ['value_source'], onlyWhen: SCAPH_DIFF_ONLY_WHEN },
  { name: 'scaph_host_load_avg_one', type: 'gauge', jobs: [JOB.scaphandre], help: '1-minute load average.' },
  { name: 'scaph_host_load_avg_five', type: 'gauge', jobs: [JOB.scaphandre], help: '5-minute load average.' },
  { name: 'scaph_host_load_avg_fifteen', type: 'gauge', jobs: [JOB.scaphandre], help: '15-minute load average.' },
  { name: 'scaph_host_cpu_frequency', type: 'gauge', jobs: [JOB.scaphandre], help: 'Global CPU frequency, in megahertz.' },
  { name: 'scaph_host_memory_total_bytes', type: 'gauge', jobs: [JOB.scaphandre], help: 'RAM installed, in bytes.' },
  { name: 'scaph_host_memory_available_bytes', type: 'gauge', jobs: [JOB.scaphandre], help: 'RAM available for re-use, in bytes.' },
  { name: 'scaph_host_memory_free_bytes', type: 'gauge', jobs: [JOB.scaphandre], help: 'RAM free, in bytes.' },
  { name: 'scaph_host_swap_total_bytes', type: 'gauge', jobs: [JOB.scaphandre], help: 'Swap space, in bytes.' },
  { name: 'scaph_host_swap_free_bytes', type: 'gauge', jobs: [JOB.scaphandre], help: 'Free swap space, in bytes.' },
  { name: 'scaph_socket_energy_microjoules', type: 'counter', jobs: [JOB.scaphandre], help: 'Energy of a CPU socket (RAPL package), in microjoules.', labels: ['socket_id'] },
  { name: 'scaph_socket_power_microwatts', type: 'gauge', jobs: [JOB.scaphandre], help: 'Power of a CPU socket (RAPL package), in microwatts.', labels: ['socket_id'], onlyWhen: SCAPH_DIFF_ONLY_WHEN },
  { name: 'scaph_domain_energy_microjoules', type: 'counter', jobs: [JOB.scaphandre], help: 'Energy of a RAPL domain of a socket, in microjoules.', labels: ['domain_name', 'domain_id', 'socket_id'], onlyWhen: 'the socket has RAPL sub-domains' },
  { name: 'scaph_domain_power_microwatts', type: 'gauge', jobs: [JOB.scaphandre], help: 'Power of a RAPL domain of a socket, in microwatts.', labels: ['domain_name', 'domain_id', 'socket_id'], onlyWhen: 'the socket has RAPL sub-domains, from the second reading on' },
  { name: 'scaph_forks_since_boot_total', type: 'counter', jobs: [JOB.scaphandre], help: 'Processes created since boot.' },
  { name: 'scaph_context_switches_total', type: 'counter', jobs: [JOB.scaphandre], help: 'Context switches since boot.' },
  { name: 'scaph_processes_running_current', type: 'gauge', jobs: [JOB.scaphandre], help: 'Processes running.' },
  { name: 'scaph_processes_blocked_current', type: 'gauge', jobs: [JOB.scaphandre], help: 'Processes blocked on I/O.' },
  // The other scaph_process_* metrics are dropped at scrape time (SCAPHANDRE_DROPPED_METRICS): no dashboard reads them.
  { name: 'scaph_process_power_consumption_microwatts', type: 'gauge', jobs: [JOB.scaphandre], help: 'Share of the host power attributed to the process (by its CPU time), in microwatts.', labels: SCAPH_PROCESS_LABELS, onlyWhen: SCAPH_DIFF_ONLY_WHEN },
  // Cumulative values that Scaphandre declares `gauge`: the catalog records the declared type.
];
