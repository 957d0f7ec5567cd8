import { toYaml } from './yaml';
import { HeartbeatConfig, heartbeatReceiver, heartbeatRoute } from './heartbeat-route';

/**
 * alertmanager.yml: receivers whose secrets are files (`*_file` fields, never values), routes by
 * severity, grouping by host and alert name, and the inhibition that silences a host's own alerts
 * while the host is down. Pure: the same input always gives the same text.
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */

/** Severities PeekStack's alerts carry. */
export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
/** One of {@link ALERT_SEVERITIES}. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The alert that says a whole host is down (blackbox component). */
export const HOST_DOWN_ALERT = 'PeekStackHostDown';

/** Labels alerts are grouped by: one notification per host and alert name. */
export const ALERT_GROUP_BY = ['host', 'alertname'] as const;

/** A generic webhook (Alertmanager's JSON payload, POSTed). */
export interface WebhookReceiverConfig {
  readonly name: string;
  readonly kind: 'webhook';
  /** URL the notifications are POSTed to. */
  readonly url: string;
  /** @default - no Authorization header */
  readonly bearerTokenFile?: string;
}

/** Email through an SMTP smarthost with authentication, STARTTLS required. */
export interface EmailReceiverConfig {
  readonly name: string;
  readonly kind: 'email';
  readonly to: string;
  readonly from: string;
  /** `host:port` of the SMTP server. */
  readonly smarthost: string;
  /** @default - the `from` address */
  readonly username?: string;
  readonly passwordFile: string;
}

/** Slack through an incoming-webhook URL (the URL is the secret). */
export interface SlackReceiverConfig {
  readonly name: string;
  readonly kind: 'slack';
  readonly apiUrlFile: string;
  /** @default - the webhook's own channel */
  readonly channel?: string;
}

/** PagerDuty Events API v2 (the routing key is the secret). */
export interface PagerDutyReceiverConfig {
  readonly name: string;
  readonly kind: 'pagerduty';
  readonly routingKeyFile: string;
}

/** One receiver, its secrets as file paths. */
export type ReceiverConfig = WebhookReceiverConfig | EmailReceiverConfig | SlackReceiverConfig | PagerDutyReceiverConfig;

/** The receiver kinds. */
export const RECEIVER_KINDS = ['webhook', 'email', 'slack', 'pagerduty'] as const;

/** Alerts of one severity go to one receiver. */
export interface SeverityRoute {
  readonly severity: AlertSeverity;
  readonly receiver: string;
}

/** Input of alertmanager.yml. */
export interface AlertmanagerConfigInput {
  readonly receivers: readonly ReceiverConfig[];
  /** Receiver of alerts no route matches. */
  readonly defaultReceiver: string;
  /** In order; the first match wins. */
  readonly routes: readonly SeverityRoute[];
  /** Wait this long for more alerts of a new group before the first notification. */
  readonly groupWaitSeconds: number;
  /** Wait this long before notifying about alerts added to (or resolved in) a group already notified. */
  readonly groupIntervalSeconds: number;
  /** Notify again about a group still firing after this long. */
  readonly repeatIntervalSeconds: number;
  /**
   * The dead man's switch: the Watchdog alert to a heartbeat URL every interval.
   * @default - none
   */
  readonly heartbeat?: HeartbeatConfig;
}

const seconds = (value: number) => `${value}s`;
const TLS = { min_version: 'TLS12' };

function renderReceiver(receiver: ReceiverConfig): Record<string, unknown> {
  switch (receiver.kind) {
    case 'webhook':
      return {
        name: receiver.name,
        webhook_configs: [
          {
            url: receiver.url,
            send_resolved: true,
            http_config: { ...(receiver.bearerTokenFile ? { authorization: { type: 'Bearer', credentials_file: receiver.bearerTokenFile } } : {}), tls_config: TLS },
          },
        ],
      };
    case 'email':
      return {
        name: receiver.name,
        email_configs: [
          {
            to: receiver.to,
            from: receiver.from,
            smarthost: receiver.smarthost,
            auth_username: receiver.username ?? receiver.from,
            auth_password_file: receiver.passwordFile,
            require_tls: true,
            tls_config: TLS,
            send_resolved: true,
          },
        ],
      };
    case 'slack':
      return {
        name: receiver.name,
        slack_configs: [
          {
            api_url_file: receiver.apiUrlFile,
            ...(receiver.channel ? { channel: receiver.channel } : {}),
            send_resolved: true,
            title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} on {{ .CommonLabels.host }}',
            text: '{{ range .Alerts }}{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook }}\n{{ end }}',
          },
        ],
      };
    case 'pagerduty':
      return {
        name: receiver.name,
        pagerduty_configs: [{ routing_key_file: receiver.routingKeyFile, send_resolved: true, severity: '{{ .CommonLabels.severity }}' }],
      };
  }
}

/** Renders alertmanager.yml. */
export function renderAlertmanagerConfig(input: AlertmanagerConfigInput): string {
  return toYaml(
    {
      route: {
        receiver: input.defaultReceiver,
        group_by: [...ALERT_GROUP_BY],
        group_wait: seconds(input.groupWaitSeconds),
        group_interval: seconds(input.groupIntervalSeconds),
        repeat_interval: seconds(input.repeatIntervalSeconds),
        ...(input.routes.length > 0 || input.heartbeat
          ? {
              routes: [
                ...(input.heartbeat ? [heartbeatRoute(input.heartbeat)] : []),
                ...input.routes.map((route) => ({ matchers: [`severity="${route.severity}"`], receiver: route.receiver })),
              ],
            }
          : {}),
      },
      inhibit_rules: [
        // A host that is down silences every other alert about it (its exporters, its disks...).
        { source_matchers: [`alertname="${HOST_DOWN_ALERT}"`], target_matchers: [`alertname!="${HOST_DOWN_ALERT}"`], equal: ['host'] },
        // A critical alert silences the warnings of the same alert name on the same host.
        { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['host', 'alertname'] },
      ],
      receivers: [...input.receivers.map(renderReceiver), ...(input.heartbeat ? [heartbeatReceiver(input.heartbeat)] : [])],
    },
    'Rendered by PeekStack CDK. Do not edit: it is replaced on every deploy. Secrets are files under /etc/alertmanager/secrets.',
  );
}
