/**
 * The metrics a PeekStack collector really produces, per scrape job.
 *
 * Why it exists: a dashboard query that names a metric nobody exports draws an empty panel and
 * no error, and a query that feeds a gauge to `rate()` draws plausible nonsense. Both failures
 * are silent in Grafana, so they are caught in tests instead:
 * - `test/dashboards.test.ts` checks every metric in every dashboard expression against this
 *   catalog and uses its `type` to forbid `rate()`/`increase()` on gauges and bare counters;
 * - `test/metric-catalog.test.ts` checks the cAdvisor entries against cAdvisor's own exposition
 *   (`shared/fixtures/cadvisor-metrics.prom`); real-binary tests can check the node_exporter,
 *   Scaphandre and Prometheus entries against live `/metrics` pages.
 *
 * It describes the exporters as PeekStack runs them (not everything they can do):
 * - cAdvisor with `--docker_only=true --enable_metrics=cpu,memory,network
 *   --store_container_labels=false --whitelisted_container_labels=com.docker.compose.project,
 *   com.docker.compose.service,peekstack.component`;
 * - node_exporter with `--path.rootfs=/host` and its default collectors, `rapl` and `cpufreq`
 *   among them (both on by default; see NodeExporter.command);
 * - Scaphandre 1.0.2 `prometheus --containers`;
 * - Prometheus scraping itself (job `prometheus`).
 * Every series also carries `job`, `instance` and the `host` label set by relabeling; those are
 * not repeated in `labels` below.
 *
 * The list is not exhaustive (node_exporter alone exports hundreds of series): it holds at
 * least every metric a dashboard uses, plus their close relatives.
 */

import { BuiltinJobName, JOB } from './labels';
import { PLATFORM_POWER_METRICS } from '../components/platform-power/metrics';

/**
 * Prometheus metric type. `info` is a gauge whose value is always 1 and whose labels carry
 * the information (`*_info`); the text exposition declares it `gauge`.
 */
export type MetricType = 'counter' | 'gauge' | 'info';

/** Scrape job names of PeekStack's built-in components (see {@link JOB}). */
export type ScrapeJobName = BuiltinJobName;

/** Every built-in scrape job, in a stable order. */
export const SCRAPE_JOBS: readonly ScrapeJobName[] = [JOB.node, JOB.cadvisor, JOB.scaphandre, JOB.prometheus];

/**
 * The cAdvisor `--enable_metrics` group that turns a metric on; `always` for the metrics cAdvisor
 * exports whatever the flag says.
 */
export type CadvisorMetricGroup = 'always' | 'cpu' | 'memory' | 'network' | 'oom_event';

/** One metric of the catalog. */
export interface CatalogMetric {
  readonly name: string;
  readonly type: MetricType;
  /** Jobs whose targets expose the metric (several for the Go client's `process_*` metrics); a user component's own job name for its metrics. */
  readonly jobs: readonly string[];
  readonly help: string;
  /** Labels of the metric beyond `job`, `instance` and `host`, when dashboards rely on them. */
  readonly labels?: readonly string[];
  /** For cAdvisor metrics: the `--enable_metrics` group that produces it. */
  readonly cadvisorGroup?: CadvisorMetricGroup;
  /**
   * Set when the metric exists only on some machines or setups (a RAPL domain the CPU lacks,
   * a measure that needs two samples...): says when it is there. Absent: always exported.
   */
  readonly onlyWhen?: string;
  /** True for series Prometheus itself writes for every scrape (`up`, `scrape_*`). */
  readonly synthetic?: boolean;
}

/** The `# TYPE` a text exposition declares for a catalog metric (`info` is written as `gauge`). */
export function expositionType(metric: CatalogMetric): 'counter' | 'gauge' {
  return metric.type === 'info' ? 'gauge' : metric.type;
}

const ALL_JOBS = SCRAPE_JOBS;
/** Targets instrumented with the Prometheus Go client, which adds the `process_*` metrics. */
const GO_CLIENT_JOBS: readonly ScrapeJobName[] = [JOB.node, JOB.cadvisor, JOB.prometheus];

const RAPL_ONLY_WHEN = 'the host has this RAPL domain under /sys/class/powercap';
const REMOTE_WRITE_ONLY_WHEN = 'a remote_write endpoint is configured';
const SCAPH_DIFF_ONLY_WHEN = 'Scaphandre holds two energy readings (from its second refresh on)';

