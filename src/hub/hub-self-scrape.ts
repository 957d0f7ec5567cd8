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
  };
}

/** What the fleet store scrapes on the hub besides itself and vmauth: vmalert, and Alertmanager when there is one. */
export function hubSelfScrape(input: HubSelfScrapeInput): FleetStoreSelfScrape {
  const am = input.alertmanager;
  const passwordFile = `${FLEET_STORE_PATHS.scrapeFiles}/alertmanager.password`;
  return {
    hostName: input.hostName,
    targets: [
      { job: HUB_SCRAPE_JOBS.vmalert, address: input.vmalertAddress },
      // The store uploads the hub's CA itself (FLEET_STORE_PATHS.scrapeCa): Alertmanager's certificate is the hub CA's.
      ...(am ? [{ job: HUB_SCRAPE_JOBS.alertmanager, address: am.address, https: { caFile: FLEET_STORE_PATHS.scrapeCa, basicAuth: { username: am.username, passwordFile } } }] : []),
    ],
    files: am ? [{ path: passwordFile, content: am.password }] : [],
  };
}
