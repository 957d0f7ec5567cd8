/**
 * The hub watching its own services: the scrape jobs the fleet store runs on the hub network (its
 * `-promscrape.config`) and the alerts vmalert evaluates on what they scrape. Pure data, no cdktf.
 *
 * Why the store scrapes (VictoriaMetrics single-node's built-in scraper) rather than a vmagent: the
 * samples go straight into the store's own storage, so there is no extra container and no extra
 * writer credential; the targets are on the hub's private network, where no port is published.
 */
import { alertRule } from '../components/alert';
import { VMALERT_DEFAULTS } from '../core/defaults';
import type { RuleGroup } from '../core/rule-group';

/** The `job` label of each hub service's own metrics. */
export const HUB_SCRAPE_JOBS = {
  victoriaMetrics: 'hub-victoria-metrics',
  vmauth: 'hub-vmauth',
  vmalert: 'hub-vmalert',
  alertmanager: 'hub-alertmanager',
} as const;

/** Name of the rule group. */
export const HUB_HEALTH_RULE_GROUP = 'peekstack-hub-health';

/**
 * Metrics each hub alert reads, per service: the real-binary test checks each one on the running
 * binary's /metrics page (a renamed metric would silently never fire).
 */
export const HUB_HEALTH_METRICS = {
  victoriaMetrics: ['vm_free_disk_space_bytes', 'vm_data_size_bytes', 'vm_rows_invalid_total', 'vm_http_request_errors_total'],
  vmauth: ['vmauth_http_request_errors_total', 'vmauth_user_request_backend_errors_total', 'vmauth_concurrent_requests_limit_reached_total'],
  vmalert: ['vmalert_execution_errors_total', 'vmalert_alerts_send_errors_total', 'vmalert_remotewrite_errors_total'],
  alertmanager: ['alertmanager_notifications_failed_total'],
} as const;

/** The store's free disk lasting less than this at its growth rate fires PeekStackStoreDiskFilling. */
export const STORE_DISK_MIN_DAYS_LEFT = 3;

/** vmauth errors a client causes on its own (a cancelled request, a wrong password): not the hub's fault. */
const CLIENT_SIDE_VMAUTH_ERRORS = 'client_canceled|invalid_auth_token';

/** Input of {@link hubHealthRuleGroup}. */
export interface HubHealthRulesInput {
  /**
   * Evaluation interval of the group, in seconds.
   * @default VMALERT_DEFAULTS.evaluationIntervalSeconds
   */
  readonly evaluationIntervalSeconds?: number;
}

/** The hub's own alerts, on the series its scrape jobs write (each carries the hub's `host` label). */
export function hubHealthRuleGroup(input: HubHealthRulesInput = {}): RuleGroup {
  const job = (name: string) => `job="${name}"`;
  const { victoriaMetrics: vm, vmauth, vmalert, alertmanager } = HUB_SCRAPE_JOBS;
  const increase = (metric: string, selector: string) => `sum by (host) (increase(${metric}{${selector}}[10m])) > 0`;
  return {
    name: HUB_HEALTH_RULE_GROUP,
    interval: `${input.evaluationIntervalSeconds ?? VMALERT_DEFAULTS.evaluationIntervalSeconds}s`,
    rules: [
      alertRule({
        alert: 'PeekStackHubServiceDown',
        expr: `up{job=~"hub-.+"} == 0`,
        for: '5m',
        severity: 'critical',
        summary: 'Hub service {{ $labels.job }} does not answer its scrape',
        description: 'The fleet store could not scrape {{ $labels.job }} ({{ $labels.instance }}) on host {{ $labels.host }} for 5 minutes.',
        runbook: 'docker ps -a and docker logs of the hub\'s containers on the hub host.',
      }),
      alertRule({
        alert: 'PeekStackStoreDiskFilling',
        // Free space against the growth of the store's data (parts and index) over the last 6 h.
        expr: `vm_free_disk_space_bytes{${job(vm)}} < on (host, job, instance) group_left () (${STORE_DISK_MIN_DAYS_LEFT} * 86400 * sum by (host, job, instance) (deriv(vm_data_size_bytes{${job(vm)}}[6h])))`,
        for: '30m',
        severity: 'warning',
        summary: 'The fleet store\'s disk on {{ $labels.host }} fills within 3 days',
        description: 'Free space of the fleet store ({{ $value | humanize1024 }}B) lasts less than 3 days at the growth of its data over the last 6 hours.',
        runbook: 'Grow the volume, shorten store.retentionDays, or move to an external cluster store (docs/sizing.md).',
      }),
      alertRule({
        alert: 'PeekStackStoreIngestionErrors',
        expr: `${increase('vm_rows_invalid_total', job(vm))} or ${increase('vm_http_request_errors_total', `${job(vm)}, path=~".*write.*"`)}`,
        for: '5m',
        severity: 'warning',
        summary: 'The fleet store on {{ $labels.host }} refuses writes',
        description: 'The fleet store counted invalid rows or failed write requests in the last 10 minutes, for 5 minutes.',
        runbook: 'Read the victoria-metrics container\'s logs: they name the rejected series and why.',
      }),
      alertRule({
        alert: 'PeekStackVmauthErrors',
        expr: [
          increase('vmauth_http_request_errors_total', `${job(vmauth)}, reason!~"${CLIENT_SIDE_VMAUTH_ERRORS}"`),
          increase('vmauth_user_request_backend_errors_total', job(vmauth)),
          increase('vmauth_concurrent_requests_limit_reached_total', job(vmauth)),
        ].join(' or '),
        for: '5m',
        severity: 'warning',
        summary: 'vmauth on {{ $labels.host }} fails requests',
        description: 'vmauth failed requests in the last 10 minutes (backend errors, requests without a route, or its concurrency limit reached), for 5 minutes.',
        runbook: 'Read the vmauth container\'s logs; backend errors mean the store itself does not answer.',
      }),
      alertRule({
        alert: 'PeekStackAlertmanagerNotificationsFailing',
        // Summed over `reason` (Alertmanager 0.34 splits it into authError, rateLimited, clientError...):
        // any reason counts, whatever the version calls it.
        expr: `sum by (host, integration) (increase(alertmanager_notifications_failed_total{${job(alertmanager)}}[10m])) > 0`,
        for: '5m',
        severity: 'critical',
        summary: 'Alertmanager on {{ $labels.host }} fails to notify through {{ $labels.integration }}',
        description: '{{ $value | humanize }} notifications through {{ $labels.integration }} failed in the last 10 minutes, for 5 minutes.',
        runbook: 'Read the Alertmanager container\'s logs for the receiver\'s error (credentials, rate limit, unreachable URL).',
      }),
      alertRule({
        alert: 'PeekStackVmalertErrors',
        expr: [
          increase('vmalert_execution_errors_total', job(vmalert)),
          increase('vmalert_alerts_send_errors_total', job(vmalert)),
          increase('vmalert_remotewrite_errors_total', job(vmalert)),
        ].join(' or '),
        for: '5m',
        severity: 'warning',
        summary: 'vmalert on {{ $labels.host }} fails to evaluate, send or record',
        description: 'vmalert counted rule evaluation, alert sending or remote write errors in the last 10 minutes, for 5 minutes.',
        runbook: 'Read the vmalert container\'s logs: they name the rule or the endpoint that failed.',
      }),
    ],
  };
}