/** Series Prometheus writes itself for every target of every built-in job (a user component's job gets them too). */
export const SCRAPE_METRICS: readonly CatalogMetric[] = [
  { name: 'up', type: 'gauge', jobs: ALL_JOBS, synthetic: true, help: '1 if the last scrape of the target succeeded, 0 otherwise.' },
  { name: 'scrape_duration_seconds', type: 'gauge', jobs: ALL_JOBS, synthetic: true, help: 'Duration of the last scrape.' },
  { name: 'scrape_samples_scraped', type: 'gauge', jobs: ALL_JOBS, synthetic: true, help: 'Samples the target exposed in the last scrape.' },
  { name: 'scrape_samples_post_metric_relabeling', type: 'gauge', jobs: ALL_JOBS, synthetic: true, help: 'Samples kept after metric relabeling in the last scrape.' },
];

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

/** Base labels of every cAdvisor container series under the PeekStack flags. */
const CADVISOR_LABELS = [
  'id',
  'name',
  'image',
  'container_label_com_docker_compose_project',
  'container_label_com_docker_compose_service',
  'container_label_peekstack_component',
] as const;
const CADVISOR_NET_LABELS = [...CADVISOR_LABELS, 'interface'];

export const CADVISOR_METRICS: readonly CatalogMetric[] = [
  { name: 'cadvisor_version_info', type: 'info', jobs: [JOB.cadvisor], cadvisorGroup: 'always', help: 'cAdvisor, kernel, OS and Docker versions.', labels: ['cadvisorVersion', 'cadvisorRevision', 'dockerVersion', 'kernelVersion', 'osVersion'] },
  { name: 'container_scrape_error', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'always', help: '1 if cAdvisor failed to get container metrics during the scrape.' },
  { name: 'container_last_seen', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'always', help: 'Last time cAdvisor saw the container, seconds since the epoch.', labels: CADVISOR_LABELS },
  { name: 'container_start_time_seconds', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'always', help: 'Container start time, seconds since the epoch.', labels: CADVISOR_LABELS },
  { name: 'container_spec_cpu_shares', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'always', help: 'CPU shares of the container.', labels: CADVISOR_LABELS },
  { name: 'container_cpu_usage_seconds_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'cpu', help: 'CPU time consumed, in seconds (per CPU, or cpu="total").', labels: [...CADVISOR_LABELS, 'cpu'] },
  { name: 'container_cpu_user_seconds_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'cpu', help: 'User CPU time consumed, in seconds.', labels: CADVISOR_LABELS },
  { name: 'container_cpu_system_seconds_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'cpu', help: 'System CPU time consumed, in seconds.', labels: CADVISOR_LABELS },
  { name: 'container_cpu_cfs_periods_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'cpu', help: 'Elapsed CFS enforcement periods.', labels: CADVISOR_LABELS, onlyWhen: 'the container has a CPU quota' },
  { name: 'container_cpu_cfs_throttled_periods_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'cpu', help: 'Throttled CFS periods.', labels: CADVISOR_LABELS, onlyWhen: 'the container has a CPU quota' },
  { name: 'container_cpu_cfs_throttled_seconds_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'cpu', help: 'Time the container was throttled, in seconds.', labels: CADVISOR_LABELS, onlyWhen: 'the container has a CPU quota' },
  { name: 'container_memory_usage_bytes', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Memory usage, page cache included.', labels: CADVISOR_LABELS },
  { name: 'container_memory_working_set_bytes', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Working set: usage minus inactive file cache (what the OOM killer looks at).', labels: CADVISOR_LABELS },
  { name: 'container_memory_rss', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Anonymous memory (RSS).', labels: CADVISOR_LABELS },
  { name: 'container_memory_cache', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Page cache memory.', labels: CADVISOR_LABELS },
  { name: 'container_memory_swap', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Swap usage.', labels: CADVISOR_LABELS },
  { name: 'container_memory_mapped_file', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Memory-mapped files.', labels: CADVISOR_LABELS },
  { name: 'container_memory_kernel_usage', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Kernel memory.', labels: CADVISOR_LABELS },
  { name: 'container_memory_max_usage_bytes', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Maximum memory usage recorded.', labels: CADVISOR_LABELS },
  { name: 'container_memory_total_active_file_bytes', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Active file cache.', labels: CADVISOR_LABELS },
  { name: 'container_memory_total_inactive_file_bytes', type: 'gauge', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Inactive file cache.', labels: CADVISOR_LABELS },
  { name: 'container_memory_failcnt', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Times memory usage hit the limit.', labels: CADVISOR_LABELS },
  { name: 'container_memory_failures_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'memory', help: 'Page faults.', labels: [...CADVISOR_LABELS, 'failure_type', 'scope'] },
  { name: 'container_oom_events_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'oom_event', help: 'Out-of-memory events of the container (OOM kills).', labels: CADVISOR_LABELS },
  { name: 'container_network_receive_bytes_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'network', help: 'Bytes received.', labels: CADVISOR_NET_LABELS },
  { name: 'container_network_transmit_bytes_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'network', help: 'Bytes sent.', labels: CADVISOR_NET_LABELS },
  { name: 'container_network_receive_packets_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'network', help: 'Packets received.', labels: CADVISOR_NET_LABELS },
  { name: 'container_network_transmit_packets_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'network', help: 'Packets sent.', labels: CADVISOR_NET_LABELS },
  { name: 'container_network_receive_packets_dropped_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'network', help: 'Received packets dropped.', labels: CADVISOR_NET_LABELS },
  { name: 'container_network_transmit_packets_dropped_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'network', help: 'Sent packets dropped.', labels: CADVISOR_NET_LABELS },
  { name: 'container_network_receive_errors_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'network', help: 'Errors while receiving.', labels: CADVISOR_NET_LABELS },
  { name: 'container_network_transmit_errors_total', type: 'counter', jobs: [JOB.cadvisor], cadvisorGroup: 'network', help: 'Errors while sending.', labels: CADVISOR_NET_LABELS },
];

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

export const PROMETHEUS_METRICS: readonly CatalogMetric[] = [
  { name: 'prometheus_build_info', type: 'info', jobs: [JOB.prometheus], help: 'Prometheus version and build.', labels: ['version', 'revision', 'goversion'] },
  { name: 'prometheus_tsdb_head_series', type: 'gauge', jobs: [JOB.prometheus], help: 'Series in the head block.' },
  { name: 'prometheus_tsdb_storage_blocks_bytes', type: 'gauge', jobs: [JOB.prometheus], help: 'Bytes of the persisted blocks.' },
  { name: 'prometheus_rule_evaluation_failures_total', type: 'counter', jobs: [JOB.prometheus], help: 'Failed rule evaluations, per rule group.', labels: ['rule_group'] },
  { name: 'prometheus_notifications_sent_total', type: 'counter', jobs: [JOB.prometheus], help: 'Alerts sent (failed ones included), per Alertmanager.', labels: ['alertmanager'], onlyWhen: 'an Alertmanager is configured' },
  { name: 'prometheus_notifications_errors_total', type: 'counter', jobs: [JOB.prometheus], help: 'Alerts whose sending failed, per Alertmanager.', labels: ['alertmanager'], onlyWhen: 'an Alertmanager is configured' },
  { name: 'prometheus_notifications_dropped_total', type: 'counter', jobs: [JOB.prometheus], help: 'Alerts dropped (queue full or send errors).' },
  { name: 'prometheus_remote_storage_samples_failed_total', type: 'counter', jobs: [JOB.prometheus], help: 'Samples that failed to be sent (non-recoverable errors), per endpoint.', labels: ['remote_name', 'url'], onlyWhen: REMOTE_WRITE_ONLY_WHEN },
  { name: 'prometheus_remote_storage_highest_timestamp_in_seconds', type: 'gauge', jobs: [JOB.prometheus], help: 'Newest timestamp appended to the WAL, seconds since the epoch.', onlyWhen: REMOTE_WRITE_ONLY_WHEN },
  { name: 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds', type: 'gauge', jobs: [JOB.prometheus], help: 'Newest timestamp sent by an endpoint\'s queue, seconds since the epoch.', labels: ['remote_name', 'url'], onlyWhen: REMOTE_WRITE_ONLY_WHEN },
  { name: 'prometheus_config_last_reload_successful', type: 'gauge', jobs: [JOB.prometheus], help: '1 if the last configuration reload succeeded.' },
  { name: 'process_cpu_seconds_total', type: 'counter', jobs: GO_CLIENT_JOBS, help: 'CPU time of the exporter process, in seconds.' },
  { name: 'process_resident_memory_bytes', type: 'gauge', jobs: GO_CLIENT_JOBS, help: 'Resident memory of the exporter process, in bytes.' },
  { name: 'process_start_time_seconds', type: 'gauge', jobs: GO_CLIENT_JOBS, help: 'Start time of the exporter process, seconds since the epoch.' },
];

/** The whole catalog. Metric names are unique. */
export const METRIC_CATALOG: readonly CatalogMetric[] = [
  ...SCRAPE_METRICS,
  ...NODE_METRICS,
  ...CADVISOR_METRICS,
  ...SCAPHANDRE_METRICS,
  ...PROMETHEUS_METRICS,
  ...PLATFORM_POWER_METRICS,
];

const BY_NAME: ReadonlyMap<string, CatalogMetric> = new Map(METRIC_CATALOG.map((m) => [m.name, m]));

/** The catalog entry for a metric name, or `undefined` when no PeekStack exporter produces it. */
export function lookupMetric(name: string): CatalogMetric | undefined {
  return BY_NAME.get(name);
}

/** The metrics the targets of one built-in scrape job produce (synthetic `up`/`scrape_*` included). */
export function metricsOfJob(job: ScrapeJobName): CatalogMetric[] {
  return METRIC_CATALOG.filter((m) => m.jobs.includes(job));
}
