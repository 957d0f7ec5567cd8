import type { FleetReadTarget } from '../hub/fleet-store';
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { CertificateAuthority } from '../constructs/certificate-authority';
import { urlHost } from '../core/names';
import { Interface, InterfaceProps } from '../interface/interface';
import { Grafana } from '../interface/grafana';
import { DockerEndpoint, LOCAL_DOCKER_ENDPOINT } from '../core/docker-endpoint';
import { dockerProviderFor } from '../constructs/docker-provider';
import { StateBackend } from '../core/state-backend';
import { applyStateBackend } from '../constructs/state-backend-apply';
import { SecretSource, sensitiveVariable } from '../constructs/secret-variables';

/** Props of {@link InterfaceStack}. */
export interface InterfaceStackProps extends Omit<InterfaceProps, 'provider' | 'fleetStore'> {
  /**
   * The interface host's Docker engine.
   * @default LOCAL_DOCKER_ENDPOINT
   */
  readonly docker?: DockerEndpoint;
  /**
   * Where the stack's state lives.
   * @default DEFAULT_STATE_BACKEND (a local file with a relative path)
   */
  readonly backend?: StateBackend;
  /**
   * Addresses (DNS names or IPs) users open Grafana at: they go into its certificate, and the first
   * into the `grafana_url` output.
   * @default - the colocated collector's addresses, else ['localhost']
   */
  readonly addresses?: readonly string[];
  /**
   * Where the Grafana admin password comes from: generated, or the sensitive variable
   * `<stack>_grafana_admin_password`.
   * @default 'generate'
   */
  readonly secrets?: SecretSource;
  /**
   * The fleet store Grafana reads (see {@link InterfaceProps.fleetStore}), or a function of this
   * stack giving it (for credentials that are variables of this stack).
   * @default - no fleet store
   */
  readonly fleetStore?: FleetReadTarget | ((stack: TerraformStack) => FleetReadTarget);
}

/**
 * A Terraform stack deploying Grafana. The collectors' URLs, passwords and CAs reach it as
 * cross-stack references: cdktf turns them into outputs of each collector stack and
 * `terraform_remote_state` reads here, so nothing is copied by hand and the interface stack is
 * applied after its collectors.
 */
export class InterfaceStack extends TerraformStack {
  public readonly grafana: Grafana;
  /** The interface: Grafana wired to the collectors; {@link Interface.addFleetStore} adds the fleet view. */
  public readonly interface: Interface;

  constructor(scope: Construct, id: string, props: InterfaceStackProps) {
    super(scope, id);
    const { docker, backend, addresses, secrets, fleetStore, ...interfaceProps } = props;
    const provider = dockerProviderFor(this, 'docker', 'InterfaceStack.docker', docker ?? LOCAL_DOCKER_ENDPOINT);
    new RandomProvider(this, 'random');
    new TlsProvider(this, 'tls');
    applyStateBackend(this, id, backend);
    const adminPassword = secrets === 'variables' ? sensitiveVariable(this, 'grafana_admin_password', 'Grafana admin password') : interfaceProps.grafana?.adminPassword;
    const names = addresses?.length ? addresses : (props.colocatedCollector?.addresses ?? ['localhost']);
    // A CA of the interface's own: users trust it (output below) instead of clicking through a warning.
    const ca = new CertificateAuthority(this, 'ca', { commonName: 'PeekStack interface CA' });
    const certificate = ca.issueServerCertificate('grafana-cert', 'PeekStack Grafana', [...names, 'localhost', '127.0.0.1']);
    this.interface = new Interface(this, 'interface', {
      ...interfaceProps,
      grafana: { certificate, ...interfaceProps.grafana, adminPassword },
      provider,
      fleetStore: typeof fleetStore === 'function' ? fleetStore(this) : fleetStore,
    });
    this.grafana = this.interface.grafana;

    new TerraformOutput(this, 'grafana_url', {
      value: `${this.grafana.protocol}://${urlHost(names[0])}:${this.grafana.publishedPort}`,
      description: 'URL of Grafana',
    });
    new TerraformOutput(this, 'grafana_ca_certificate', { value: ca.certificatePem, description: 'PEM of the CA to trust for Grafana\'s HTTPS' });
    new TerraformOutput(this, 'grafana_admin_user', { value: this.grafana.adminUser });
    new TerraformOutput(this, 'grafana_admin_password', {
      value: this.grafana.adminPassword,
      sensitive: true,
      description: 'Grafana admin password (read with: terraform output -raw grafana_admin_password)',
    });
  }
}
