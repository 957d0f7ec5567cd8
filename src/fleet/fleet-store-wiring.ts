import { hubStackPropsOf } from './settings';
import { inConstruct } from '../core/errors';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { TerraformStack } from 'cdktf';
import { hubAlertmanagerOptions } from './alerting-wiring';
import { FleetSpec, hubStackOf } from '../config';
import { storeCaPath } from '../config/store-checks';
import { externalStoreEndpoints, ExternalStoreKind } from '../core/external-store';
import { FleetReadTarget, FleetWriteTarget } from '../hub/fleet-store';
import { HubStack } from './hub-stack';
import { sensitiveVariable } from '../constructs/secret-variables';

/**
 * The hub stack of a fleet with the embedded store or alerting, built first: collectors and the
 * interface read it. Its Alertmanager (with the fleet's receivers) is built with it.
 */
export function hubStackFor(app: Construct, fleet: FleetSpec): HubStack | undefined {
  const name = hubStackOf(fleet);
  if (!name) return undefined;
  const host = fleet.hosts.find((candidate) => candidate.name === fleet.store.host)!;
  return inConstruct({ node: { path: name } }, () => new HubStack(app, name, {
    // The props `peekstack validate` checks (settings.ts), and its Alertmanager.
    ...hubStackPropsOf(fleet, host),
    alertmanager: fleet.alerting ? (hub) => hubAlertmanagerOptions(fleet, hub) : undefined,
  }));
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
 * Where a fleet's collectors write and its interface reads: the hub's embedded store, or the
 * external one of the fleet file; none with `store: { enabled: false }`. Known before any collector
 * or interface is built, and given to them at construction.
 */
export interface FleetStoreTargets {
  /** The remote_write of the collector of `hostName`, in that collector's `stack` (its own variables). */
  readonly write: (stack: TerraformStack, hostName: string) => FleetWriteTarget;
  /** Grafana's fleet datasource, in the interface's `stack`. */
  readonly read: (stack: TerraformStack) => FleetReadTarget;
}

/** The fleet store targets of `fleet` (whose hub, when it has one, is `hub`). */
export function fleetStoreTargetsOf(fleet: FleetSpec, hub: HubStack | undefined): FleetStoreTargets | undefined {
  if (!fleet.store.enabled) return undefined;
  if (hub?.fleetStore) {
    const store = hub.fleetStore;
    return {
      // A container on the hub's own host reaches the store through the Docker host gateway.
      write: (_stack, hostName) => store.writeTarget(hostName === hub.hostName),
      read: () => ({ ...store.readTarget(fleet.interface.host === hub.hostName), scrapeIntervalSeconds: coarsestInterval(fleet) }),
    };
  }
  const endpoints = externalStoreEndpoints({ kind: fleet.store.kind as ExternalStoreKind, url: fleet.store.url!, queryUrl: fleet.store.queryUrl, tenant: fleet.store.tenant });
  const caCertificatePem = fleet.store.caFile ? readFileSync(storeCaPath(fleet.file, fleet.store.caFile), 'utf8') : undefined;
  return {
    write: (stack, hostName) => ({ url: endpoints.writeUrl, caCertificatePem, headers: endpoints.writeHeaders, ...externalAuth(stack, fleet, fleet.store.username, `host "${hostName}"`) }),
    read: (stack) => ({
      url: endpoints.queryUrl,
      caCertificatePem,
      httpHeaders: endpoints.queryHeaders,
      ...externalAuth(stack, fleet, fleet.store.username, 'Grafana'),
      scrapeIntervalSeconds: coarsestInterval(fleet),
    }),
  };
}
