import { toYaml } from './yaml';

/** How Prometheus authenticates to, and verifies, an HTTPS scrape target. */
export interface ScrapeTls {
  /** Path, inside the Prometheus container, of the CA certificate that signed the target's certificate. */
  readonly caFile: string;
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
   * Protocol assumed when the target sends a Content-Type Prometheus 3 cannot parse.
   * @default - none: such a scrape fails
   */
  readonly fallbackScrapeProtocol?: 'PrometheusText0.0.4' | 'PrometheusText1.0.0' | 'OpenMetricsText1.0.0';
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
}

/** The label that names the host on every series. */
export const HOST_LABEL = 'host';

const seconds = (value: number): string => `${value}s`;

/** Renders one scrape job as Prometheus expects it (snake_case keys). */
function renderJob(job: ScrapeJob, hostLabel: string): Record<string, unknown> {
  return {
    job_name: job.jobName,
    scrape_interval: seconds(job.scrapeIntervalSeconds),
    scrape_timeout: seconds(job.scrapeTimeoutSeconds),
    metrics_path: job.metricsPath ?? '/metrics',
    scheme: job.tls ? 'https' : 'http',
    ...(job.fallbackScrapeProtocol ? { fallback_scrape_protocol: job.fallbackScrapeProtocol } : {}),
    ...(job.tls
      ? {
          tls_config: {
            ca_file: job.tls.caFile,
            ...(job.tls.serverName ? { server_name: job.tls.serverName } : {}),
            min_version: 'TLS12',
          },
        }
      : {}),
    ...(job.basicAuth
      ? { basic_auth: { username: job.basicAuth.username, password_file: job.basicAuth.passwordFile } }
      : {}),
    static_configs: [{ targets: [...job.targets] }],
    // Target relabeling puts the host label on every series of the job, including `up`; external
    // labels alone would not, since Prometheus applies them only to data leaving the server.
    relabel_configs: [{ target_label: HOST_LABEL, replacement: hostLabel }],
    ...(job.dropMetrics
      ? { metric_relabel_configs: [{ source_labels: ['__name__'], regex: job.dropMetrics, action: 'drop' }] }
      : {}),
  };
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
      scrape_configs: input.jobs.map((job) => renderJob(job, input.hostLabel)),
    },
    `Rendered by PeekStack CDK for host ${input.hostLabel}. Do not edit: it is replaced on every deploy.`,
  );
}
