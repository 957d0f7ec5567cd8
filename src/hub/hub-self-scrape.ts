import type { FleetStoreSelfScrape } from './fleet-store';
import { FLEET_STORE_PATHS } from './fleet-store';
import { HUB_SCRAPE_JOBS } from './hub-health-rules';

/** Input of {@link hubSelfScrape}. */
export interface HubSelfScrapeInput {
  /** The hub's host name (the `host` label of the scraped series). */
  readonly hostName: string;
  /** `host:port` of vmalert's `/metrics` on the hub network. */
  readonly vmalertAddress: string;
  /**
   * Alertmanager on the hub network: it serves `/metrics` only over HTTPS with basic auth.
   * @default - no Alertmanager to scrape
   */
  readonly alertmanager?: {
    readonly address: string;
    readonly username: string;
    /** The password, a Terraform token (uploaded to a file the store reads). */
    readonly password: string;
    /** PEM of the CA its certificate is verified against. */
    readonly caCertificatePem: string;
  };
}

/** What the fleet store scrapes on the hub besides itself and vmauth: vmalert, and Alertmanager when there is one. */
export function hubSelfScrape(input: HubSelfScrapeInput): FleetStoreSelfScrape {
  const am = input.alertmanager;
  const caFile = `${FLEET_STORE_PATHS.scrapeFiles}/hub-ca.crt`;
  const passwordFile = `${FLEET_STORE_PATHS.scrapeFiles}/alertmanager.password`;
  return {
    hostName: input.hostName,
    targets: [
      { job: HUB_SCRAPE_JOBS.vmalert, address: input.vmalertAddress },
      ...(am ? [{ job: HUB_SCRAPE_JOBS.alertmanager, address: am.address, https: { caFile, username: am.username, passwordFile } }] : []),
    ],
    files: am ? [{ path: caFile, content: am.caCertificatePem }, { path: passwordFile, content: am.password }] : [],
  };
}
