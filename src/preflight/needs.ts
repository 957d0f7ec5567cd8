/**
 * What a stack asks of its host, read from the typed fleet (pure: no I/O, no cdktf). The checks in
 * `interpret.ts` compare these needs with what `gather.ts` found on the host.
 */
import type { FleetSpec, HostSpec } from '../config';
import { hubStackOf } from '../config/spec';
import { DEFAULT_IMAGES } from '../core/images';
import type { DockerEndpoint } from '../core/docker-endpoint';

/** The oldest Docker Engine API the stacks accept, and why. */
export const MINIMUM_ENGINE = {
  apiVersion: '1.41',
  engineVersion: '20.10',
  reason:
    'Prometheus, Grafana and the blackbox exporter reach the host as host.docker.internal through `extra_hosts ... host-gateway` ' +
    '(src/docker-service.ts), which Docker Engine 20.10 (API 1.41) introduced; 20.10 is also the first engine that runs on cgroup v2. ' +
    'The hub is held to the same floor: one minimum for the whole fleet.',
} as const;

/**
 * Docker Engine 29 accepts only API 1.44 and later; cAdvisor before v0.54.0 speaks an older API to
 * the engine and gets no container (google/cadvisor#3749, #3793).
 */
export const CADVISOR_DOCKER29 = { minApiOfDocker29: '1.44', fixedIn: '0.54.0' } as const;

/** Estimated fleet-store disk per collector per day (README "Sizing": 65-85 MiB; the upper figure). */
export const STORE_BYTES_PER_HOST_DAY = 85 * 1024 * 1024;

/** A port the stack publishes (or listens on in the host's network namespace). */
export interface PortNeed {
  readonly port: number;
  /** What listens there, e.g. `Prometheus (HTTPS)`. */
  readonly what: string;
  /** The stack's own container that holds it once deployed (a redeploy replaces it: no conflict). */
  readonly container: string;
  readonly stack: string;
}

/** Disk the stack's data may grow to on the Docker root dir's filesystem. */
export interface DiskNeed {
  readonly bytes: number;
  readonly stack: string;
  /** How the figure is made, in words. */
  readonly reason: string;
}

/** What the selected stacks of one host need from it. */
export interface HostNeeds {
  /** Host name (the fleet file's). */
  readonly host: string;
  readonly endpoint: DockerEndpoint;
  /** Selected stacks on this host, in apply order. */
  readonly stacks: readonly string[];
  readonly ports: readonly PortNeed[];
  readonly disk: readonly DiskNeed[];
  /** A collector stack with Scaphandre on this host. */
  readonly scaphandre: boolean;
  /** A collector stack with node_exporter on this host (it reads RAPL through /host/sys). */
  readonly nodeExporter: boolean;
  /** The cAdvisor image the collector pins, when cAdvisor is on. */
  readonly cadvisorImage?: string;
  /** The DCGM (GPU) exporter is on. */
  readonly dcgm: boolean;
  /** The IPMI exporter reads the host's BMC in-band (through /dev/ipmi0). */
  readonly ipmiInBand: boolean;
  /** Images the selected stacks run here, in the order a probe should try them (node_exporter's first). */
  readonly images: readonly string[];
}

const GIB = 1024 ** 3;

function collectorNeeds(host: HostSpec): Omit<HostNeeds, 'host' | 'endpoint' | 'stacks'> {
  const stack = host.stackName;
  const ex = host.exporters;
  const ports: PortNeed[] = [{ port: host.ports.prometheus, what: 'Prometheus (HTTPS)', container: 'peekstack-prometheus', stack }];
  if (ex.nodeExporter.enabled) ports.push({ port: host.ports.nodeExporter, what: "node_exporter (host network)", container: 'peekstack-node-exporter', stack });
  const images = [ex.nodeExporter.image, host.images.prometheus, ex.cadvisor.image, ex.scaphandre.image, DEFAULT_IMAGES.blackboxExporter];
  return {
    ports,
    disk: [
      {
        bytes: host.retentionSizeGigabytes * GIB,
        stack,
        reason: `Prometheus keeps ${host.retentionDays} days, at most ${host.retentionSizeGigabytes} GiB (retentionSizeGigabytes)`,
      },
    ],
    scaphandre: ex.scaphandre.enabled,
    nodeExporter: ex.nodeExporter.enabled,
    cadvisorImage: ex.cadvisor.enabled ? ex.cadvisor.image : undefined,
    dcgm: ex.dcgm.enabled,
    ipmiInBand: host.ipmi?.mode === 'in-band',
    images: ex.nodeExporter.enabled ? images : images.slice(1).concat(ex.nodeExporter.image),
  };
}

