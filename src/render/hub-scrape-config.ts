import { toYaml } from './yaml';

/** One hub service the fleet store scrapes. */
export interface HubScrapeTarget {
  /** The `job` label. */
  readonly job: string;
  /** `host:port` on the hub network (a container name). */
  readonly address: string;
  /**
   * HTTPS (a service that serves its metrics only so: vmauth, Alertmanager with basic auth).
   * @default - plain HTTP without auth (the hub network is private: nothing on it is published)
   */
  readonly https?: {
    /** CA file the certificate is verified against. */
    readonly caFile: string;
    /**
     * Basic auth: the user and the file holding its password.
     * @default - none (vmauth's internal port serves /metrics over TLS without auth)
     */
    readonly basicAuth?: { readonly username: string; readonly passwordFile: string };
  };
}

/** Input of the store's `-promscrape.config`. */
export interface HubScrapeConfigInput {
  /** Scrape interval, in seconds. */
  readonly intervalSeconds: number;
  /** The hub's host name: the `host` label of every scraped series, as the collectors' external label. */
  readonly hubHost: string;
  readonly targets: readonly HubScrapeTarget[];
}

/**
 * VictoriaMetrics' `-promscrape.config`: the hub's services scraped by the store itself, each
 * series labelled with the hub's `host`. Pure.
 * @see https://docs.victoriametrics.com/victoriametrics/single-server-victoriametrics/#how-to-scrape-prometheus-exporters-such-as-node-exporter
 */
export function renderHubScrapeConfig(input: HubScrapeConfigInput): string {
  return toYaml(
    {
      global: { scrape_interval: `${input.intervalSeconds}s` },
      scrape_configs: input.targets.map((target) => ({
        job_name: target.job,
        ...(target.https
          ? {
              scheme: 'https',
              tls_config: { ca_file: target.https.caFile },
              ...(target.https.basicAuth ? { basic_auth: { username: target.https.basicAuth.username, password_file: target.https.basicAuth.passwordFile } } : {}),
            }
          : {}),
        static_configs: [{ targets: [target.address], labels: { host: input.hubHost } }],
      })),
    },
    'Rendered by PeekStack CDK: the hub\'s own services, scraped by the fleet store.',
  );
}
