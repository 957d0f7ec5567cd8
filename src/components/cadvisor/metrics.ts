import type { CatalogMetric } from '../../core/metric-catalog';
import { JOB } from '../../core/labels';

/**
 * cAdvisor's part of the metric catalog (src/core/metric-catalog.ts says what the catalog is for), as
 * PeekStack runs it: `--docker_only=true --enable_metrics=cpu,memory,network
 * --store_container_labels=false --whitelisted_container_labels=com.docker.compose.project,
 * com.docker.compose.service,peekstack.component`. test/components/metric-catalog.test.ts checks these entries
 * against cAdvisor's own exposition.
 */

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

/** The cAdvisor metrics under those flags, each with the `--enable_metrics` group that turns it on. */
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
