import { promNumber } from '../../core/alert-thresholds';
import { alertRule } from '../alert';
import { ComponentDefinition } from '../definition';
import { BLACKBOX_METRICS } from './metrics';

/** Job name prefix of blackbox probes: one job per probe (`blackbox-<probe>`), each with its own module. */
export const BLACKBOX_JOB_PREFIX = 'blackbox-';
/** Probe name of the Alertmanager probes. */
export const ALERTMANAGER_PROBE = 'alertmanager';
/** Probe name of the probes of other hosts' published Prometheus port. */
export const HOST_PROBE = 'host';
/** Label of a host probe naming the host probed (the alert's `host`). */
export const PROBED_HOST_LABEL = 'probed_host';

const probe = (name: string) => `probe="${name}"`;

/**
 * blackbox_exporter: HTTPS probes of PeekStack's own endpoints (certificate verified, expiry reported,
 * 401 without credentials expected), the Alertmanager, and other hosts (TCP): certificate expiry,
 * Alertmanager unreachable, a whole host down.
 */
export const BLACKBOX_COMPONENT: ComponentDefinition = {
  name: 'blackbox',
  jobName: 'blackbox',
  ruleGroups: [],
  alerts: (t) => [
    {
      name: 'peekstack-probe-alerts',
      rules: [
        alertRule({
          alert: 'PeekStackCertificateExpiring',
          expr: `(probe_ssl_earliest_cert_expiry - time()) / 86400 < ${promNumber(t.certificateExpiryDays)}`,
          for: '10m',
          severity: 'warning',
          summary: 'Certificate of {{ $labels.probe }} seen from host {{ $labels.host }} expires in {{ $value | humanize }} days',
          description: `The certificate served at {{ $labels.target }} (probe {{ $labels.probe }}, seen from host {{ $labels.host }}) expires in {{ $value | humanize }} days, under ${promNumber(t.certificateExpiryDays)}.`,
          runbook: 'Re-apply the stack that owns the endpoint (terraform apply renews certificates within 30 days of expiry), or renew your own certificate.',
        }),
        alertRule({
          alert: 'PeekStackAlertmanagerUnreachable',
          expr: `probe_success{${probe(ALERTMANAGER_PROBE)}} == 0`,
          for: '5m',
          severity: 'critical',
          summary: 'Alertmanager {{ $labels.target }} is unreachable from host {{ $labels.host }}',
          description: 'Host {{ $labels.host }} cannot reach Alertmanager over HTTPS (verified certificate, 401 without credentials expected; probe value {{ $value }}): alerts of this host are not delivered.',
          runbook: 'Check the Alertmanager container on the hub (docker ps, docker logs peekstack-alertmanager) and the network path to its port.',
        }),
        alertRule({
          alert: 'PeekStackHostDown',
          expr: `probe_success{${probe(HOST_PROBE)}} == 0`,
          for: '2m',
          severity: 'critical',
          // The alert is about the probed host, not the probing one: it inhibits that host's own alerts.
          labels: { host: `{{ $labels.${PROBED_HOST_LABEL} }}` },
          summary: 'Host {{ $labels.' + PROBED_HOST_LABEL + ' }} is down',
          description: 'Host {{ $labels.' + PROBED_HOST_LABEL + ' }} does not accept connections on its Prometheus port ({{ $labels.target }}) as seen from host {{ $labels.host }}; its other alerts are silenced.',
          runbook: 'Reach the machine (ping, ssh, its console); if it is up, check Docker and the peekstack-prometheus container.',
        }),
        alertRule({
          alert: 'PeekStackEndpointProbeFailed',
          expr: `probe_success{probe!~"${ALERTMANAGER_PROBE}|${HOST_PROBE}"} == 0`,
          for: '5m',
          severity: 'warning',
          summary: 'Probe {{ $labels.probe }} on host {{ $labels.host }} fails',
          description: '{{ $labels.target }} (probe {{ $labels.probe }}) on host {{ $labels.host }} does not answer over verified TLS with 401 without credentials (value {{ $value }}).',
          runbook: 'Check the endpoint\'s container, its certificate (openssl s_client) and that it still asks for credentials.',
        }),
      ],
    },
  ],
  dashboards: () => [],
  metrics: BLACKBOX_METRICS,
};