/**
 * The needs of each host that runs one of `stacks` (stack names of `fleet`), in fleet order. A host
 * running several stacks (hub, a collector and the interface) gets their needs added up.
 */
export function hostNeeds(fleet: FleetSpec, stacks: readonly string[]): HostNeeds[] {
  const selected = new Set(stacks);
  const byHost = new Map<string, { ports: PortNeed[]; disk: DiskNeed[]; stacks: string[]; images: string[]; scaphandre: boolean; nodeExporter: boolean; cadvisorImage?: string; dcgm: boolean; ipmiInBand: boolean }>();
  const entry = (hostName: string) => {
    let e = byHost.get(hostName);
    if (!e) {
      e = { ports: [], disk: [], stacks: [], images: [], scaphandre: false, nodeExporter: false, dcgm: false, ipmiInBand: false };
      byHost.set(hostName, e);
    }
    return e;
  };
  const hub = hubStackOf(fleet);
  if (hub && selected.has(hub)) {
    const e = entry(fleet.store.host);
    e.stacks.push(hub);
    if (fleet.store.enabled && fleet.store.kind === 'embedded') {
      e.ports.push({ port: fleet.store.port, what: 'fleet store (vmauth, HTTPS)', container: 'peekstack-vmauth', stack: hub });
      const writers = fleet.hosts.length;
      e.disk.push({
        bytes: fleet.store.retentionDays * writers * STORE_BYTES_PER_HOST_DAY,
        stack: hub,
        reason: `the fleet store keeps ${fleet.store.retentionDays} days of ${writers} collector(s) at ~85 MiB per host per day (README "Sizing")`,
      });
      e.images.push(DEFAULT_IMAGES.victoriaMetrics, DEFAULT_IMAGES.vmauth);
    }
    if (fleet.alerting) {
      e.ports.push({ port: fleet.alerting.port, what: 'Alertmanager (HTTPS)', container: 'peekstack-alertmanager', stack: hub });
      e.images.push(fleet.alerting.image);
    }
  }
  for (const host of fleet.hosts) {
    if (!selected.has(host.stackName)) continue;
    const e = entry(host.name);
    const c = collectorNeeds(host);
    e.stacks.push(host.stackName);
    e.ports.push(...c.ports);
    e.disk.push(...c.disk);
    e.images.unshift(...c.images);
    e.scaphandre ||= c.scaphandre;
    e.nodeExporter ||= c.nodeExporter;
    e.cadvisorImage ??= c.cadvisorImage;
    e.dcgm ||= c.dcgm;
    e.ipmiInBand ||= c.ipmiInBand;
  }
  const ui = fleet.interface;
  if (selected.has(ui.stackName)) {
    const e = entry(ui.host);
    e.stacks.push(ui.stackName);
    e.ports.push({ port: ui.port, what: 'Grafana (HTTPS)', container: 'peekstack-grafana', stack: ui.stackName });
    e.images.push(ui.image);
  }
  const order = fleet.hosts.map((h) => h.name);
  return [...byHost.entries()]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([hostName, e]) => {
      const spec = fleet.hosts.find((h) => h.name === hostName);
      if (!spec) throw new Error(`host ${hostName} runs a stack but is not in the fleet`);
      return { host: hostName, endpoint: spec.docker, ...e, images: [...new Set(e.images)] };
    });
}
