import { describeValue, listSome, quote } from '../core/errors';
import { findPortClash } from '../core/settings-rules';
import { hubNameTaken } from '../core/hub-names';
import { assertPinnedImage } from '../core/validate';
import { PeekStackValidationError } from '../core/errors';
import type { PathProblem } from './problems';
import { FleetFile } from './schema';
import { FleetSpec } from './spec';

/** Cross-field problems of `alerting:`: routes and the default to receivers that exist, unique names, its host and port. */
export function checkAlerting(file: FleetFile, spec: FleetSpec): PathProblem[] {
  const alerting = file.alerting;
  if (!alerting || !spec.alerting) return [];
  const problems: PathProblem[] = [];
  const names = alerting.receivers.map((receiver) => receiver.name);
  const firstIndex = new Map<string, number>();
  names.forEach((name, index) => {
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, index);
    else problems.push({ path: ['alerting', 'receivers', index, 'name'], found: describeValue(name), allowed: `a name no other receiver uses (receivers[${first}] is already ${quote(name)})` });
  });
  const known = `the name of a receiver: ${listSome([...firstIndex.keys()])}`;
  (alerting.routes ?? []).forEach((route, index) => {
    if (!firstIndex.has(route.receiver)) problems.push({ path: ['alerting', 'routes', index, 'receiver'], found: describeValue(route.receiver), allowed: known });
  });
  if (alerting.defaultReceiver !== undefined && !firstIndex.has(alerting.defaultReceiver)) {
    problems.push({ path: ['alerting', 'defaultReceiver'], found: describeValue(alerting.defaultReceiver), allowed: known });
  }
  alerting.receivers.forEach((receiver, index) => {
    // A bearer token over plain HTTP is readable by anyone on the path: refused, with no opt-in.
    if (receiver.type === 'webhook' && receiver.secretVariable !== undefined && /^http:/i.test(receiver.url)) {
      problems.push({
        path: ['alerting', 'receivers', index, 'url'],
        found: `${describeValue(receiver.url)} with a token to send (secretVariable)`,
        allowed: 'an https:// URL when the webhook sends a token (over http:// the token travels in clear), or no secretVariable',
      });
    }
  });
  // A receiver's secret is a variable of the hub: not one of the hub's own names.
  alerting.receivers.forEach((receiver, index) => {
    const taken = receiver.secretVariable === undefined ? undefined : hubNameTaken(spec.store.stackName, receiver.secretVariable);
    if (taken) problems.push({ path: ['alerting', 'receivers', index, 'secretVariable'], found: describeValue(receiver.secretVariable), allowed: taken });
  });
  // The image, as the Alertmanager construct checks it.
  if (alerting.image !== undefined) {
    try {
      assertPinnedImage('Alertmanager.image', alerting.image);
    } catch (error) {
      if (!(error instanceof PeekStackValidationError)) throw error;
      problems.push({ path: ['alerting', 'image'], found: error.received, allowed: error.allowed });
    }
  }
  // The hub's host itself is checked with the store (store.host, else the interface's host).
  const host = spec.hosts.find((each) => each.name === spec.alerting!.host);
  if (host) {
    const ports = [
      { port: spec.alerting.port, owner: 'Alertmanager' },
      { port: host.ports.prometheus, owner: 'Prometheus' },
      ...(host.exporters.nodeExporter.enabled ? [{ port: host.ports.nodeExporter, owner: 'node_exporter' }] : []),
      ...(host.name === spec.interface.host ? [{ port: spec.interface.port, owner: 'Grafana' }] : []),
      ...(spec.store.enabled && spec.store.kind === 'embedded' ? [{ port: spec.store.port, owner: 'the fleet store' }] : []),
    ];
    const clash = findPortClash(ports);
    if (clash && (clash.entry.owner === 'Alertmanager' || clash.clash.owner === 'Alertmanager')) {
      const other = clash.entry.owner === 'Alertmanager' ? clash.clash : clash.entry;
      problems.push({
        path: alerting.port === undefined ? ['alerting'] : ['alerting', 'port'],
        found: `port ${spec.alerting.port} for Alertmanager`,
        allowed: `a port not already published on host "${host.name}" (${other.owner} uses ${other.port})`,
      });
    }
  }
  return problems;
}
