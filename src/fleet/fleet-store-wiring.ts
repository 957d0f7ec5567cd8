import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { CollectorStack } from './collector-stack';
import { FleetSpec, hubStackOf } from '../config';
import { storeCaPath } from '../config/store-checks';
import { externalStoreEndpoints, ExternalStoreKind } from '../core/external-store';
import { fleetRemoteWrite, FleetReadTarget, FleetWriteTarget } from '../hub/fleet-store';
import { HubStack } from './hub-stack';
import { InterfaceStack } from './interface-stack';
import { sensitiveVariable } from '../constructs/secret-variables';

/** The hub stack of a fleet with the embedded store, built first: collectors and the interface read it. */
export function hubStackFor(app: Construct, fleet: FleetSpec): HubStack | undefined {
  const name = hubStackOf(fleet);
  if (!name) return undefined;
  const host = fleet.hosts.find((candidate) => candidate.name === fleet.store.host)!;
  return new HubStack(app, name, {
    hostName: host.name,
    addresses: host.addresses,
    docker: host.docker,
    backend: fleet.store.backend,
    secrets: fleet.credentials,
    // The hub may exist for Alertmanager alone (an external store, or none).
    fleetStore: !(fleet.store.enabled && fleet.store.kind === 'embedded') ? false : {
      retentionDays: fleet.store.retentionDays,
      publishedPort: fleet.store.port,
      // The finest scrape interval of the fleet: a sample written twice (a replayed batch) is kept
      // once, and no job's own samples are thinned (a coarser interval would drop some of them).
      dedupMinScrapeIntervalSeconds: Math.min(...fleet.hosts.flatMap((candidate) => [candidate.scrapeIntervalSeconds, candidate.exporters.scaphandre.scrapeIntervalSeconds ?? candidate.scrapeIntervalSeconds])),
    },
  });
}

/** Grafana's minimum step on the fleet datasource: the coarsest host interval, so `$__rate_interval` holds enough samples of every host. */
function coarsestInterval(fleet: FleetSpec): number {
  return Math.max(...fleet.hosts.map((host) => host.scrapeIntervalSeconds));
}

/** How a stack authenticates to an external store: credentials from its own sensitive variables. */
function externalAuth(stack: Construct, fleet: FleetSpec, username: string | undefined, what: string): { basicAuth?: { username: string; password: string }; bearerToken?: string } {
  switch (fleet.store.auth) {
    case 'basic':
      return { basicAuth: { username: username!, password: sensitiveVariable(stack, 'fleet_store_password', `password of ${what} at the fleet store`) } };
    case 'bearer':
      return { bearerToken: sensitiveVariable(stack, 'fleet_store_token', `bearer token of ${what} at the fleet store`) };
    default:
      return {};
  }
}

/**
 * Wires every collector to the fleet store (remote_write) and the interface to it (the fleet
 * datasource and dashboard): the hub's embedded store, or the external one of the fleet file.
 */
export function connectFleetStore(fleet: FleetSpec, hub: HubStack | undefined, collectors: readonly CollectorStack[], interfaceStack?: InterfaceStack): void {
  if (!fleet.store.enabled) return;
  let write: (stack: CollectorStack) => FleetWriteTarget;
  // Only when the interface is built (a synthesis of some collectors alone builds none: stacks/app.ts).
  let read: (ui: InterfaceStack) => FleetReadTarget;
  if (hub?.fleetStore) {
    const store = hub.fleetStore;
    // A container on the hub's own host reaches the store through the Docker host gateway.
    write = (stack) => store.writeTarget(stack.collector.hostName === hub.hostName);
    read = () => ({ ...store.readTarget(fleet.interface.host === hub.hostName), scrapeIntervalSeconds: coarsestInterval(fleet) });
  } else {
    const endpoints = externalStoreEndpoints({ kind: fleet.store.kind as ExternalStoreKind, url: fleet.store.url!, queryUrl: fleet.store.queryUrl, tenant: fleet.store.tenant });
    const caCertificatePem = fleet.store.caFile ? readFileSync(storeCaPath(fleet.file, fleet.store.caFile), 'utf8') : undefined;
    write = (stack) => ({ url: endpoints.writeUrl, caCertificatePem, headers: endpoints.writeHeaders, ...externalAuth(stack, fleet, fleet.store.username, `host "${stack.collector.hostName}"`) });
    read = (ui) => ({
      url: endpoints.queryUrl,
      caCertificatePem,
      httpHeaders: endpoints.queryHeaders,
      ...externalAuth(ui, fleet, fleet.store.username, 'Grafana'),
      scrapeIntervalSeconds: coarsestInterval(fleet),
    });
  }
  for (const stack of collectors) stack.collector.prometheus.addRemoteWrite(fleetRemoteWrite(write(stack)));
  if (interfaceStack) interfaceStack.interface.addFleetStore(read(interfaceStack));
}
