import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { Collector, CollectorProps } from './collector';
import { DockerEndpoint, LOCAL_DOCKER_ENDPOINT } from './docker-endpoint';
import { dockerProviderFor } from './docker-provider';
import { StateBackend } from './state-backend';
import { applyStateBackend } from './state-backend-apply';
import { SecretSource, suppliedPasswordVariables } from './secret-variables';

/** Props of {@link CollectorStack}. */
export interface CollectorStackProps extends Omit<CollectorProps, 'provider'> {
  /**
   * The host's Docker engine.
   * @default LOCAL_DOCKER_ENDPOINT (the local socket)
   */
  readonly docker?: DockerEndpoint;
  /**
   * Where the stack's state lives.
   * @default - a local file with a relative path
   */
  readonly backend?: StateBackend;
  /**
   * Where the Prometheus password comes from: generated, or the sensitive variables
   * `<stack>_prometheus_password` and `<stack>_prometheus_password_bcrypt` (stack name with "_" for "-").
   * @default 'generate'
   */
  readonly secrets?: SecretSource;
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
    const { docker, backend, secrets, ...collectorProps } = props;
    const provider = dockerProviderFor(this, 'docker', 'CollectorStack.docker', docker ?? LOCAL_DOCKER_ENDPOINT);
    new RandomProvider(this, 'random');
    new TlsProvider(this, 'tls');
    applyStateBackend(this, id, backend ?? { type: 'local' });
    const password =
      secrets === 'variables' ? suppliedPasswordVariables(this, 'prometheus', `Prometheus password of host "${props.hostName}"`) : collectorProps.prometheus?.password;
    this.collector = new Collector(this, 'collector', { ...collectorProps, prometheus: { ...collectorProps.prometheus, password }, provider });

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
