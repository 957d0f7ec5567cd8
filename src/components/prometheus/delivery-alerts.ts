import { JOB } from '../../core/labels';
import { RuleGroup } from '../../core/rule-group';
import { alertRule } from '../alert';

/**
 * Alerts about data and alerts leaving a collector: notifications to Alertmanager and remote_write to
 * the fleet store. They read Prometheus's own metrics (job `prometheus`), so the Prometheus component
 * loads them; series exist only once an Alertmanager or a remote_write endpoint is configured, so
 * they stay quiet on a collector without.
 */
export const DELIVERY_ALERTS: readonly RuleGroup[] = [
  {
    name: 'peekstack-delivery-alerts',
    rules: [
      alertRule({
        alert: 'PeekStackAlertNotificationsFailing',
        expr: `100 * rate(prometheus_notifications_errors_total{job="${JOB.prometheus}"}[5m]) / rate(prometheus_notifications_sent_total{job="${JOB.prometheus}"}[5m]) > 1`,
        for: '15m',
        severity: 'critical',
        summary: 'Prometheus on host {{ $labels.host }} fails to send {{ $value | humanize }} % of its alerts',
        description: 'Prometheus on host {{ $labels.host }} failed to send {{ $value | humanize }} % of its alerts to Alertmanager {{ $labels.alertmanager }} over 5 min: alerts may not reach anyone.',
        runbook: 'Read Prometheus\'s log for "Error sending alert"; check the Alertmanager is up, its certificate and the password file.',
      }),
      alertRule({
        alert: 'PeekStackAlertNotificationsDropped',
        expr: `increase(prometheus_notifications_dropped_total{job="${JOB.prometheus}"}[10m]) > 0`,
        severity: 'warning',
        summary: 'Prometheus on host {{ $labels.host }} dropped {{ $value | humanize }} alerts',
        description: 'Prometheus on host {{ $labels.host }} dropped {{ $value | humanize }} alerts in 10 min (queue full or Alertmanager errors).',
        runbook: 'Read Prometheus\'s log for "Alert notification queue full" or send errors; check the Alertmanager.',
      }),
      alertRule({
        alert: 'PeekStackRemoteWriteFailing',
        expr: `rate(prometheus_remote_storage_samples_failed_total{job="${JOB.prometheus}"}[5m]) > 0`,
        for: '15m',
        severity: 'warning',
        summary: 'Prometheus on host {{ $labels.host }} fails to remote-write to {{ $labels.remote_name }}',
        description: 'Prometheus on host {{ $labels.host }} loses {{ $value | humanize }} samples/s sending to {{ $labels.remote_name }} ({{ $labels.url }}): the fleet store misses this host\'s data.',
        runbook: 'Read Prometheus\'s log for "non-recoverable error"; check the store\'s credentials and that it accepts the samples.',
      }),
      alertRule({
        alert: 'PeekStackRemoteWriteBehind',
        expr: `max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{job="${JOB.prometheus}"}[5m]) - ignoring (remote_name, url) group_right max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{job="${JOB.prometheus}"}[5m]) > 120`,
        for: '15m',
        severity: 'warning',
        summary: 'Remote write from host {{ $labels.host }} to {{ $labels.remote_name }} is {{ $value | humanizeDuration }} behind',
        description: 'Samples of host {{ $labels.host }} reach {{ $labels.remote_name }} {{ $value | humanizeDuration }} late: the store is slow or unreachable and the queue grows.',
        runbook: 'Check the store is reachable and fast enough; raise queue maxShards if the network is fine.',
      }),
    ],
  },
];
