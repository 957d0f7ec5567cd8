import { DOCKER_HOST_GATEWAY_NAME, ipVersion, urlHost } from '../core/names';
import type { FleetSpec } from './spec';

/**
 * Every Alertmanager of a fleet, in one list: the hub's, and the peer of a pair
 * (`alerting.peerHost`). Whatever sends alerts (each collector's Prometheus, the hub's evaluator)
 * sends every alert to each of them, and the pair deduplicates the notifications through gossip.
 * Pure: no cdktf is loaded.
 */

/** One Alertmanager of the fleet, where it runs and how it is reached. */
export interface FleetAlertmanager {
  /** `hub`: the hub stack's own host; `peer`: the second of a pair, on `alerting.peerHost`. */
  readonly role: 'hub' | 'peer';
  /** Fleet name of the host it runs on. */
  readonly hostName: string;
  /** The host's addresses (its certificate's names); the first is what other hosts send to. */
  readonly addresses: readonly string[];
  /** Its published HTTPS port (`alerting.port`, the same on both hosts). */
  readonly port: number;
}

/** Every Alertmanager of `fleet`: none without `alerting:`, the hub's, then the peer's if paired. */
export function fleetAlertmanagers(fleet: Pick<FleetSpec, 'alerting' | 'hosts'>): FleetAlertmanager[] {
  const alerting = fleet.alerting;
  if (!alerting) return [];
  const onHost = (role: FleetAlertmanager['role'], hostName: string): FleetAlertmanager[] => {
    const host = fleet.hosts.find((candidate) => candidate.name === hostName);
    return host ? [{ role, hostName, addresses: host.addresses, port: alerting.port }] : [];
  };
  return [...onHost('hub', alerting.host), ...(alerting.peerHost !== undefined ? onHost('peer', alerting.peerHost) : [])];
}

/**
 * `host:port` of every Alertmanager of `fleet`, as a sender on host `fromHost` reaches it: one on
 * the sender's own host through the Docker host gateway (a container cannot reach its host's
 * published port at the host's address everywhere), the others at their host's first address.
 */
export function alertmanagerTargetsFrom(fleet: Pick<FleetSpec, 'alerting' | 'hosts'>, fromHost: string): string[] {
  return fleetAlertmanagers(fleet).map((each) => `${each.hostName === fromHost ? DOCKER_HOST_GATEWAY_NAME : urlHost(each.addresses[0])}:${each.port}`);
}

/**
 * The address a host of a pair gossips at: its first IP address. Alertmanager advertises an IP only
 * (it refuses a name for `--cluster.advertise-address`), and the gossip port is published on that
 * address alone. Undefined when the host lists no IP address.
 */
export function gossipAddressOf(addresses: readonly string[]): string | undefined {
  return addresses.find((address) => ipVersion(address) !== 0);
}
