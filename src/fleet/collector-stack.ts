import type { RemoteWriteEndpoint } from '../components/prometheus/prometheus';
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { IpmiOptions } from '../components/ipmi/ipmi-exporter';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { addCollectorIdentity, Collector, CollectorProps, prometheusUrlOf } from '../collector/collector';
import { SuppliedPassword } from '../constructs/credentials';
import { CollectorView } from '../interface/interface';
import { DockerEndpoint, LOCAL_DOCKER_ENDPOINT } from '../core/docker-endpoint';
import { dockerProviderFor } from '../constructs/docker-provider';
import { StateBackend } from '../core/state-backend';
import { applyStateBackend } from '../constructs/state-backend-apply';
import { SecretSource, suppliedPasswordVariables } from '../constructs/secret-variables';

/** The construct id of a collector stack's Collector: references into the stack (and their outputs) are named by it. */
const COLLECTOR_ID = 'collector';

/** The IPMI exporter of a collector stack: its secrets named as sensitive variables of the stack. */
export interface CollectorStackIpmiOptions extends Omit<IpmiOptions, 'user' | 'password'> {
  /**
   * The BMC user name, written as it is (not a secret).
   * @default - `userVariable`'s value, else FreeIPMI's null user
   */
  readonly user?: string;
  /**
   * A sensitive variable of the stack holding the BMC user name (`TF_VAR_<name>`).
   * @default - `user`
   */
  readonly userVariable?: string;
  /**
   * A sensitive variable of the stack holding the BMC password (`TF_VAR_<name>`); required for `remote`.
   * @default - none (in-band)
   */
  readonly passwordVariable?: string;
}

/** Props of {@link CollectorStack}. */
export interface CollectorStackProps extends Omit<CollectorProps, 'provider' | 'remoteWrite' | 'ipmi'> {
  /**
   * Whole-machine power from the BMC, its secrets from sensitive variables of this stack.
   * @default - no IPMI exporter
   */
  readonly ipmi?: CollectorStackIpmiOptions;
  /**
   * The host's Docker engine.
   * @default LOCAL_DOCKER_ENDPOINT (the local socket)
   */
  readonly docker?: DockerEndpoint;
  /**
   * Where the stack's state lives.
   * @default DEFAULT_STATE_BACKEND (a local file with a relative path)
   */
  readonly backend?: StateBackend;
  /**
   * Where the Prometheus password comes from: generated, or the sensitive variables
   * `<stack>_prometheus_password` and `<stack>_prometheus_password_bcrypt` (stack name with "_" for "-").
   * @default 'generate'
   */
  readonly secrets?: SecretSource;
  /**
   * Where Prometheus remote_writes (see {@link CollectorProps.remoteWrite}), or a function of this
   * stack giving it (for credentials that are variables of this stack).
   * @default - nowhere
   */
  readonly remoteWrite?: readonly RemoteWriteEndpoint[] | ((stack: TerraformStack) => readonly RemoteWriteEndpoint[]);
}

/**
 * A Terraform stack deploying one host's {@link Collector} through that host's Docker engine. It
 * can be planned and applied on its own. Its outputs give the Prometheus URL, user, CA certificate
 * and (sensitive) password.
 */
export class CollectorStack extends TerraformStack {
  public readonly collector: Collector;
  public readonly stackName: string;

  constructor(scope: Construct, id: string, props: CollectorStackProps) {
    super(scope, id);
    this.stackName = id;
    const { docker, backend, secrets, remoteWrite, ipmi, ...collectorProps } = props;
    const provider = dockerProviderFor(this, 'docker', 'CollectorStack.docker', docker ?? LOCAL_DOCKER_ENDPOINT);
    new RandomProvider(this, 'random');
    new TlsProvider(this, 'tls');
    applyStateBackend(this, id, backend);
    const password = secrets === 'variables' ? prometheusPasswordVariables(this, props.hostName) : collectorProps.prometheus?.password;
    this.collector = new Collector(this, COLLECTOR_ID, {
      ...collectorProps,
      prometheus: { ...collectorProps.prometheus, password },
      provider,
      remoteWrite: typeof remoteWrite === 'function' ? remoteWrite(this) : remoteWrite,
      ipmi: ipmi && ipmiOptionsOf(this, props.hostName, ipmi),
    });

    new TerraformOutput(this, 'prometheus_url', { value: this.collector.prometheusUrl, description: 'HTTPS URL of the Prometheus API and UI' });
    new TerraformOutput(this, 'prometheus_username', { value: this.collector.credentials.username, description: 'Basic-auth user of Prometheus' });
    new TerraformOutput(this, 'prometheus_password', {
      value: this.collector.credentials.password,
      sensitive: true,
      description: 'Basic-auth password of Prometheus (read with: terraform output -raw prometheus_password)',
    });
    new TerraformOutput(this, 'prometheus_ca_certificate', {
      value: this.collector.caCertificatePem,
      description: 'PEM of the CA to trust for the Prometheus HTTPS port',
    });
  }
}

