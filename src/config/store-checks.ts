import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeValue, listSome } from '../core/errors';
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

const CA_FILE_ALLOWED = 'a readable file of PEM CA certificates ("-----BEGIN CERTIFICATE-----"), relative to the fleet file';
/** A CA bundle is a few certificates: anything larger is not one (and is not read whole). */
const CA_FILE_MAX_BYTES = 1024 * 1024;
const PEM_MARKER = /-----(BEGIN|END) ([A-Z0-9 ]+)-----/g;

/** The PEM blocks of `text` (label and whole text), or undefined when a BEGIN has no matching END. */
function pemBlocks(text: string): { label: string; pem: string }[] | undefined {
  const blocks: { label: string; pem: string }[] = [];
  let open: RegExpExecArray | undefined;
  for (const marker of text.matchAll(PEM_MARKER)) {
    if (marker[1] === 'BEGIN') {
      if (open) return undefined;
      open = marker;
    } else {
      if (!open || open[2] !== marker[2]) return undefined;
      blocks.push({ label: open[2], pem: text.slice(open.index, marker.index + marker[0].length) });
      open = undefined;
    }
  }
  return open ? undefined : blocks;
}

/**
 * What is wrong with the store's CA file at `path`, or undefined when it is a bundle of PEM
 * certificates and nothing else: the file is uploaded into every collector, so a private key or any
 * other readable file given by mistake must not travel there.
 */
export function caFileProblem(path: string): string | undefined {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return 'a directory';
    if (!stat.isFile()) return 'not a regular file';
    size = stat.size;
  } catch {
    return 'not readable';
  }
  if (size > CA_FILE_MAX_BYTES) return `${size} bytes, more than a CA bundle (${CA_FILE_MAX_BYTES} at most)`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'not readable';
  }
  const blocks = pemBlocks(text);
  if (!blocks) return 'a PEM block without its END line';
  // Never show what else is in the file beyond its kind: it may be a key.
  const other = blocks.find((block) => block.label !== 'CERTIFICATE');
  if (other) return `holds a PEM block that is not a certificate (${other.label.includes('PRIVATE') ? 'a private key' : 'another kind'})`;
  if (blocks.length === 0) return 'no PEM certificate in it';
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block.pem);
    } catch {
      return `certificate ${index + 1} of ${blocks.length} does not parse`;
    }
  }
  return undefined;
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
    const wrong = caFileProblem(storeCaPath(spec.file, store.caFile));
    if (wrong) problems.push({ path: ['store', 'caFile'], found: `${describeValue(store.caFile)} (${wrong})`, allowed: CA_FILE_ALLOWED });
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
    return [{ path: ['store', 'host'], found: describeValue(spec.store.host), allowed: `the name of a host in this fleet: ${listSome(spec.hosts.map((candidate) => candidate.name))}` }];
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
