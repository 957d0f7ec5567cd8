import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeValue } from '../core/errors';
import type { PathProblem } from './problems';
import { FleetFile } from './schema';
import { FleetSpec, hubStackOf } from './spec';
import { origin } from './origin';

/** Keys of `store:` that only the embedded store has, and those only an external store has. */
const EMBEDDED_ONLY = ['host', 'port', 'retentionDays', 'backend'] as const;
const EXTERNAL_ONLY = ['url', 'queryUrl', 'tenant', 'caFile', 'auth', 'username'] as const;

/** The CA file of an external store, as the app reads it: relative to the fleet file. */
export function storeCaPath(fleetFile: string, caFile: string): string {
  return resolve(dirname(fleetFile), caFile);
}

/** Cross-field problems of `store:` (already structurally valid). */
export function checkStore(file: FleetFile, spec: FleetSpec): PathProblem[] {
  const store = file.store;
  if (!store) return checkHubHost(file, spec);
  const problems: PathProblem[] = [];
  const kind = spec.store.kind;
  const misplaced = kind === 'embedded' ? EXTERNAL_ONLY : EMBEDDED_ONLY;
  for (const key of misplaced) {
    if (store[key] === undefined) continue;
    problems.push({
      path: ['store', key],
      found: key === 'tenant' && kind === 'embedded' ? `a tenant without an external store (kind "${kind}")` : `"${key}" with kind "${kind}"`,
      allowed:
        kind === 'embedded'
          ? `"${key}" only with an external store (kind victoriametrics-cluster, mimir or thanos); the embedded store is multi-host, not multi-tenant`
          : `"${key}" only with the embedded store (kind embedded): an external store is run by you`,
    });
  }
  if (kind !== 'embedded' && spec.store.enabled && store.url === undefined) {
    problems.push({ path: ['store'], found: `kind "${kind}" without url`, allowed: 'a url: the base URL of the external store\'s write endpoint' });
  }
  if (spec.store.auth === 'basic' && kind !== 'embedded' && store.username === undefined) {
    problems.push({ path: ['store'], found: 'auth "basic" without username', allowed: 'a username (its password comes from a sensitive variable), or auth: bearer / none' });
  }
  if (spec.store.auth !== 'basic' && store.username !== undefined) {
    problems.push({ path: ['store', 'username'], found: describeValue(store.username), allowed: 'a username only with auth: basic' });
  }
  if (kind === 'victoriametrics-cluster' && store.tenant !== undefined && !/^\d+(:\d+)?$/.test(store.tenant)) {
    problems.push({ path: ['store', 'tenant'], found: describeValue(store.tenant), allowed: 'a VictoriaMetrics account id: an integer, or "accountID:projectID"' });
  }
  if (store.caFile !== undefined) {
    try {
      accessSync(storeCaPath(spec.file, store.caFile), constants.R_OK);
    } catch {
      problems.push({ path: ['store', 'caFile'], found: `${describeValue(store.caFile)} (not readable)`, allowed: 'a readable PEM file, relative to the fleet file' });
    }
  }
  problems.push(...checkHubHost(file, spec));
  return problems;
}

/**
 * The hub's host (`store.host`, else the interface's): a host of the fleet whenever there is a hub
 * (the embedded store, or Alertmanager alone), and, with the embedded store, a store port that no
 * other service publishes there.
 */
function checkHubHost(file: FleetFile, spec: FleetSpec): PathProblem[] {
  if (hubStackOf(spec) === undefined) return [];
  const store = file.store;
  const index = spec.hosts.findIndex((candidate) => candidate.name === spec.store.host);
  // Without store.host, the hub's host is the interface's, which checks.ts checks.
  if (index < 0) {
    if (store?.host === undefined) return [];
    return [{ path: ['store', 'host'], found: describeValue(spec.store.host), allowed: `the name of a host in this fleet: ${spec.hosts.map((candidate) => `"${candidate.name}"`).join(', ')}` }];
  }
  if (!(spec.store.enabled && spec.store.kind === 'embedded')) return [];
  const host = spec.hosts[index];
  const taken = [
    { port: host.ports.prometheus, owner: 'Prometheus', path: origin(file, index, ['ports', 'prometheus']) },
    ...(host.exporters.nodeExporter.enabled ? [{ port: host.ports.nodeExporter, owner: 'node_exporter', path: origin(file, index, ['ports', 'nodeExporter']) }] : []),
    ...(host.name === spec.interface.host ? [{ port: spec.interface.port, owner: 'Grafana', path: file.interface.port === undefined ? ['interface'] : ['interface', 'port'] }] : []),
  ].find((entry) => entry.port === spec.store.port);
  if (!taken) return [];
  if (store?.port === undefined && taken.path.length > 2) {
    // The store's default port, taken by a port the file sets: reported where that port is written.
    return [{ path: taken.path, found: `port ${taken.port} for ${taken.owner}`, allowed: `a port not already published on host "${host.name}" (the fleet store uses ${spec.store.port})` }];
  }
  return [{
    path: store?.port !== undefined ? ['store', 'port'] : ['store'],
    found: `port ${spec.store.port} for the fleet store`,
    allowed: `a port not already published on host "${host.name}" (${taken.owner} uses ${taken.port})`,
  }];
}
