import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { CollectorStack, CollectorStackStandIn } from './collector-stack';
import { FleetSpec, HostSpec } from '../config';
import { hubStackOf } from '../config/spec';
import { HubStack } from './hub-stack';
import { CollectorView, prometheusSourceOf, publishedPortsOf } from '../interface/interface';
import { InterfaceStack } from './interface-stack';
import { connectFleetStore, hubStackFor } from './fleet-store-wiring';
import { connectAlerting } from './alerting-wiring';

/** The stacks of a fleet, by role. */
export interface FleetStacks {
  /** The fleet store and other shared services, named `hub`, applied first; none with an external store or `store: { enabled: false }`. */
  readonly hub?: HubStack;
  /** One per host, in fleet order, named `collector-<host>`. */
  readonly collectors: readonly CollectorStack[];
  /** Grafana, named `interface`. */
  readonly interface: InterfaceStack;
}

/** One host's CollectorStack, settings mapped from the fleet file. */
function collectorStackFor(scope: Construct, host: HostSpec, credentials: FleetSpec['credentials']): CollectorStack {
  const stack = new CollectorStack(scope, host.stackName, {
    hostName: host.name,
    addresses: host.addresses,
    docker: host.docker,
    backend: host.backend,
    secrets: credentials,
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
  });
  return stack;
}

/** The fleet's InterfaceStack, reading `collectors` (every host's, in fleet order, whole or stand-ins). */
function interfaceStackFor(scope: Construct, fleet: FleetSpec, collectors: readonly { readonly collector: CollectorView }[]): InterfaceStack {
  const interfaceHost = fleet.hosts.find((host) => host.name === fleet.interface.host);
  const colocated = collectors.find((stack) => stack.collector.hostName === fleet.interface.host)?.collector;
  return new InterfaceStack(scope, fleet.interface.stackName, {
    collectors: collectors.map((stack) => stack.collector),
    colocatedCollector: colocated,
    docker: interfaceHost?.docker,
    backend: fleet.interface.backend,
    addresses: interfaceHost?.addresses,
    secrets: fleet.credentials,
    grafana: { image: fleet.interface.image, publishedPort: fleet.interface.port },
  });
}

/**
 * Adds a fleet's stacks to `app`: the {@link HubStack} (fleet store) every collector remote_writes to,
 * one {@link CollectorStack} per host and one {@link InterfaceStack}
 * whose Grafana has every host's Prometheus as a datasource (cdktf turns the references into
 * outputs and remote-state reads, so the interface stack is applied after the collectors).
 */
export function buildFleetApp(app: Construct, fleet: FleetSpec): FleetStacks {
  const hub = hubStackFor(app, fleet);
  const collectors = fleet.hosts.map((host) => collectorStackFor(app, host, fleet.credentials));
  const interfaceStack = interfaceStackFor(app, fleet, collectors);
  connectFleetStore(fleet, hub, collectors, interfaceStack);
  connectAlerting(fleet, hub, collectors);
  return { hub, collectors, interface: interfaceStack };
}

/** The stacks of one synthesis of part of a fleet. */
export interface FleetPart {
  /** The stacks to write. */
  readonly synthesized: readonly TerraformStack[];
  /**
   * Stacks only prepared, never written: they read the written ones, and reading a stack's value
   * from another stack is what makes cdktf add the cross-stack outputs to the stack read.
   */
  readonly readers: readonly TerraformStack[];
}

/**
 * Adds to `app` what synthesizing the stacks named `selected` needs, and no more, so that each comes
 * out byte for byte as in a synthesis of the whole fleet:
 *
 * - a collector stack needs itself, the hub it writes to (built, not resolved), and what the
 *   interface reads from it: the interface turns those reads into outputs of the collector's stack.
 *   A stand-in (see {@link interfaceReadsOf}) reads them through the interface's own functions,
 *   instead of a Grafana with every host;
 * - the interface stack needs every collector (one datasource each) and the hub, built but neither
 *   resolved nor written unless selected;
 * - the hub is read by every other stack: they are all built and resolved with it.
 */
