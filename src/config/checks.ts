import { describeValue, listSome } from '../core/errors';
import { findPortClash, scrapeTimeoutProblem } from '../core/settings-rules';
import { SCAPHANDRE_FLOOR_REASON, SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS } from '../components/scaphandre/floor';
import { resolveStateBackend, stateLocation } from '../core/state-backend';
import { FleetFile } from './schema';
import { FleetSpec, hubStackOf } from './spec';
import { checkStore } from './store-checks';
import { TERRAFORM_IDENTIFIER } from './stack-names';
import { checkAlerting } from './alerting-checks';
import { checkAlertmanagerPair } from './alertmanager-pair-checks';
import { checkIpmi } from './ipmi-checks';
import { checkVmalert } from './vmalert-checks';
import { closestKey } from './suggest';
import { origin } from './origin';
import { collectorDatasourceUid, FLEET_DATASOURCE } from '../core/datasources';
import type { PathProblem } from './problems';

/** `; did you mean "web-1"?` when `written` is a likely typo of one of `names`. */
function didYouMean(written: string, names: readonly string[]): string {
  const meant = closestKey(written, names);
  return meant === undefined ? '' : `; did you mean ${describeValue(meant)}?`;
}

/**
 * Checks across fields, run on a structurally valid file after defaults: what no single field's
 * schema can see. Each problem points at the field where the offending value was written (a host's
 * own, else `defaults`, else the host entry when a built-in default is involved).
 */

export type { PathProblem } from './problems';

type Path = (string | number)[];

