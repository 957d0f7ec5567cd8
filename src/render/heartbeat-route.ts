/**
 * The dead man's switch in alertmanager.yml: a route that sends the always-firing `Watchdog` alert
 * (evaluated by vmalert on the hub) to a heartbeat receiver every interval, and that receiver, a
 * webhook whose URL (its secret: whoever has it can ping) is a file. Pure.
 */

/** Name of the always-firing alert routed to the heartbeat receiver (kube-prometheus's name for it). */
export const WATCHDOG_ALERT = 'Watchdog';

/** Name of the heartbeat receiver in alertmanager.yml (receivers of the fleet file may not take it). */
export const HEARTBEAT_RECEIVER = 'peekstack-heartbeat';

/** Input of the heartbeat route and receiver. */
export interface HeartbeatConfig {
  /** File holding the heartbeat URL (e.g. a healthchecks.io ping URL). */
  readonly urlFile: string;
  /** Seconds between two heartbeats while the Watchdog fires: the route's repeat_interval. */
  readonly intervalSeconds: number;
}

/**
 * The Watchdog's route, first under the root so no other route sees it. Alertmanager re-sends a
 * group only when a flush finds `repeat_interval` elapsed since the last notification, and flushes
 * every `group_interval`: with both equal a flush lands just short of the interval and the
 * heartbeat comes every other interval. A group_interval of a tenth of the interval (1 s at least)
 * keeps heartbeats between 1 and 1.1 intervals apart.
 */
export function heartbeatRoute(heartbeat: HeartbeatConfig): Record<string, unknown> {
  return {
    matchers: [`alertname="${WATCHDOG_ALERT}"`],
    receiver: HEARTBEAT_RECEIVER,
    group_wait: '0s',
    group_interval: `${Math.max(1, Math.floor(heartbeat.intervalSeconds / 10))}s`,
    repeat_interval: `${heartbeat.intervalSeconds}s`,
    continue: false,
  };
}

/** The heartbeat receiver: Alertmanager's webhook JSON POSTed to the URL read from `urlFile`. */
export function heartbeatReceiver(heartbeat: HeartbeatConfig): Record<string, unknown> {
  return {
    name: HEARTBEAT_RECEIVER,
    webhook_configs: [{ url_file: heartbeat.urlFile, send_resolved: false, http_config: { tls_config: { min_version: 'TLS12' } } }],
  };
}