export function buildFleetPart(app: Construct, fleet: FleetSpec, selected: readonly string[]): FleetPart {
  // (With the hub among the selected stacks, everything is built and every other stack prepared: the
  // shipped program writes the hub with buildHubPart instead, from the reads of its readers' parts.)
  const wanted = new Set(selected);
  const hubName = hubStackOf(fleet);
  if (hubName !== undefined && wanted.has(hubName)) {
    const stacks = buildFleetApp(app, fleet);
    const all: TerraformStack[] = [stacks.hub!, ...stacks.collectors, stacks.interface];
    return { synthesized: all.filter((stack) => wanted.has(stack.node.id)), readers: all.filter((stack) => !wanted.has(stack.node.id)) };
  }
  const hub = hubStackFor(app, fleet);
  // The collectors written, whole; the interface reads every other host's through a stand-in.
  const standIns = standInsLike(fleet);
  const stacks = fleet.hosts.flatMap((host) => {
    if (wanted.has(host.stackName)) return [collectorStackFor(app, host, fleet.credentials)];
    return wanted.has(fleet.interface.stackName) ? [standIns(app, host)] : [];
  });
  const written = stacks.filter((stack): stack is CollectorStack => stack instanceof CollectorStack);
  const interfaceStack = wanted.has(fleet.interface.stackName) ? interfaceStackFor(app, fleet, stacks) : undefined;
  connectFleetStore(fleet, hub, written, interfaceStack);
  connectAlerting(fleet, hub, written);
  if (interfaceStack) return { synthesized: [...written, interfaceStack], readers: [] };
  return { synthesized: written, readers: written.length > 0 ? [interfaceReadsOf(app, fleet, written)] : [] };
}

/**
 * Makes stand-ins of hosts' collector stacks (for the interface to read): each like a whole
 * collector of a host with the same settings, built once per kind of host in a tree of its own
 * (never synthesized), since most hosts of a fleet share their settings.
 */
function standInsLike(fleet: FleetSpec): (scope: Construct, host: HostSpec) => CollectorStackStandIn {
  const models = new Construct(undefined as unknown as Construct, '');
  const collectorsBySettings = new Map<string, CollectorStack>();
  return (scope, host) => {
    // Everything of the host but what names and reaches it, and where its state lives.
    const settings = JSON.stringify({ ...host, name: undefined, stackName: undefined, addresses: undefined, docker: undefined, backend: undefined });
    let like = collectorsBySettings.get(settings);
    if (!like) {
      like = collectorStackFor(models, host, fleet.credentials);
      collectorsBySettings.set(settings, like);
    }
    return new CollectorStackStandIn(scope, host.stackName, { hostName: host.name, addresses: host.addresses, backend: host.backend, secrets: fleet.credentials, like: like.collector });
  };
}

/**
 * A stand-in for the interface stack: a stack that reads from each collector exactly what the
 * interface reads, through the same functions ({@link prometheusSourceOf} for every collector,
 * {@link publishedPortsOf} for the one on Grafana's host). Preparing it registers in each collector's
 * stack the cross-stack outputs the interface would; it is never written.
 */
function interfaceReadsOf(app: Construct, fleet: FleetSpec, collectors: readonly CollectorStack[]): TerraformStack {
  const reader = new TerraformStack(app, fleet.interface.stackName);
  for (const stack of collectors) {
    const colocated = stack.collector.hostName === fleet.interface.host;
    new TerraformOutput(reader, stack.stackName, {
      value: { source: prometheusSourceOf(stack.collector, colocated), ports: colocated ? publishedPortsOf(stack.collector) : [] },
    });
  }
  return reader;
}

/** The prefix of the outputs cdktf adds to a stack that another stack reads (TerraformStack#registerOutgoingCrossStackReference). */
const CROSS_STACK_OUTPUT_PREFIX = 'cross-stack-output-';

/**
 * What the stacks prepared in an App read from `stack`: the identifiers of the cross-stack outputs
 * their preparation added to it (an output's id is the prefix and the identifier).
 */
export function crossStackReadsOf(stack: TerraformStack): string[] {
  return stack.node.children
    .filter((child) => TerraformOutput.isTerraformOutput(child) && child.node.id.startsWith(CROSS_STACK_OUTPUT_PREFIX))
    .map((child) => child.node.id.slice(CROSS_STACK_OUTPUT_PREFIX.length));
}

/**
 * Adds to `app` the hub stack alone, with the cross-stack outputs of `reads`: what every other stack
 * reads from it, gathered by {@link crossStackReadsOf} from the parts that prepared them. The hub's
 * own content depends on the fleet only (the wiring reads from it, never writes to it), and its
 * outputs are the only trace its readers leave in it (cdktf writes them in sorted order), so it comes
 * out byte for byte as in a synthesis of the whole fleet, without building a single collector.
 */
export function buildHubPart(app: Construct, fleet: FleetSpec, reads: Iterable<string>): FleetPart {
  const hub = hubStackFor(app, fleet);
  if (!hub) throw new Error('this fleet has no hub stack');
  connectFleetStore(fleet, hub, []);
  connectAlerting(fleet, hub, []);
  for (const identifier of reads) hub.registerOutgoingCrossStackReference(identifier);
  return { synthesized: [hub], readers: [] };
}
