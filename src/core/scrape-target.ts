/**
 * What an exporter tells the Prometheus that scrapes it. Exporter constructs expose one; the
 * Prometheus construct turns it into a scrape job and owns every file the job needs (CA, password).
 */
export interface ScrapeTarget {
  /** Job name; becomes the `job` label (`node`, `cadvisor`, `scaphandre`, ...). */
  readonly jobName: string;
  /** `host:port` as the Prometheus container reaches it. */
  readonly address: string;
  /**
   * Verify the target over HTTPS against this CA.
   * @default - plain HTTP, only acceptable inside the collector's private network
   */
  readonly tls?: {
    /** PEM of the CA that signed the target's certificate (may be a Terraform token). */
    readonly caCertificatePem: string;
    /** Name to check in the target's certificate. */
    readonly serverName: string;
  };
  /**
   * Basic-auth credentials to send.
   * @default - none
   */
  readonly basicAuth?: {
    readonly username: string;
    /** Plain password, as a Terraform token: it is uploaded to a file, never written to prometheus.yml. */
    readonly password: string;
  };
  /**
   * Interval for this job only.
   * @default - the Prometheus construct's interval
   */
  readonly scrapeIntervalSeconds?: number;
  /**
   * Timeout for this job only.
   * @default - the Prometheus construct's timeout, capped at the job's interval
   */
  readonly scrapeTimeoutSeconds?: number;
  /**
   * The exporter cannot be scraped more often than this (Scaphandre: 3 s); a faster job is refused.
   * @default - no floor
   */
  readonly minScrapeIntervalSeconds?: number;
  /**
   * Regex of metric names to drop after scraping, to keep the series count down.
   * @default - keep all
   */
  readonly dropMetrics?: string;
  /**
   * Labels whose values are cut to at most this many characters after scraping, for exporters
   * whose label values have no bound (Scaphandre's `cmdline`). VictoriaMetrics silently ignores a
   * series with a label value over 4,096 bytes (`-maxLabelValueLen`), so without the cut such a
   * series would live in the collector and never reach the fleet store.
   * @default - no label is cut
   */
  readonly truncateLabels?: Readonly<Record<string, number>>;
  /**
   * Set for exporters that answer with a Content-Type Prometheus 3 does not accept.
   * @default - none
   */
  readonly fallbackScrapeProtocol?: 'PrometheusText0.0.4';
  /**
   * Path of the metrics endpoint (`/probe` for a blackbox_exporter probe).
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * URL query parameters of every scrape (a blackbox probe's `module` and `target`).
   * @default - none
   */
  readonly params?: Readonly<Record<string, string>>;
  /**
   * Labels put on every series of the job (beside `host`), e.g. the `probe` name of a blackbox probe.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Runtime/self metrics of Go exporters that no dashboard reads; dropped to save series. */
/**
 * The longest label value a {@link ScrapeTarget.truncateLabels} entry may keep: RE2, Prometheus's
 * regex engine, allows a repetition count of at most 1,000, and 1,000 characters of UTF-8 (at most
 * 4,000 bytes) stay under VictoriaMetrics' 4,096-byte limit.
 */
export const MAX_TRUNCATED_LABEL_LENGTH = 1000;

export const GO_RUNTIME_METRICS = '(go|promhttp)_.*';
