/**
 * "PeekStack / System": the host as node_exporter sees it (job `node`): CPU, memory, disks,
 * network, load, uptime and CPU frequency.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { buildDashboard, HOST, statPanel, timeseriesPanel } from '../../dashboards/shared';

/** Stable uid: Grafana links and provisioning refer to the dashboard by it. */
export const SYSTEM_DASHBOARD_UID = 'peekstack-system';

// node_exporter already leaves out pseudo filesystems (proc, sysfs, overlay...); tmpfs is RAM,
// already shown in the memory panels.
const REAL_FS = 'fstype!~"tmpfs|ramfs"';
// The host's own interfaces: loopback and the veth / bridge devices of containers would count
// container traffic a second time.
const PHYSICAL_NET = 'device!~"lo|veth.*|docker.*|br-.*"';
const RATE = '[$__rate_interval]';

/** Builds the system dashboard. */
export function systemDashboard(): dashboard.Dashboard {
  return buildDashboard({
    uid: SYSTEM_DASHBOARD_UID,
    title: 'PeekStack / System',
    description: 'Host resources from node_exporter: CPU, memory, disks, network, load, uptime, CPU frequency.',
    tags: ['peekstack', 'node-exporter'],
    rows: [
      {
        title: 'Overview',
        panels: [
          statPanel({
            title: 'Uptime',
            description: 'Time since the host booted (node_time_seconds - node_boot_time_seconds).',
            unit: units.DurationSeconds,
            queries: [{ expr: `node_time_seconds{${HOST}} - node_boot_time_seconds{${HOST}}`, legend: '{{host}}' }],
          }),
          statPanel({
            title: 'CPU busy',
            description: 'Share of all CPU time not idle, averaged over the CPUs.',
            unit: units.PercentUnit,
            queries: [{ expr: `1 - avg by (host) (rate(node_cpu_seconds_total{${HOST}, mode="idle"}${RATE}))`, legend: '{{host}}' }],
          }),
          statPanel({
            title: 'Memory used (%)',
            description: 'Share of RAM not available to new work (1 - MemAvailable / MemTotal).',
            unit: units.PercentUnit,
            queries: [{ expr: `1 - node_memory_MemAvailable_bytes{${HOST}} / node_memory_MemTotal_bytes{${HOST}}`, legend: '{{host}}' }],
          }),
          statPanel({
            title: 'Load (1 min)',
            description: 'One-minute load average: runnable plus uninterruptible tasks.',
            unit: units.Short,
            queries: [{ expr: `node_load1{${HOST}}`, legend: '{{host}}' }],
          }),
        ],
      },
      {
        title: 'CPU',
        panels: [
          timeseriesPanel({
            title: 'CPU busy by mode',
            description: 'Share of the whole CPU capacity spent in each non-idle mode (stacked: the top is total busy).',
            unit: units.PercentUnit,
            stacked: true,
            min: 0,
            queries: [{ expr: `avg by (host, mode) (rate(node_cpu_seconds_total{${HOST}, mode!="idle"}${RATE}))`, legend: '{{host}} {{mode}}' }],
          }),
          timeseriesPanel({
            title: 'Load average',
            description: 'Load averages over 1, 5 and 15 minutes.',
            unit: units.Short,
            min: 0,
            queries: [
              { expr: `node_load1{${HOST}}`, legend: '{{host}} 1m' },
              { expr: `node_load5{${HOST}}`, legend: '{{host}} 5m' },
              { expr: `node_load15{${HOST}}`, legend: '{{host}} 15m' },
            ],
          }),
          timeseriesPanel({
            title: 'CPU frequency',
            description: 'Current cpufreq scaling frequency, average and highest over the CPUs (node_exporter reports hertz).',
            unit: units.Hertz,
            queries: [
              { expr: `avg by (host) (node_cpu_scaling_frequency_hertz{${HOST}})`, legend: '{{host}} average' },
              { expr: `max by (host) (node_cpu_scaling_frequency_hertz{${HOST}})`, legend: '{{host}} highest' },
            ],
          }),
        ],
      },
      {
        title: 'Memory',
        panels: [
          timeseriesPanel({
            title: 'Memory',
            description: 'Used = MemTotal - MemAvailable; cache and buffers can be reclaimed; total for scale.',
            unit: units.BytesIEC,
            min: 0,
            queries: [
              { expr: `node_memory_MemTotal_bytes{${HOST}} - node_memory_MemAvailable_bytes{${HOST}}`, legend: '{{host}} used' },
              { expr: `node_memory_Cached_bytes{${HOST}} + node_memory_Buffers_bytes{${HOST}}`, legend: '{{host}} cache + buffers' },
              { expr: `node_memory_MemTotal_bytes{${HOST}}`, legend: '{{host}} total' },
            ],
          }),
          timeseriesPanel({
            title: 'Swap used',
            description: 'Swap in use (SwapTotal - SwapFree).',
            unit: units.BytesIEC,
            min: 0,
            queries: [{ expr: `node_memory_SwapTotal_bytes{${HOST}} - node_memory_SwapFree_bytes{${HOST}}`, legend: '{{host}}' }],
          }),
        ],
      },
      {
        title: 'Disks',
        panels: [
          timeseriesPanel({
            title: 'Disk space used (%)',
            description: 'Share of each filesystem not available to ordinary users (1 - avail / size).',
            unit: units.PercentUnit,
            min: 0,
            queries: [
              {
                expr: `1 - node_filesystem_avail_bytes{${HOST}, ${REAL_FS}} / node_filesystem_size_bytes{${HOST}, ${REAL_FS}}`,
                legend: '{{host}} {{mountpoint}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Disk space available',
            description: 'Bytes available to ordinary users on each filesystem.',
            unit: units.BytesIEC,
            min: 0,
            queries: [{ expr: `node_filesystem_avail_bytes{${HOST}, ${REAL_FS}}`, legend: '{{host}} {{mountpoint}}' }],
          }),
          timeseriesPanel({
            title: 'Disk I/O',
            description: 'Bytes read and written per second, per disk.',
            unit: units.BytesPerSecondSI,
            min: 0,
            queries: [
              { expr: `rate(node_disk_read_bytes_total{${HOST}}${RATE})`, legend: '{{host}} {{device}} read' },
              { expr: `rate(node_disk_written_bytes_total{${HOST}}${RATE})`, legend: '{{host}} {{device}} write' },
            ],
          }),
          timeseriesPanel({
            title: 'Disk busy time',
            description: 'Share of time each disk was doing I/O.',
            unit: units.PercentUnit,
            min: 0,
            queries: [{ expr: `rate(node_disk_io_time_seconds_total{${HOST}}${RATE})`, legend: '{{host}} {{device}}' }],
          }),
        ],
      },
      {
        title: 'Network',
        panels: [
          timeseriesPanel({
            title: 'Network received',
            description: 'Bytes received per second per host interface (loopback, veth and bridges left out).',
            unit: units.BytesPerSecondSI,
            min: 0,
            queries: [{ expr: `rate(node_network_receive_bytes_total{${HOST}, ${PHYSICAL_NET}}${RATE})`, legend: '{{host}} {{device}}' }],
          }),
          timeseriesPanel({
            title: 'Network transmitted',
            description: 'Bytes sent per second per host interface (loopback, veth and bridges left out).',
            unit: units.BytesPerSecondSI,
            min: 0,
            queries: [{ expr: `rate(node_network_transmit_bytes_total{${HOST}, ${PHYSICAL_NET}}${RATE})`, legend: '{{host}} {{device}}' }],
          }),
        ],
      },
    ],
  });
}
