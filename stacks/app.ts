import { Construct } from 'constructs';
import { Lazy, TerraformVariable } from 'cdktf';
import { CollectorStack } from '../src/collector-stack';
import { FleetSpec, HostSpec, variablePrefix } from '../src/config';
import { SuppliedPassword } from '../src/credentials';
import { InterfaceStack } from '../src/interface-stack';

/** The stacks of a fleet, by role. */
export interface FleetStacks {
  /** One per host, in fleet order, named `collector-<host>`. */
  readonly collectors: readonly CollectorStack[];
  /** Grafana, named `interface`. */
  readonly interface: InterfaceStack;
}

/**
 * A sensitive variable of `stack` as a token usable before the variable exists. The stack classes
 * create their resources in their constructors, so the variable (which must live in that stack)
 * can only be added afterwards; the lazy token is resolved at synthesis, when it does exist.
 */
class DeferredVariable {
  private variable?: TerraformVariable;
  public readonly token = Lazy.stringValue({ produce: () => this.variable?.stringValue });

  constructor(private readonly name: string, private readonly description: string) {}

  /** Creates the variable in `stack` (call once the stack exists). */
  public declareIn(stack: Construct): void {
    this.variable = new TerraformVariable(stack, this.name, { type: 'string', sensitive: true, nullable: false, description: this.description });
  }
}

/** The password and bcrypt-hash variables of one stack's basic-auth user. */
function passwordVariables(prefix: string, what: string): { supplied: SuppliedPassword; declareIn: (stack: Construct) => void } {
  const password = new DeferredVariable(`${prefix}_password`, `${what} (TF_VAR_${prefix}_password)`);
  const hash = new DeferredVariable(`${prefix}_password_bcrypt`, `bcrypt hash of ${what} (TF_VAR_${prefix}_password_bcrypt)`);
  return {
    supplied: { password: password.token, passwordBcryptHash: hash.token },
    declareIn: (stack) => {
      password.declareIn(stack);
      hash.declareIn(stack);
    },
  };
}

/** One host's CollectorStack, settings mapped from the fleet file. */
function collectorStackFor(scope: Construct, host: HostSpec, credentials: FleetSpec['credentials']): CollectorStack {
  const variables =
    credentials === 'variables' ? passwordVariables(`${variablePrefix(host.stackName)}_prometheus`, `Prometheus password of host "${host.name}"`) : undefined;
  const stack = new CollectorStack(scope, host.stackName, {
    hostName: host.name,
    addresses: host.addresses,
    docker: host.docker,
    backend: host.backend,
    prometheus: {
      image: host.images.prometheus,
      publishedPort: host.ports.prometheus,
      scrapeIntervalSeconds: host.scrapeIntervalSeconds,
      scrapeTimeoutSeconds: host.scrapeTimeoutSeconds,
      retentionDays: host.retentionDays,
      retentionSizeGigabytes: host.retentionSizeGigabytes,
      password: variables?.supplied,
    },
    nodeExporter: { ...host.exporters.nodeExporter, port: host.ports.nodeExporter },
    cadvisor: host.exporters.cadvisor,
    scaphandre: host.exporters.scaphandre,
  });
  variables?.declareIn(stack);
  return stack;
}

/**
 * Adds a fleet's stacks to `app`: one {@link CollectorStack} per host and one {@link InterfaceStack}
 * whose Grafana has every host's Prometheus as a datasource (cdktf turns the references into
 * outputs and remote-state reads, so the interface stack is applied after the collectors).
 */
export function buildFleetApp(app: Construct, fleet: FleetSpec): FleetStacks {
  const collectors = fleet.hosts.map((host) => collectorStackFor(app, host, fleet.credentials));
  const interfaceHost = fleet.hosts.find((host) => host.name === fleet.interface.host);
  const colocated = collectors.find((stack) => stack.collector.hostName === fleet.interface.host)?.collector;
  const admin =
    fleet.credentials === 'variables'
      ? new DeferredVariable(`${variablePrefix(fleet.interface.stackName)}_grafana_admin_password`, 'Grafana admin password')
      : undefined;
  const interfaceStack = new InterfaceStack(app, fleet.interface.stackName, {
    collectors: collectors.map((stack) => stack.collector),
    colocatedCollector: colocated,
    docker: interfaceHost?.docker,
    backend: fleet.interface.backend,
    address: interfaceHost?.addresses[0],
    grafana: { image: fleet.interface.image, publishedPort: fleet.interface.port, adminPassword: admin?.token },
  });
  admin?.declareIn(interfaceStack);
  return { collectors, interface: interfaceStack };
}
