import { describeValue, listSome } from '../core/errors';
import { findPortClash, PublishedPort } from '../core/settings-rules';
import { gossipAddressOf } from './alertmanagers';
import type { PathProblem } from './problems';
import { FleetFile } from './schema';
import { FleetSpec, HostSpec } from './spec';

/**
 * Cross-field problems of an Alertmanager pair (`alerting.peerHost`): the peer is another host of
 * the fleet, both hosts gossip at an IP address, and neither the peer's HTTPS port nor the gossip
 * port takes a port already published on its host. The hub's own Alertmanager port is checked with
 * the rest of `alerting:` (alerting-checks.ts).
 */
export function checkAlertmanagerPair(file: FleetFile, spec: FleetSpec): PathProblem[] {
  const alerting = spec.alerting;
  if (!file.alerting || alerting?.peerHost === undefined) return [];
  const peerPath = ['alerting', 'peerHost'];
  const peer = spec.hosts.find((host) => host.name === alerting.peerHost);
  if (!peer) {
    return [{ path: peerPath, found: describeValue(alerting.peerHost), allowed: `the name of a host in this fleet: ${listSome(spec.hosts.map((host) => host.name))}` }];
  }
  if (peer.name === alerting.host) {
    return [{
      path: peerPath,
      found: describeValue(alerting.peerHost),
      allowed: `a host other than the hub's ("${alerting.host}", where the first Alertmanager runs): a pair on one host does not outlive that host`,
    }];
  }
  const hub = spec.hosts.find((host) => host.name === alerting.host);
  // An unknown hub host is reported with the store (store.host, else the interface's host).
  if (!hub) return [];
  const problems: PathProblem[] = [];
  for (const host of [hub, peer]) {
    if (gossipAddressOf(host.addresses) === undefined) {
      problems.push({
        path: peerPath,
        found: `host "${host.name}" with no IP address among its addresses (${listSome(host.addresses)})`,
        allowed: 'both hosts of the pair with an IP address in addresses: Alertmanager advertises its gossip at an IP address, and the gossip port is published on it alone',
      });
    }
  }
  const clusterPath = file.alerting.clusterPort === undefined ? peerPath : ['alerting', 'clusterPort'];
  const portPath = file.alerting.port === undefined ? peerPath : ['alerting', 'port'];
  const cluster = { port: alerting.clusterPort, owner: 'the Alertmanager gossip port' };
  const checks: { host: HostSpec; mine: (PublishedPort & { path: (string | number)[] })[] }[] = [
    { host: hub, mine: [{ ...cluster, path: clusterPath }] },
    { host: peer, mine: [{ port: alerting.port, owner: 'the peer Alertmanager', path: portPath }, { ...cluster, path: clusterPath }] },
  ];
  for (const { host, mine } of checks) {
    const published = [...portsPublishedOn(spec, host).map((entry) => ({ ...entry, path: peerPath })), ...mine];
    const clash = findPortClash(published);
    if (!clash) continue;
    // The clash names one of the pair's ports: the other ports were checked with their own sections.
    const ours = mine.includes(clash.entry) ? clash.entry : mine.includes(clash.clash) ? clash.clash : undefined;
    if (!ours) continue;
    const other = ours === clash.entry ? clash.clash : clash.entry;
    problems.push({
      path: ours.path,
      found: `port ${ours.port} for ${ours.owner}`,
      allowed: `a port not already published on host "${host.name}" (${other.owner} uses ${other.port})`,
    });
  }
  return problems;
}

/** The ports a host publishes without the pair: Prometheus, node_exporter, Grafana, and the hub's services on the hub's host. */
function portsPublishedOn(spec: FleetSpec, host: HostSpec): PublishedPort[] {
  const isHub = host.name === spec.alerting?.host;
  return [
    { port: host.ports.prometheus, owner: 'Prometheus' },
    ...(host.exporters.nodeExporter.enabled ? [{ port: host.ports.nodeExporter, owner: 'node_exporter' }] : []),
    ...(host.name === spec.interface.host ? [{ port: spec.interface.port, owner: 'Grafana' }] : []),
    ...(isHub && spec.alerting ? [{ port: spec.alerting.port, owner: 'Alertmanager' }] : []),
    ...(isHub && spec.store.enabled && spec.store.kind === 'embedded' ? [{ port: spec.store.port, owner: 'the fleet store' }] : []),
  ];
}