/** The IPMI options of `stack`'s collector: the variables the options name, declared sensitive in the stack. */
function ipmiOptionsOf(stack: TerraformStack, hostName: string, options: CollectorStackIpmiOptions): IpmiOptions {
  const { userVariable, passwordVariable, ...rest } = options;
  const variable = (name: string, what: string) =>
    new TerraformVariable(stack, name, { type: 'string', sensitive: true, nullable: false, description: `${what} of host "${hostName}" (environment: TF_VAR_${name})` }).stringValue;
  return {
    ...rest,
    ...(userVariable === undefined ? {} : { user: variable(userVariable, 'BMC user name') }),
    ...(passwordVariable === undefined ? {} : { password: variable(passwordVariable, 'BMC password') }),
  };
}

/** The sensitive variables a collector stack takes its Prometheus password from, with `secrets: 'variables'`. */
function prometheusPasswordVariables(stack: TerraformStack, hostName: string): SuppliedPassword {
  return suppliedPasswordVariables(stack, 'prometheus', `Prometheus password of host "${hostName}"`);
}

/** Props of {@link CollectorStackStandIn}. */
export interface CollectorStackStandInProps {
  /** The host, as the collector stack's. */
  readonly hostName: string;
  /** The host's addresses, as the collector stack's. */
  readonly addresses: readonly string[];
  /** As the collector stack's. @default DEFAULT_STATE_BACKEND (a local file with a relative path) */
  readonly backend?: StateBackend;
  /** As the collector stack's. @default 'generate' */
  readonly secrets?: SecretSource;
  /**
   * A collector built with the same settings as this host's (exporters, intervals, ports,
   * thresholds, accounting, add-ons, Prometheus user): its published ports, intervals, components
   * and rule groups are taken as this host's. Its Prometheus serves a certificate of its own CA
   * (no `prometheus.certificate`), as the stand-in's CA is what a reader is given to trust.
   */
  readonly like: Collector;
}

/**
 * What a stack reading a host's {@link CollectorStack} needs of it, without the collector: the
 * interface of a large fleet reads a few values of every host's, and building each whole collector
 * for that was two thirds of synthesizing the interface, and most of its memory (1000 hosts). It has
 * the collector stack's id and state backend, and, at the same construct paths, the only resources
 * a reader refers to (the Prometheus credentials and the collector's CA), so the references, the
 * outputs cdktf adds for them and the remote state reading them are the same. Only for reading:
 * it holds nothing else, and is never synthesized.
 */
export class CollectorStackStandIn extends TerraformStack {
  public readonly collector: CollectorView;
  public readonly stackName: string;

  constructor(scope: Construct, id: string, props: CollectorStackStandInProps) {
    super(scope, id);
    this.stackName = id;
    applyStateBackend(this, id, props.backend);
    const { like } = props;
    const password = props.secrets === 'variables' ? prometheusPasswordVariables(this, props.hostName) : undefined;
    // Where CollectorStack has its Collector: the CA and credentials at the same construct paths.
    const identity = addCollectorIdentity(new Construct(this, COLLECTOR_ID), props.hostName, { username: like.credentials.username, password });
    this.collector = {
      hostName: props.hostName,
      addresses: [...props.addresses],
      prometheusUrl: prometheusUrlOf(props.addresses, like.prometheus.publishedPort),
      credentials: identity.credentials,
      caCertificatePem: identity.certificateAuthority.certificatePem,
      prometheus: like.prometheus,
      nodeExporter: like.nodeExporter,
      // Without their scrape targets: those are the model's (addresses, tokens of its tree).
      components: like.components.map(({ scrapeTarget: _scrapeTarget, ...read }) => read),
    };
  }
}
