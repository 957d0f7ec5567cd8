import { collectorStackPropsOf, grafanaPropsOf } from './settings';
import { inConstruct } from '../core/errors';
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { CollectorStack, CollectorStackStandIn } from './collector-stack';
import { FleetSpec, HostSpec } from '../config';
import { hubStackOf } from '../config/spec';
import { HubStack } from './hub-stack';
import { fleetRuleGroups } from '../hub/fleet-rules';
import { CollectorView, prometheusSourceOf, publishedPortsOf } from '../interface/interface';
import { InterfaceStack } from './interface-stack';
import { fleetStoreTargetsOf, FleetStoreTargets, hubStackFor } from './fleet-store-wiring';
import { collectorAlertingOf } from './alerting-wiring';
import { fleetRemoteWrite } from '../hub/fleet-store';

/** The stacks of a fleet, by role. */
export interface FleetStacks {
  /** The fleet store and other shared services, named `hub`, applied first; none with an external store or `store: { enabled: false }`. */
  readonly hub?: HubStack;
  /** One per host, in fleet order, named `collector-<host>`. */
  readonly collectors: readonly CollectorStack[];
  /** Grafana, named `interface`. */
  readonly interface: InterfaceStack;
}

/**
 * One host's CollectorStack, settings mapped from the fleet file, with where it writes and sends
 * alerts (from `hub` and `store`) known at construction.
 */
function collectorStackFor(scope: Construct, fleet: FleetSpec, host: HostSpec, hub: HubStack | undefined, store: FleetStoreTargets | undefined): CollectorStack {
  return inConstruct(stackPath(host.stackName), () => new CollectorStack(scope, host.stackName, {
    // The props `peekstack validate` checks (settings.ts), and where it writes and sends alerts.
    ...collectorStackPropsOf(fleet, host),
    remoteWrite: store ? (collectorStack) => [fleetRemoteWrite(store.write(collectorStack, host.name))] : undefined,
    ...collectorAlertingOf(fleet, hub, host.name),
  }));
}

/** Where a refusal in a stack under construction is reported: the stack (its children named by their own constructs). */
const stackPath = (stackName: string) => ({ node: { path: stackName } });

/** The fleet's InterfaceStack, reading `collectors` (every host's, in fleet order, whole or stand-ins). */
function interfaceStackFor(scope: Construct, fleet: FleetSpec, collectors: readonly { readonly collector: CollectorView }[], store: FleetStoreTargets | undefined): InterfaceStack {
  const interfaceHost = fleet.hosts.find((host) => host.name === fleet.interface.host);
  const colocated = collectors.find((stack) => stack.collector.hostName === fleet.interface.host)?.collector;
  return inConstruct(stackPath(fleet.interface.stackName), () => new InterfaceStack(scope, fleet.interface.stackName, {
    collectors: collectors.map((stack) => stack.collector),
    colocatedCollector: colocated,
    docker: interfaceHost?.docker,
    backend: fleet.interface.backend,
    addresses: interfaceHost?.addresses,
    secrets: fleet.credentials,
    grafana: grafanaPropsOf(fleet),
    fleetStore: store?.read,
    // What vmalert records on the hub (the Fleet dashboard shows it); the same groups the hub builds.
    hubRuleGroups: fleet.vmalert.enabled && store ? fleetRuleGroups({ hosts: fleet.hosts.map((host) => host.name), hubHost: fleet.store.host }) : undefined,
  }));
}

/**
 * A whole fleet, from the typed fleet the fleet file parses into ({@link FleetSpec}, the same
 * vocabulary), built in one pass: the {@link HubStack} (fleet store, Alertmanager with the fleet's
 * receivers) first, then one {@link CollectorStack} per host (each told at construction where it
 * remote_writes, where it sends alerts and which hosts it probes), then one {@link InterfaceStack}
 * whose Grafana has every host's Prometheus and the fleet store as datasources. Nothing is changed
 * after it is built; cdktf turns the references into outputs and remote-state reads, so the stacks
 * are applied hub, collectors, interface.
 *
 * A cdktf App's stacks are its direct children: the fleet's stacks are added to `scope` (the App),
 * beside this construct, named as the fleet file names them (`hub`, `collector-<host>`, `interface`).
 */
export class Fleet extends Construct implements FleetStacks {
  public readonly hub?: HubStack;
  public readonly collectors: readonly CollectorStack[];
  public readonly interface: InterfaceStack;
  /** The typed fleet it was built from. */
  public readonly spec: FleetSpec;

  constructor(scope: Construct, id: string, fleet: FleetSpec) {
    super(scope, id);
    this.spec = fleet;
    this.hub = hubStackFor(scope, fleet);
    const store = fleetStoreTargetsOf(fleet, this.hub);
    this.collectors = fleet.hosts.map((host) => collectorStackFor(scope, fleet, host, this.hub, store));
    this.interface = interfaceStackFor(scope, fleet, this.collectors, store);
  }

  /** The stacks in apply order: the hub (if any), the collectors, the interface. */
  public get stacks(): TerraformStack[] {
    return [...(this.hub ? [this.hub] : []), ...this.collectors, this.interface];
  }
}

/** Adds a fleet's stacks to `app` (a {@link Fleet} named `fleet`). */
export function buildFleetApp(app: Construct, fleet: FleetSpec): FleetStacks {
  return new Fleet(app, 'fleet', fleet);
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
    const all = new Fleet(app, 'fleet', fleet).stacks;
    return { synthesized: all.filter((stack) => wanted.has(stack.node.id)), readers: all.filter((stack) => !wanted.has(stack.node.id)) };
  }
  const hub = hubStackFor(app, fleet);
  const store = fleetStoreTargetsOf(fleet, hub);
  // The collectors written, whole; the interface reads every other host's through a stand-in.
  const standIns = standInsLike(fleet);
  const stacks = fleet.hosts.flatMap((host) => {
    if (wanted.has(host.stackName)) return [collectorStackFor(app, fleet, host, hub, store)];
    return wanted.has(fleet.interface.stackName) ? [standIns(app, host)] : [];
  });
  const written = stacks.filter((stack): stack is CollectorStack => stack instanceof CollectorStack);
  const interfaceStack = wanted.has(fleet.interface.stackName) ? interfaceStackFor(app, fleet, stacks, store) : undefined;
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
      // What the interface reads of a collector does not depend on where it writes or sends alerts.
      like = collectorStackFor(models, fleet, host, undefined, undefined);
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
 * own content depends on the fleet only (the other stacks read from it, never write to it), and its
 * outputs are the only trace its readers leave in it (cdktf writes them in sorted order), so it comes
 * out byte for byte as in a synthesis of the whole fleet, without building a single collector.
 */
export function buildHubPart(app: Construct, fleet: FleetSpec, reads: Iterable<string>): FleetPart {
  const hub = hubStackFor(app, fleet);
  if (!hub) throw new Error('this fleet has no hub stack');
  for (const identifier of reads) hub.registerOutgoingCrossStackReference(identifier);
  return { synthesized: [hub], readers: [] };
}