/** Every cross-field problem of `file` (already structurally valid), with `spec` its defaults applied. */
export function checkFleet(file: FleetFile, spec: FleetSpec): PathProblem[] {
  const problems: PathProblem[] = [];
  const hostNames = spec.hosts.map((host) => host.name);

  // Host names: unique, and giving distinct, valid stack names.
  const stackOwners = new Map<string, Path>([[spec.interface.stackName, ['interface']]]);
  // First index of each name: a map, since a fleet may have thousands of hosts.
  const firstIndex = new Map<string, number>();
  hostNames.forEach((name, index) => {
    if (!firstIndex.has(name)) firstIndex.set(name, index);
  });
  spec.hosts.forEach((host, index) => {
    const first = firstIndex.get(host.name) ?? index;
    if (first !== index) {
      problems.push({
        path: ['hosts', index, 'name'],
        found: describeValue(host.name),
        allowed: `a name no other host uses (hosts[${first}] is already "${host.name}")`,
      });
      return;
    }
    if (!TERRAFORM_IDENTIFIER.test(host.stackName)) {
      problems.push({ path: ['hosts', index, 'name'], found: describeValue(host.name), allowed: `a name giving a valid Terraform identifier as stack name (got "${host.stackName}")` });
    }
    const owner = stackOwners.get(host.stackName);
    if (owner) {
      problems.push({
        path: ['hosts', index, 'name'],
        found: describeValue(host.name),
        allowed: `a name whose stack name "${host.stackName}" is not already taken (by ${owner.join('.')})`,
      });
    }
    stackOwners.set(host.stackName, ['hosts', index]);
    // Grafana's datasource of this host must not take the fleet store's uid.
    if (spec.store.enabled && collectorDatasourceUid(host.name) === FLEET_DATASOURCE.uid) {
      problems.push({ path: ['hosts', index, 'name'], found: describeValue(host.name), allowed: `a name other than "${host.name}" while the fleet store is on: its Grafana datasource uid would be the fleet store's ("${FLEET_DATASOURCE.uid}")` });
    }
  });

  // Addresses: one machine each. DNS names compare case-insensitively.
  const addressOwners = new Map<string, number>();
  file.hosts.forEach((host, index) =>
    host.addresses.forEach((address, addressIndex) => {
      const key = address.toLowerCase();
      const owner = addressOwners.get(key);
      if (owner !== undefined && owner !== index) {
        problems.push({
          path: ['hosts', index, 'addresses', addressIndex],
          found: describeValue(address),
          allowed: `an address of this host only (hosts[${owner}] "${file.hosts[owner].name}" already has it)`,
        });
      } else {
        addressOwners.set(key, index);
      }
    }),
  );

  spec.hosts.forEach((host, index) => {
    // Published ports on one host must differ: Prometheus, node_exporter (host network), Grafana.
    const published: { port: number; owner: string; path: Path }[] = [
      { port: host.ports.prometheus, owner: 'Prometheus', path: origin(file, index, ['ports', 'prometheus']) },
    ];
    if (host.exporters.nodeExporter.enabled) {
      published.push({ port: host.ports.nodeExporter, owner: 'node_exporter', path: origin(file, index, ['ports', 'nodeExporter']) });
    }
    if (host.name === spec.interface.host) {
      published.push({ port: spec.interface.port, owner: 'Grafana', path: file.interface.port === undefined ? ['interface'] : ['interface', 'port'] });
    }
    const portClash = findPortClash(published);
    if (portClash) {
      const { entry, clash } = portClash;
      // Point at the port the user wrote, rather than at a built-in default it collides with.
      const written = entry.path.length >= clash.path.length ? entry : clash;
      problems.push({
        path: written.path,
        found: `port ${written.port} for ${written.owner}`,
        allowed: `a port not already published on host "${host.name}" (${(written === entry ? clash : entry).owner} uses ${clash.port})`,
      });
    }

    // Scaphandre without its own interval follows the host's: Scaphandre's floor applies to that one.
    if (
      host.exporters.scaphandre.enabled &&
      host.exporters.scaphandre.scrapeIntervalSeconds === undefined &&
      host.scrapeIntervalSeconds < SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS
    ) {
      problems.push({
        path: origin(file, index, ['scrapeIntervalSeconds']),
        found: describeValue(host.scrapeIntervalSeconds),
        allowed: `at least ${SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS} seconds while Scaphandre is enabled (${SCAPHANDRE_FLOOR_REASON}), or set exporters.scaphandre.scrapeIntervalSeconds`,
      });
    }
    const timeoutProblem = host.scrapeTimeoutSeconds === undefined ? undefined : scrapeTimeoutProblem(host.scrapeTimeoutSeconds, host.scrapeIntervalSeconds);
    if (timeoutProblem) {
      problems.push({ path: origin(file, index, ['scrapeTimeoutSeconds']), found: describeValue(host.scrapeTimeoutSeconds), allowed: timeoutProblem });
    }
  });

  // The interface runs on a host of the fleet.
  if (!firstIndex.has(spec.interface.host)) {
    problems.push({
      path: ['interface', 'host'],
      found: describeValue(spec.interface.host),
      allowed: `the name of a host in this fleet: ${listSome(hostNames)}${didYouMean(spec.interface.host, hostNames)}`,
    });
  }

  // Two stacks with one state location would overwrite each other's state.
  const locations = new Map<string, string>();
  const stacks = [
    ...spec.hosts.map((host, index) => ({ name: host.stackName, backend: host.backend, path: origin(file, index, ['backend']) })),
    {
      name: spec.interface.stackName,
      backend: spec.interface.backend,
      path: file.interface.backend ? ['interface', 'backend'] : file.defaults?.backend ? ['defaults', 'backend'] : ['interface'],
    },
    ...(hubStackOf(spec) ? [{ name: spec.store.stackName, backend: spec.store.backend, path: file.store?.backend ? ['store', 'backend'] : file.defaults?.backend ? ['defaults', 'backend'] : ['store'] }] : []),
  ];
  for (const stack of stacks) {
    const location = stateLocation(resolveStateBackend(stack.name, stack.backend));
    const owner = locations.get(location);
    if (owner !== undefined && owner !== stack.name) {
      problems.push({
        path: stack.path,
        found: `the same state as stack "${owner}" (${describeValue(location)})`,
        allowed: 'a state location of its own per stack: put "{stack}" in the key, path, schema or address',
      });
    } else {
      locations.set(location, stack.name);
    }
  }
  problems.push(...checkStore(file, spec));
  problems.push(...checkAlerting(file, spec));
  problems.push(...checkAlertmanagerPair(file, spec));
  problems.push(...checkIpmi(spec));
  problems.push(...checkVmalert(file, spec));
  return problems;
}
