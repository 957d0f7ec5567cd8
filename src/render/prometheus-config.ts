import { HOST_LABEL } from '../core/labels';
import { toYaml } from './yaml';

export { HOST_LABEL };

/** How Prometheus authenticates to, and verifies, an HTTPS scrape target. */
export interface ScrapeTls {
  /**
   * Path, inside the Prometheus container, of the CA certificate that signed the target's certificate.
   * @default - the system's CAs
   */
  readonly caFile?: string;
  /** Name to verify in the target's certificate, when it differs from the target's host name. */
  readonly serverName?: string;
}

/** Basic-auth credentials Prometheus sends to a scrape target. */
export interface ScrapeBasicAuth {
  readonly username: string;
  /** Path, inside the Prometheus container, of a file holding the password (never the password itself). */
  readonly passwordFile: string;
}

/** One scrape job. */
export interface ScrapeJob {
  /** Job name; becomes the `job` label. */
  readonly jobName: string;
  /** `host:port` targets. */
  readonly targets: readonly string[];
  readonly scrapeIntervalSeconds: number;
  readonly scrapeTimeoutSeconds: number;
  /** @default '/metrics' */
  readonly metricsPath?: string;
  /** @default - plain HTTP */
  readonly tls?: ScrapeTls;
  /** @default - no authentication */
  readonly basicAuth?: ScrapeBasicAuth;
  /**
   * Metric names (a regex) dropped after the scrape, to keep the series count down.
   * @default - keep everything
   */
  readonly dropMetrics?: string;
  /**
   * Labels whose values are cut to at most this many characters (at most 1,000, RE2's repetition limit).
   * @default - no label is cut
   */
  readonly truncateLabels?: Readonly<Record<string, number>>;
  /**
   * Protocol assumed when the target sends a Content-Type Prometheus 3 cannot parse.
   * @default - none: such a scrape fails
   */
  readonly fallbackScrapeProtocol?: 'PrometheusText0.0.4' | 'PrometheusText1.0.0' | 'OpenMetricsText1.0.0';
  /** URL query parameters of every scrape. @default - none */
  readonly params?: Readonly<Record<string, string>>;
  /** Labels of the target (static_configs labels). @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** How Prometheus authenticates to an endpoint it sends data to: basic auth or a bearer token, from files. */
export interface OutgoingAuth {
  /** @default - no basic auth */
  readonly basicAuth?: ScrapeBasicAuth;
  /**
   * Path, inside the container, of a file holding a bearer token (`Authorization: Bearer ...`).
   * @default - no bearer token
   */
  readonly bearerTokenFile?: string;
}

/** Queue settings of one remote_write endpoint (Prometheus's `queue_config`). */
export interface RemoteWriteQueue {
  /** Samples buffered per shard. @default - Prometheus's (10000) */
  readonly capacity?: number;
  /** @default - Prometheus's (50) */
  readonly maxShards?: number;
  /** @default - Prometheus's (1) */
  readonly minShards?: number;
  /** @default - Prometheus's (2000) */
  readonly maxSamplesPerSend?: number;
  /** @default - Prometheus's (5 s) */
  readonly batchSendDeadlineSeconds?: number;
  /** @default - Prometheus's (30 ms) */
  readonly minBackoffMilliseconds?: number;
  /** @default - Prometheus's (5 s) */
  readonly maxBackoffMilliseconds?: number;
}

/** One remote_write endpoint, secrets referenced by file. */
export interface RemoteWriteConfig extends OutgoingAuth {
  /** Endpoint name, unique: Prometheus labels its remote-storage metrics with it. */
  readonly name: string;
  /** `http(s)://...` write URL. */
  readonly url: string;
  /** @default - plain HTTP, or HTTPS verified against the system CAs */
  readonly tls?: ScrapeTls;
  /** Extra HTTP headers (a tenant header for Mimir or Thanos). @default - none */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default - Prometheus's queue settings */
  readonly queue?: RemoteWriteQueue;
  /** @default - Prometheus's (30 s) */
  readonly remoteTimeoutSeconds?: number;
}

/** One Alertmanager (or an HA set of them) Prometheus sends alerts to. */
export interface AlertmanagerConfig extends OutgoingAuth {
  /** `host:port` of each Alertmanager of the set. */
  readonly targets: readonly string[];
  /** @default 'https' when `tls` is set, else 'http' */
  readonly scheme?: 'http' | 'https';
  /** @default - plain HTTP */
  readonly tls?: ScrapeTls;
  /** Path prefix of the Alertmanager API. @default '/' */
  readonly pathPrefix?: string;
}

/** Input of prometheus.yml. */
export interface PrometheusConfigInput {
  /** Value of the `host` label put on every series of every job (and on alerts / remote writes). */
  readonly hostLabel: string;
  readonly scrapeIntervalSeconds: number;
  readonly scrapeTimeoutSeconds: number;
  readonly evaluationIntervalSeconds: number;
  /** Rule files, paths inside the container. */
  readonly ruleFiles: readonly string[];
  readonly jobs: readonly ScrapeJob[];
  /** @default - none */
  readonly remoteWrite?: readonly RemoteWriteConfig[];
  /** @default - none: alerts stay in Prometheus */
  readonly alertmanagers?: readonly AlertmanagerConfig[];
}

const seconds = (value: number): string => `${value}s`;

function renderTls(tls: ScrapeTls): Record<string, unknown> {
  return { ...(tls.caFile ? { ca_file: tls.caFile } : {}), ...(tls.serverName ? { server_name: tls.serverName } : {}), min_version: 'TLS12' };
}

function renderAuth(auth: OutgoingAuth): Record<string, unknown> {
  return {
    ...(auth.basicAuth ? { basic_auth: { username: auth.basicAuth.username, password_file: auth.basicAuth.passwordFile } } : {}),
    ...(auth.bearerTokenFile ? { authorization: { type: 'Bearer', credentials_file: auth.bearerTokenFile } } : {}),
  };
}

const milliseconds = (value: number): string => `${value}ms`;

function renderQueue(queue: RemoteWriteQueue): Record<string, unknown> {
  const entries: [string, unknown][] = [
    ['capacity', queue.capacity],
    ['max_shards', queue.maxShards],
    ['min_shards', queue.minShards],
    ['max_samples_per_send', queue.maxSamplesPerSend],
    ['batch_send_deadline', queue.batchSendDeadlineSeconds === undefined ? undefined : seconds(queue.batchSendDeadlineSeconds)],
    ['min_backoff', queue.minBackoffMilliseconds === undefined ? undefined : milliseconds(queue.minBackoffMilliseconds)],
    ['max_backoff', queue.maxBackoffMilliseconds === undefined ? undefined : milliseconds(queue.maxBackoffMilliseconds)],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

function renderRemoteWrite(endpoint: RemoteWriteConfig): Record<string, unknown> {
  return {
    name: endpoint.name,
    url: endpoint.url,
    ...(endpoint.remoteTimeoutSeconds !== undefined ? { remote_timeout: seconds(endpoint.remoteTimeoutSeconds) } : {}),
    ...(endpoint.headers && Object.keys(endpoint.headers).length > 0 ? { headers: { ...endpoint.headers } } : {}),
    ...renderAuth(endpoint),
    ...(endpoint.tls ? { tls_config: renderTls(endpoint.tls) } : {}),
    ...(endpoint.queue ? { queue_config: renderQueue(endpoint.queue) } : {}),
  };
}

function renderAlertmanagers(alertmanager: AlertmanagerConfig): Record<string, unknown> {
  return {
    scheme: alertmanager.scheme ?? (alertmanager.tls ? 'https' : 'http'),
    path_prefix: alertmanager.pathPrefix ?? '/',
    api_version: 'v2',
    ...renderAuth(alertmanager),
    ...(alertmanager.tls ? { tls_config: renderTls(alertmanager.tls) } : {}),
    static_configs: [{ targets: [...alertmanager.targets] }],
  };
}

/** Renders one scrape job as Prometheus expects it (snake_case keys). */
function renderJob(job: ScrapeJob, hostLabel: string): Record<string, unknown> {
  return {
    job_name: job.jobName,
    scrape_interval: seconds(job.scrapeIntervalSeconds),
    scrape_timeout: seconds(job.scrapeTimeoutSeconds),
    metrics_path: job.metricsPath ?? '/metrics',
    scheme: job.tls ? 'https' : 'http',
    ...(job.fallbackScrapeProtocol ? { fallback_scrape_protocol: job.fallbackScrapeProtocol } : {}),
    ...(job.params ? { params: Object.fromEntries(Object.entries(job.params).map(([key, value]) => [key, [value]])) } : {}),
    ...(job.tls ? { tls_config: renderTls(job.tls) } : {}),
    ...renderAuth({ basicAuth: job.basicAuth }),
    static_configs: [{ targets: [...job.targets], ...(job.labels ? { labels: { ...job.labels } } : {}) }],
    // Target relabeling puts the host label on every series of the job, including `up`; external
    // labels alone would not, since Prometheus applies them only to data leaving the server.
    relabel_configs: [{ target_label: HOST_LABEL, replacement: hostLabel }],
    ...renderMetricRelabeling(job),
  };
}

/** The job's metric relabeling: drop the unwanted metrics, then cut the unbounded label values. */
function renderMetricRelabeling(job: ScrapeJob): Record<string, unknown> {
  const rules: Record<string, unknown>[] = [
    ...(job.dropMetrics ? [{ source_labels: ['__name__'], regex: job.dropMetrics, action: 'drop' }] : []),
    // `(?s)` lets `.` match a newline inside a command line; an absent label stays absent (an empty
    // value written back is no label at all).
    ...Object.entries(job.truncateLabels ?? {}).map(([label, length]) => ({
      source_labels: [label],
      regex: `(?s)(.{0,${length}}).*`,
      target_label: label,
      replacement: '$1',
      action: 'replace',
    })),
  ];
  return rules.length > 0 ? { metric_relabel_configs: rules } : {};
}

/** Renders prometheus.yml. Pure: the same input always gives the same text. */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  return toYaml(
    {
      global: {
        scrape_interval: seconds(input.scrapeIntervalSeconds),
        scrape_timeout: seconds(input.scrapeTimeoutSeconds),
        evaluation_interval: seconds(input.evaluationIntervalSeconds),
        external_labels: { [HOST_LABEL]: input.hostLabel },
      },
      rule_files: [...input.ruleFiles],
      // Alerts carry the host label too: external labels are applied to every alert sent.
      ...(input.alertmanagers && input.alertmanagers.length > 0 ? { alerting: { alertmanagers: input.alertmanagers.map(renderAlertmanagers) } } : {}),
      scrape_configs: input.jobs.map((job) => renderJob(job, input.hostLabel)),
      // Remote-written samples carry the host label through the external labels.
      ...(input.remoteWrite && input.remoteWrite.length > 0 ? { remote_write: input.remoteWrite.map(renderRemoteWrite) } : {}),
    },
    `Rendered by PeekStack CDK for host ${input.hostLabel}. Do not edit: it is replaced on every deploy.`,
  );
}

/**
 * An HTTP client configuration (Prometheus's common `http_config`, as promtool's
 * `--http.config.file` takes it): how a client inside the container reaches Prometheus itself.
 */
export function renderHttpClientConfig(input: { readonly tls?: ScrapeTls; readonly basicAuth?: ScrapeBasicAuth }): string {
  return toYaml(
    { ...renderAuth({ basicAuth: input.basicAuth }), ...(input.tls ? { tls_config: renderTls(input.tls) } : {}) },
    'Rendered by PeekStack CDK: how the health check reaches Prometheus.',
  );
}
