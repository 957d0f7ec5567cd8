import { toDashboardDefinition } from '../../dashboards/definition';
import { systemDashboard } from './dashboard';
import { promNumber } from '../../core/alert-thresholds';
import { JOB } from '../../core/labels';
import { NODE_METRICS } from './metrics';
import { alertRule } from '../alert';
import { ComponentDefinition } from '../definition';

/** Filesystems that are memory, not disk: never "full" in a way a disk alert should report. */
const DISK = `job="${JOB.node}", fstype!~"tmpfs|ramfs"`;

/** node_exporter: the host's CPU, memory, disks, network and RAPL counters; the system dashboard; system alerts. */
export const NODE_EXPORTER_COMPONENT: ComponentDefinition = {
  name: 'node-exporter',
  jobName: JOB.node,
  ruleGroups: [
    {
      name: 'peekstack-node-power',
      rules: [{ record: 'host:node_rapl_package_power:watts_rate1m', expr: `sum by (host) (rate(node_rapl_package_joules_total{job="${JOB.node}"}[1m]))` }],
    },
  ],
  alerts: (t) => [
    {
      name: 'peekstack-node-alerts',
      rules: [
        alertRule({
          alert: 'PeekStackDiskFillingUp',
          expr: `(node_filesystem_avail_bytes{${DISK}} / node_filesystem_size_bytes{${DISK}} < 0.4) and predict_linear(node_filesystem_avail_bytes{${DISK}}[6h], 24 * 3600) < 0`,
          for: '1h',
          severity: 'warning',
          summary: 'Filesystem {{ $labels.mountpoint }} on host {{ $labels.host }} will fill within 24 h',
          description: 'At the rate of the last 6 h, {{ $labels.mountpoint }} ({{ $labels.device }}) on host {{ $labels.host }} runs out of space within 24 h; {{ $value | humanizePercentage }} is free now.',
          runbook: 'Find what grows (du -xh --max-depth=2 on the mount) and rotate, move or delete it before it is full.',
        }),
        alertRule({
          alert: 'PeekStackDiskNearlyFull',
          expr: `100 * (1 - node_filesystem_avail_bytes{${DISK}} / node_filesystem_size_bytes{${DISK}}) > ${promNumber(t.diskFullPercent)}`,
          for: '15m',
          severity: 'critical',
          summary: 'Filesystem {{ $labels.mountpoint }} on host {{ $labels.host }} is {{ $value | humanize }} % full',
          description: `{{ $labels.mountpoint }} ({{ $labels.device }}) on host {{ $labels.host }} is {{ $value | humanize }} % full (threshold ${promNumber(t.diskFullPercent)} %).`,
          runbook: 'Free space on the mount now (logs, old images: docker system prune), then find out why it filled.',
        }),
        alertRule({
          alert: 'PeekStackMemoryPressure',
          expr: `100 * node_memory_MemAvailable_bytes{job="${JOB.node}"} / node_memory_MemTotal_bytes{job="${JOB.node}"} < ${promNumber(t.memoryAvailablePercent)}`,
          for: '15m',
          severity: 'warning',
          summary: 'Host {{ $labels.host }} has {{ $value | humanize }} % of its memory available',
          description: `Only {{ $value | humanize }} % of memory is available on host {{ $labels.host }} (threshold ${promNumber(t.memoryAvailablePercent)} %): the kernel is reclaiming cache and the OOM killer is near.`,
          runbook: 'See the memory panel of the containers dashboard for the biggest consumer; limit or move it.',
        }),
        alertRule({
          alert: 'PeekStackCpuSaturated',
          expr: `100 * (1 - avg by (host) (rate(node_cpu_seconds_total{job="${JOB.node}", mode="idle"}[5m]))) > ${promNumber(t.cpuBusyPercent)}`,
          for: '30m',
          severity: 'warning',
          summary: 'Host {{ $labels.host }} CPU is {{ $value | humanize }} % busy',
          description: `The CPUs of host {{ $labels.host }} have been {{ $value | humanize }} % busy on average for 30 min (threshold ${promNumber(t.cpuBusyPercent)} %).`,
          runbook: 'See the CPU panels of the system and containers dashboards for the busiest process or container.',
        }),
        alertRule({
          alert: 'PeekStackClockSkew',
          expr: `abs(node_timex_offset_seconds{job="${JOB.node}"}) > 0.05`,
          for: '10m',
          severity: 'warning',
          summary: 'Clock of host {{ $labels.host }} is {{ $value | humanizeDuration }} off',
          description: 'The kernel clock of host {{ $labels.host }} is {{ $value | humanizeDuration }} away from its time source: rates, TLS and alert times go wrong.',
          runbook: 'Check the time daemon on the host (timedatectl, chronyc tracking) and its reachability of NTP servers.',
        }),
        alertRule({
          alert: 'PeekStackHostRebooted',
          expr: `node_time_seconds{job="${JOB.node}"} - node_boot_time_seconds{job="${JOB.node}"} < 600`,
          severity: 'warning',
          summary: 'Host {{ $labels.host }} rebooted {{ $value | humanizeDuration }} ago',
          description: 'Host {{ $labels.host }} has been up for only {{ $value | humanizeDuration }}: it rebooted (silence this alert for planned maintenance).',
          runbook: 'If nobody planned it, read the previous boot\'s log (journalctl -b -1 -e) for a panic, OOM or power loss.',
        }),
        alertRule({
          alert: 'PeekStackRaplCountersStuck',
          expr: `changes(node_rapl_package_joules_total{job="${JOB.node}"}[10m]) == 0`,
          for: '5m',
          severity: 'warning',
          summary: 'RAPL package energy counter of host {{ $labels.host }} stopped moving',
          description: 'node_rapl_package_joules_total (zone {{ $labels.path }}) on host {{ $labels.host }} made {{ $value }} steps in 10 min, for 5 min: power readings of this host are frozen.',
          runbook: 'Read /sys/class/powercap/intel-rapl:*/energy_uj twice on the host; if it does not move, the powercap driver or a privilege change broke RAPL.',
        }),
      ],
    },
  ],
  dashboards: () => [toDashboardDefinition(systemDashboard())],
  metrics: NODE_METRICS,
};
