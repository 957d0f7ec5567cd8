import { hubNameTaken } from '../core/hub-names';
import { PeekStackValidationError } from '../core/errors';
import { TerraformVariable } from 'cdktf';
import { AlertReceiver } from '../hub/alertmanager';
import type { AlertmanagerEndpoint } from '../components/prometheus/prometheus';
import type { HostProbe } from '../components/collector-component';
import { FleetSpec } from '../config';
import { ReceiverEntry } from '../config/alerting-schema';
import { alertmanagerTargetsFrom, fleetAlertmanagers, gossipAddressOf } from '../config/alertmanagers';
import { HubAlertmanagerOptions, HubStack } from './hub-stack';
import { urlHost } from '../core/names';
import { suppliedPasswordVariables } from '../constructs/secret-variables';

/** The sensitive variable a receiver names, declared once in the hub stack (TF_VAR_<name>). */
function secretOf(hub: HubStack, name: string, what: string): string {
  const taken = hubNameTaken(hub.stackName, name);
  if (taken) throw new PeekStackValidationError('HubStack.alertmanager.receivers.secretVariable', name, taken);
  const existing = hub.node.tryFindChild(name);
  // Another receiver's (receivers may share one variable); anything else of the hub is refused above.
  if (existing instanceof TerraformVariable) return existing.stringValue;
  return new TerraformVariable(hub, name, { type: 'string', sensitive: true, nullable: false, description: `${what} (environment: TF_VAR_${name})` }).stringValue;
}

/** A receiver of the fleet file as the Alertmanager construct takes it, its secret a variable of the hub. */
function receiverOf(hub: HubStack, entry: ReceiverEntry): AlertReceiver {
  const secret = (what: string) => secretOf(hub, entry.secretVariable!, `${what} of receiver "${entry.name}"`);
  switch (entry.type) {
    case 'webhook':
      return { name: entry.name, kind: 'webhook', url: entry.url, bearerToken: entry.secretVariable ? secret('bearer token') : undefined };
    case 'email':
      return { name: entry.name, kind: 'email', to: entry.to, from: entry.from, smarthost: entry.smarthost, username: entry.username, password: secret('SMTP password') };
    case 'slack':
      return { name: entry.name, kind: 'slack', channel: entry.channel, webhookUrl: secret('Slack webhook URL') };
    case 'pagerduty':
      return { name: entry.name, kind: 'pagerduty', routingKey: secret('PagerDuty routing key') };
  }
}

/** The hub's Alertmanager as the fleet file's `alerting:` section sets it up: receivers' secrets are variables of the hub. */
export function hubAlertmanagerOptions(fleet: FleetSpec, hub: HubStack): HubAlertmanagerOptions {
  const alerting = fleet.alerting!;
  return {
    image: alerting.image,
    publishedPort: alerting.port,
    receivers: alerting.receivers.map((entry) => receiverOf(hub, entry)),
    defaultReceiver: alerting.defaultReceiver,
    routes: alerting.routes,
    groupWaitSeconds: alerting.groupWaitSeconds,
    groupIntervalSeconds: alerting.groupIntervalSeconds,
    repeatIntervalSeconds: alerting.repeatIntervalSeconds,
    heartbeat: alerting.heartbeat ? { url: secretOf(hub, alerting.heartbeat.secretVariable, 'heartbeat URL (dead man\'s switch)'), intervalSeconds: alerting.heartbeat.intervalSeconds } : undefined,
    // With `credentials: variables`, the password Prometheus sends comes from hub_alertmanager_password(_bcrypt).
    password: fleet.credentials === 'variables' ? suppliedPasswordVariables(hub, 'alertmanager', 'Alertmanager password') : undefined,
    ...alertmanagerPeerOf(fleet),
  };
}

/** The second Alertmanager of a pair (`alerting.peerHost`), as the hub deploys it; nothing for a single one. */
function alertmanagerPeerOf(fleet: FleetSpec): Pick<HubAlertmanagerOptions, 'peer' | 'clusterPort'> {
  const peer = fleetAlertmanagers(fleet).find((each) => each.role === 'peer');
  const host = fleet.hosts.find((candidate) => candidate.name === peer?.hostName);
  if (!peer || !host) return {};
  const gossipAddress = gossipAddressOf(host.addresses);
  if (gossipAddress === undefined) throw new PeekStackValidationError('HubStack.alertmanager.peer.gossipAddress', host.addresses, `an IP address among the addresses of host "${host.name}"`);
  return { peer: { hostName: host.name, addresses: host.addresses, gossipAddress, docker: host.docker }, clusterPort: fleet.alerting!.clusterPort };
}

/**
 * What the collector of `hostName` is told about alerting, at construction: every Alertmanager of
 * the fleet to send to (HTTPS verified against the hub's CA, basic auth; the CA and password cross stacks as
 * references), and, on the prober (the collector on the hub's host, else the first), every other
 * host's Prometheus port to probe, so a whole host down fires `PeekStackHostDown`.
 */
export function collectorAlertingOf(fleet: FleetSpec, hub: HubStack | undefined, hostName: string): { alertmanagers: AlertmanagerEndpoint[]; hostProbes: HostProbe[] } {
  if (!fleet.alerting || !hub?.alertmanager) return { alertmanagers: [], hostProbes: [] };
  const user = hub.alertmanagerUser!;
  // Every Alertmanager of the fleet (both of a pair: they deduplicate), one on the collector's own host through the Docker host gateway.
  const alertmanagers = [{ name: 'hub', targets: alertmanagerTargetsFrom(fleet, hostName), caCertificatePem: hub.caCertificatePem, basicAuth: { username: user.username, password: user.password } }];
  const proberName = fleet.hosts.some((candidate) => candidate.name === hub.hostName) ? hub.hostName : fleet.hosts[0].name;
  const hostProbes =
    hostName === proberName
      ? fleet.hosts.filter((target) => target.name !== proberName).map((target) => ({ hostName: target.name, address: `${urlHost(target.addresses[0])}:${target.ports.prometheus}` }))
      : [];
  return { alertmanagers, hostProbes };
}
