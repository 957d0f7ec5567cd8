import { FLEET_STORE_DEFAULTS, PROMETHEUS_DEFAULTS } from '../core/defaults';
import { validateDockerEndpoint } from '../core/docker-endpoint';
import { PeekStackValidationError } from '../core/errors';
import { HOST_NAME_ALLOWED, HOST_NAME_PATTERN } from '../core/names';
import { assertScaphandreInterval } from '../components/scaphandre/floor';
import { scrapeTimeoutProblem } from '../core/settings-rules';
import { assertNoCredentials, resolveStateBackend, StateBackend } from '../core/state-backend';
import { assertAddress, assertIntegerInRange, assertMatches, assertPinnedImage, assertPort } from '../core/validate';
import { PathProblem } from './checks';
import { FleetSpec, hubStackOf } from './spec';

/**
 * The checks the stacks' constructs make on values that come from the fleet file, run on the fleet
 * itself with the constructs' own assertion functions and field names, so that `peekstack validate`
 * finds what building the stacks would refuse without loading cdktf (test/config/construct-checks.test.ts
 * compares the two over a set of bad fleets).
 *
 * Most of these are also in the schema, in its own words; they stay here so that a gap between the
 * schema and a construct is still caught before synthesis. Checks across hosts (ports shared with
 * Grafana, duplicate names) are checks.ts's.
 */

/** One construct check: a field name the construct uses, and the assertion it runs. */
type Check = () => unknown;

/** Runs `checks`, turning each refused value into a problem at `path`. */
function collect(path: readonly (string | number)[], checks: readonly Check[], problems: PathProblem[]): void {
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof PeekStackValidationError)) throw error;
      problems.push({ path, found: error.received, allowed: `${error.allowed} (${error.field})` });
    }
  }
}

/** The checks applyStateBackend (state-backend-apply.ts) makes on a resolved backend. */
function backendChecks(stackName: string, backend: StateBackend): Check[] {
  const resolved = resolveStateBackend(stackName, backend);
  switch (resolved.type) {
    case 'pg':
      return [() => assertNoCredentials('StateBackend.connStr', resolved.connStr)];
    case 'http':
      return [() => assertNoCredentials('StateBackend.address', resolved.address), () => assertNoCredentials('StateBackend.lockAddress', resolved.lockAddress)];
    default:
      return [];
  }
}

/** Every problem the constructs would raise on the values of `fleet`. */
export function checkFleetForConstructs(fleet: FleetSpec): PathProblem[] {
  const problems: PathProblem[] = [];
  fleet.hosts.forEach((host, index) => {
    const { nodeExporter, cadvisor, scaphandre } = host.exporters;
    // As Prometheus applies them (prometheus.ts): its timeout defaults to 10 s, or the interval if shorter.
    const bounds = PROMETHEUS_DEFAULTS.bounds;
    const timeout = host.scrapeTimeoutSeconds ?? Math.min(PROMETHEUS_DEFAULTS.scrapeTimeoutSeconds, host.scrapeIntervalSeconds);
    collect(['hosts', index], [
      // CollectorStack
      () => validateDockerEndpoint('CollectorStack.docker', host.docker),
      ...backendChecks(host.stackName, host.backend),
      // Collector
      () => assertMatches('Collector.hostName', host.name, HOST_NAME_PATTERN, HOST_NAME_ALLOWED),
      () => {
        if (host.addresses.length === 0) throw new PeekStackValidationError('Collector.addresses', host.addresses, 'at least one DNS name or IP address of the host');
      },
      ...host.addresses.map((address, i) => () => assertAddress(`Collector.addresses[${i}]`, address)),
      // Prometheus
      () => assertPinnedImage('Prometheus.image', host.images.prometheus),
      () => assertPort('Prometheus.publishedPort', host.ports.prometheus),
      () => assertIntegerInRange('Prometheus.scrapeIntervalSeconds', host.scrapeIntervalSeconds, bounds.intervalSeconds.min, bounds.intervalSeconds.max, 'seconds'),
      () => {
        assertIntegerInRange('Prometheus.scrapeTimeoutSeconds', timeout, bounds.intervalSeconds.min, bounds.intervalSeconds.max, 'seconds');
        const problem = scrapeTimeoutProblem(timeout, host.scrapeIntervalSeconds);
        if (problem) throw new PeekStackValidationError('Prometheus.scrapeTimeoutSeconds', timeout, `${problem}, Prometheus.scrapeIntervalSeconds`);
      },
      () => assertIntegerInRange('Prometheus.retentionDays', host.retentionDays, bounds.retentionDays.min, bounds.retentionDays.max, 'days'),
      () => assertIntegerInRange('Prometheus.retentionSizeGigabytes', host.retentionSizeGigabytes, bounds.retentionSizeGigabytes.min, bounds.retentionSizeGigabytes.max, 'GiB'),
      // Exporters
      ...(nodeExporter.enabled ? [() => assertPinnedImage('NodeExporter.image', nodeExporter.image), () => assertPort('NodeExporter.port', host.ports.nodeExporter)] : []),
      ...(cadvisor.enabled ? [() => assertPinnedImage('Cadvisor.image', cadvisor.image)] : []),
      ...(scaphandre.enabled
        ? [
            () => assertPinnedImage('Scaphandre.image', scaphandre.image),
            // The job's interval: Scaphandre's own, else the host's (Prometheus applies the floor to both).
            () => assertScaphandreInterval('Scaphandre.scrapeIntervalSeconds', scaphandre.scrapeIntervalSeconds ?? host.scrapeIntervalSeconds),
          ]
        : []),
    ], problems);
  });

  // The hub (stacks/fleet-store-wiring.ts): on the store's host, deduplicating at the fleet's finest interval.
  const hub = hubStackOf(fleet);
  const storeHost = fleet.hosts.find((host) => host.name === fleet.store.host);
  if (hub !== undefined && storeHost !== undefined) {
    const retention = FLEET_STORE_DEFAULTS.bounds.retentionDays;
    collect(['store'], [
      () => validateDockerEndpoint('HubStack.docker', storeHost.docker),
      ...backendChecks(hub, fleet.store.backend),
      () => assertMatches('HubStack.hostName', storeHost.name, HOST_NAME_PATTERN, HOST_NAME_ALLOWED),
      ...storeHost.addresses.map((address, i) => () => assertAddress(`FleetStore.addresses[${i}]`, address)),
      () => assertIntegerInRange('FleetStore.retentionDays', fleet.store.retentionDays, retention.min, retention.max, 'days'),
      () => assertIntegerInRange('FleetStore.dedupMinScrapeIntervalSeconds', Math.min(...fleet.hosts.flatMap((host) => [host.scrapeIntervalSeconds, host.exporters.scaphandre.scrapeIntervalSeconds ?? host.scrapeIntervalSeconds])), 1, 3600, 'seconds (the collectors\' scrape interval)'),
      () => assertPort('FleetStore.publishedPort', fleet.store.port),
    ], problems);
  }

  const ui = fleet.interface;
  const uiHost = fleet.hosts.find((host) => host.name === ui.host);
  collect(['interface'], [
    ...(uiHost ? [() => validateDockerEndpoint('InterfaceStack.docker', uiHost.docker)] : []),
    ...backendChecks(ui.stackName, ui.backend),
    () => assertPinnedImage('Grafana.image', ui.image),
    () => assertPort('Grafana.publishedPort', ui.port),
  ], problems);
  return problems;
}
