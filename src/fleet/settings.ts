import type { FleetSpec, HostSpec } from '../config';
import type { PathProblem } from '../config/problems';
import { LOCAL_DOCKER_ENDPOINT, validateDockerEndpoint } from '../core/docker-endpoint';
import { PeekStackValidationError } from '../core/errors';
import { checkStateBackend } from '../core/state-backend';
import { resolveHostIdentity } from '../collector/settings';
import { resolveCadvisorSettings } from '../components/cadvisor/settings';
import { resolveNodeExporterSettings } from '../components/node-exporter/settings';
import { assertModelHasCpuTime } from '../components/platform-power/model';
import { resolvePrometheusSettings, resolveScrapeJobInterval } from '../components/prometheus/settings';
import { SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS } from '../components/scaphandre/floor';
import { resolveScaphandreSettings } from '../components/scaphandre/settings';
import { resolveFleetStoreSettings } from '../hub/fleet-store-settings';
import { resolveGrafanaSettings } from '../interface/grafana-settings';
import type { CollectorStackProps } from './collector-stack';
import type { HubStackProps } from './hub-stack';

/**
 * One mapping from the typed fleet to the stacks' props, and one set of checks on them: the Fleet
 * builds its stacks from these props, and `peekstack validate` runs on the same props the very
 * functions the constructs run (`resolve*Settings`, `resolveHostIdentity`, the Docker endpoint and
 * state backend checks), so the two agree by construction. Pure: no cdktf is loaded (types only).
 */

/** A host's CollectorStack props as the fleet file sets them (where it writes and sends alerts aside). */
export function collectorStackPropsOf(fleet: FleetSpec, host: HostSpec): CollectorStackProps {
  return {
    hostName: host.name,
    addresses: host.addresses,
    docker: host.docker,
    backend: host.backend,
    secrets: fleet.credentials,
    prometheus: {
      image: host.images.prometheus,
      publishedPort: host.ports.prometheus,
      scrapeIntervalSeconds: host.scrapeIntervalSeconds,
      scrapeTimeoutSeconds: host.scrapeTimeoutSeconds,
      retentionDays: host.retentionDays,
      retentionSizeGigabytes: host.retentionSizeGigabytes,
    },
    nodeExporter: { ...host.exporters.nodeExporter, port: host.ports.nodeExporter },
    cadvisor: host.exporters.cadvisor,
    scaphandre: host.exporters.scaphandre,
    accounting: host.accounting,
    alertThresholds: host.alertThresholds,
    dcgm: host.exporters.dcgm,
    // Secrets by the names of the stack's variables: CollectorStack declares them.
    ipmi: host.ipmi,
    platformPower: host.power,
  };
}

/** The HubStack props of a fleet with a hub (its Alertmanager aside), on the store's host. */
export function hubStackPropsOf(fleet: FleetSpec, host: HostSpec): Omit<HubStackProps, 'alertmanager'> {
  return {
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
    vmalert: fleet.vmalert.enabled
      ? { hosts: fleet.hosts.map((each) => each.name), budget: fleet.vmalert.budget, evaluationIntervalSeconds: fleet.vmalert.evaluationIntervalSeconds, image: fleet.vmalert.image }
      : false,
  };
}

/** Grafana's settings as the fleet file sets them (the interface stack's Grafana). */
export function grafanaPropsOf(fleet: FleetSpec): { readonly image: string; readonly publishedPort: number } {
  return { image: fleet.interface.image, publishedPort: fleet.interface.port };
}

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

/**
 * Every problem the stacks' constructs would raise on the settings of `fleet`, found with the
 * constructs' own checks on the props the Fleet gives them, without building a stack.
 */
export function fleetSettingsProblems(fleet: FleetSpec): PathProblem[] {
  const problems: PathProblem[] = [];
  fleet.hosts.forEach((host, index) => {
    const props = collectorStackPropsOf(fleet, host);
    const enabled = (options: { readonly enabled?: boolean } | undefined) => options?.enabled !== false;
    collect(['hosts', index], [
      () => validateDockerEndpoint('CollectorStack.docker', props.docker ?? LOCAL_DOCKER_ENDPOINT),
      () => checkStateBackend(host.stackName, props.backend),
      () => resolveHostIdentity('Collector', props),
      () => {
        const prometheus = resolvePrometheusSettings(props.prometheus ?? {});
        // The scaphandre job: its own interval, else Prometheus's, never under Scaphandre's floor.
        if (enabled(props.scaphandre)) resolveScrapeJobInterval({ jobName: 'scaphandre', scrapeIntervalSeconds: props.scaphandre?.scrapeIntervalSeconds, minScrapeIntervalSeconds: SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS }, prometheus.scrapeIntervalSeconds);
      },
      ...(enabled(props.nodeExporter) ? [() => resolveNodeExporterSettings(props.nodeExporter ?? {})] : []),
      () => assertModelHasCpuTime('CollectorStack.platformPower.model', props.platformPower?.model, enabled(props.nodeExporter)),
      ...(enabled(props.cadvisor) ? [() => resolveCadvisorSettings(props.cadvisor ?? {})] : []),
      ...(enabled(props.scaphandre) ? [() => resolveScaphandreSettings(props.scaphandre ?? {})] : []),
    ], problems);
  });

  const storeHost = fleet.hosts.find((host) => host.name === fleet.store.host);
  const hubName = fleet.store.stackName;
  if (storeHost !== undefined && ((fleet.store.enabled && fleet.store.kind === 'embedded') || fleet.alerting)) {
    const props = hubStackPropsOf(fleet, storeHost);
    collect(['store'], [
      () => validateDockerEndpoint('HubStack.docker', props.docker ?? LOCAL_DOCKER_ENDPOINT),
      () => checkStateBackend(hubName, props.backend),
      () => resolveHostIdentity('HubStack', props),
      ...(props.fleetStore ? [() => resolveFleetStoreSettings(props.fleetStore || {})] : []),
    ], problems);
  }

  const ui = fleet.interface;
  const uiHost = fleet.hosts.find((host) => host.name === ui.host);
  collect(['interface'], [
    ...(uiHost ? [() => validateDockerEndpoint('InterfaceStack.docker', uiHost.docker)] : []),
    () => checkStateBackend(ui.stackName, ui.backend),
    () => resolveGrafanaSettings(grafanaPropsOf(fleet)),
  ], problems);
  return problems;
}
