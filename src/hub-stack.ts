import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Network } from '@cdktf/provider-docker/lib/network';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { CertificateAuthority, ServerCertificate } from './certificate-authority';
import { DockerEndpoint, LOCAL_DOCKER_ENDPOINT } from './docker-endpoint';
import { dockerProviderFor } from './docker-provider';
import { DOCKER_HOST_GATEWAY_NAME } from './docker-service';
import { PeekStackValidationError } from './errors';
import { FleetStore, FleetStoreProps } from './fleet-store';
import { HOST_NAME_ALLOWED, HOST_NAME_PATTERN } from './names';
import { SecretSource, suppliedPasswordVariables } from './secret-variables';
import { StateBackend } from './state-backend';
import { applyStateBackend } from './state-backend-apply';
import { assertAddress, assertMatches } from './validate';

/** Fleet store settings a hub user may change: what the hub does not wire itself. */
export type HubFleetStoreOptions = Omit<FleetStoreProps, 'addresses' | 'certificate' | 'caCertificatePem' | 'networkName' | 'provider' | 'namePrefix' | 'writerPassword' | 'readerPassword'>;

/** Props of {@link HubStack}. */
export interface HubStackProps {
  /** Fleet name of the host the hub runs on (usually the interface's host). */
  readonly hostName: string;
  /** Addresses (DNS names or IPs) collectors and Grafana reach the hub at: certificate SANs; the first goes into URLs. */
  readonly addresses: readonly string[];
  /**
   * The hub host's Docker engine.
   * @default LOCAL_DOCKER_ENDPOINT
   */
  readonly docker?: DockerEndpoint;
  /**
   * Where the stack's state lives.
   * @default - a local file with a relative path
   */
  readonly backend?: StateBackend;
  /**
   * Deploy the fleet store (VictoriaMetrics behind vmauth) with these settings; `false` for none
   * (the fleet writes to an external store, or the hub holds other services only).
   * @default - a fleet store with the defaults of {@link FleetStore}
   */
  readonly fleetStore?: HubFleetStoreOptions | false;
  /**
   * Where the fleet store's passwords come from: generated, or the sensitive variables
   * `hub_fleet_store_writer_password(_bcrypt)` and `hub_fleet_store_reader_password(_bcrypt)`.
   * @default 'generate'
   */
  readonly secrets?: SecretSource;
  /**
   * Prefix of container, network and volume names on the hub host.
   * @default 'peekstack'
   */
  readonly namePrefix?: string;
}

/**
 * The hub: the services the whole fleet shares, applied before the collectors (which write to it)
 * and the interface (which reads from it). It holds a Docker network, a CA of its own, and the
 * fleet store. Other shared services join it through its public parts: `network`,
 * `certificateAuthority`, {@link HubStack.issueServerCertificate}, `provider`, `addresses`.
 */
export class HubStack extends TerraformStack {
  public readonly stackName: string;
  public readonly hostName: string;
  public readonly addresses: readonly string[];
  public readonly namePrefix: string;
  /** The hub host's Docker provider: give it to every construct added to the hub. */
  public readonly provider: DockerProvider;
  /** Private network of the hub's containers. */
  public readonly network: Network;
  /** The hub's CA: it signs every hub service's certificate; clients trust {@link HubStack.caCertificatePem}. */
  public readonly certificateAuthority: CertificateAuthority;
  /** PEM of the hub's CA. */
  public readonly caCertificatePem: string;
  /** The fleet store, unless `fleetStore: false`. */
  public readonly fleetStore?: FleetStore;

  constructor(scope: Construct, id: string, props: HubStackProps) {
    super(scope, id);
    this.stackName = id;
    this.hostName = assertMatches('HubStack.hostName', props.hostName, HOST_NAME_PATTERN, HOST_NAME_ALLOWED);
    this.namePrefix = assertMatches('HubStack.namePrefix', props.namePrefix ?? 'peekstack', HOST_NAME_PATTERN, HOST_NAME_ALLOWED);
    if (!Array.isArray(props.addresses) || props.addresses.length === 0) {
      throw new PeekStackValidationError('HubStack.addresses', props.addresses, 'at least one DNS name or IP address of the hub host');
    }
    props.addresses.forEach((address, index) => assertAddress(`HubStack.addresses[${index}]`, address));
    this.addresses = [...props.addresses];
    this.provider = dockerProviderFor(this, 'docker', 'HubStack.docker', props.docker ?? LOCAL_DOCKER_ENDPOINT);
    new RandomProvider(this, 'random');
    new TlsProvider(this, 'tls');
    applyStateBackend(this, id, props.backend ?? { type: 'local' });

    this.network = new Network(this, 'network', { name: `${this.namePrefix}-hub`, driver: 'bridge', provider: this.provider });
    this.certificateAuthority = new CertificateAuthority(this, 'ca', { commonName: 'PeekStack hub CA' });
    this.caCertificatePem = this.certificateAuthority.certificatePem;
    new TerraformOutput(this, 'hub_ca_certificate', { value: this.caCertificatePem, description: 'PEM of the CA to trust for the hub\'s HTTPS services' });

    if (props.fleetStore !== false) {
      const variables = props.secrets === 'variables';
      this.fleetStore = new FleetStore(this, 'fleet-store', {
        ...props.fleetStore,
        addresses: this.addresses,
        certificate: this.issueServerCertificate('fleet-store-cert', 'PeekStack fleet store'),
        caCertificatePem: this.caCertificatePem,
        networkName: this.network.name,
        namePrefix: this.namePrefix,
        writerPassword: variables ? suppliedPasswordVariables(this, 'fleet_store_writer', 'fleet store writer password') : undefined,
        readerPassword: variables ? suppliedPasswordVariables(this, 'fleet_store_reader', 'fleet store reader password') : undefined,
        provider: this.provider,
      });
      const store = this.fleetStore;
      new TerraformOutput(this, 'fleet_store_url', { value: store.baseUrl(), description: 'HTTPS base URL of the fleet store (remote_write at /api/v1/write, queries under /api/v1/)' });
      new TerraformOutput(this, 'fleet_store_writer_username', { value: store.writer.username });
      new TerraformOutput(this, 'fleet_store_writer_password', { value: store.writer.password, sensitive: true, description: 'remote_write-only password' });
      new TerraformOutput(this, 'fleet_store_reader_username', { value: store.reader.username });
      new TerraformOutput(this, 'fleet_store_reader_password', { value: store.reader.password, sensitive: true, description: 'query-only password' });
    }
  }

  /**
   * Issues a certificate from the hub's CA for a hub service, valid for every hub address, the
   * hub's host name, `host.docker.internal` (containers on the hub's own host) and localhost.
   */
  public issueServerCertificate(id: string, commonName: string): ServerCertificate {
    return this.certificateAuthority.issueServerCertificate(id, commonName, [...this.addresses, this.hostName, DOCKER_HOST_GATEWAY_NAME, 'localhost', '127.0.0.1']);
  }
}
