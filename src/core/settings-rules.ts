/**
 * Rules across two settings that both the constructs and the fleet file enforce: one function each,
 * so the file and the constructs cannot disagree. No cdktf here.
 */

/** A port published on a host, and who publishes it. */
export interface PublishedPort {
  readonly port: number;
  /** E.g. `Prometheus`, `collector "web-1" node_exporter`. */
  readonly owner: string;
}

/** The first port of `ports` that an earlier entry already publishes, with that entry. */
export function findPortClash<T extends PublishedPort>(ports: readonly T[]): { readonly entry: T; readonly clash: T } | undefined {
  for (let index = 0; index < ports.length; index++) {
    const clash = ports.slice(0, index).find((other) => other.port === ports[index].port);
    if (clash) return { entry: ports[index], clash };
  }
  return undefined;
}

/** A scrape timeout must not exceed its interval: what is allowed, or undefined when `timeout` is fine. */
export function scrapeTimeoutProblem(timeoutSeconds: number, intervalSeconds: number): string | undefined {
  return timeoutSeconds > intervalSeconds ? `at most the scrape interval (${intervalSeconds} s)` : undefined;
}
