import { TerraformVariable } from 'cdktf';
import { AlertReceiver } from '../hub/alertmanager';
import { CollectorStack } from './collector-stack';
import { FleetSpec } from '../config';
import { ReceiverEntry } from '../config/alerting-schema';
import { DOCKER_HOST_GATEWAY_NAME } from '../constructs/docker-service';
import { HubStack } from './hub-stack';
import { urlHost } from '../core/names';
import { suppliedPasswordVariables } from '../constructs/secret-variables';

/** The sensitive variable a receiver names, declared once in the hub stack (TF_VAR_<name>). */
function secretOf(hub: HubStack, name: string, what: string): string {
  const existing = hub.node.tryFindChild(name);
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

/**
 * Runs Alertmanager in the hub with the fleet file's receivers and routes, and points every
 * collector's Prometheus at it (HTTPS verified against the hub's CA, basic auth; the CA and password
 * cross stacks as references). The collector on the hub's host (else the first) probes every other
 * host's Prometheus port, so a whole host down fires `PeekStackHostDown` and silences its alerts.
 */
export function connectAlerting(fleet: FleetSpec, hub: HubStack | undefined, collectors: readonly CollectorStack[]): void {
  const alerting = fleet.alerting;
  if (!alerting || !hub) return;
  const alertmanager = hub.addAlertmanager({
    image: alerting.image,
    publishedPort: alerting.port,
    receivers: alerting.receivers.map((entry) => receiverOf(hub, entry)),
    defaultReceiver: alerting.defaultReceiver,
    routes: alerting.routes,
    groupWaitSeconds: alerting.groupWaitSeconds,
    groupIntervalSeconds: alerting.groupIntervalSeconds,
    repeatIntervalMinutes: alerting.repeatIntervalMinutes,
    // With `credentials: variables`, the password Prometheus sends comes from hub_alertmanager_password(_bcrypt).
    password: fleet.credentials === 'variables' ? suppliedPasswordVariables(hub, 'alertmanager', 'Alertmanager password') : undefined,
  });
  const user = hub.alertmanagerUser!;
  for (const stack of collectors) {
    // A collector on the hub's own host reaches the published port through the Docker host gateway.
    const host = stack.collector.hostName === hub.hostName ? DOCKER_HOST_GATEWAY_NAME : urlHost(hub.addresses[0]);
    stack.collector.addAlertmanager({
      name: 'hub',
      targets: [`${host}:${alertmanager.publishedPort}`],
      caCertificatePem: hub.caCertificatePem,
      basicAuth: { username: user.username, password: user.password },
    });
  }
  // Chosen and filled from the fleet, not from `collectors`: a synthesis of part of the fleet
  // (stacks/app.ts buildFleetPart) must give the prober's stack byte for byte as the whole fleet does.
  const proberName = fleet.hosts.some((host) => host.name === hub.hostName) ? hub.hostName : fleet.hosts[0].name;
  const prober = collectors.find((stack) => stack.collector.hostName === proberName);
  if (!prober?.collector.blackbox) return;
  for (const target of fleet.hosts) {
    if (target.name !== proberName) prober.collector.addHostProbe(target.name, `${urlHost(target.addresses[0])}:${target.ports.prometheus}`);
  }
}
