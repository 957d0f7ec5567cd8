import { Construct } from 'constructs';
import { CollectorStack } from '../src/collector-stack';
import { DcgmExporter } from '../src/addons/dcgm';
import { FleetSpec, HostSpec } from '../src/config';
import { HubStack } from '../src/hub-stack';
import { InterfaceStack } from '../src/interface-stack';
import { connectFleetStore, hubStackFor } from './fleet-store-wiring';

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
  });
  if (host.exporters.dcgm.enabled) new DcgmExporter(stack, 'dcgm', { collector: stack.collector, image: host.exporters.dcgm.image });
  return stack;
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
  const interfaceHost = fleet.hosts.find((host) => host.name === fleet.interface.host);
  const colocated = collectors.find((stack) => stack.collector.hostName === fleet.interface.host)?.collector;
  const interfaceStack = new InterfaceStack(app, fleet.interface.stackName, {
    collectors: collectors.map((stack) => stack.collector),
    colocatedCollector: colocated,
    docker: interfaceHost?.docker,
    backend: fleet.interface.backend,
    addresses: interfaceHost?.addresses,
    secrets: fleet.credentials,
    grafana: { image: fleet.interface.image, publishedPort: fleet.interface.port },
  });
  connectFleetStore(fleet, hub, collectors, interfaceStack);
  return { hub, collectors, interface: interfaceStack };
}
