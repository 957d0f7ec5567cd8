import { resolveFleetStoreSettings } from './fleet-store-settings';
import { FLEET_DATASOURCE } from '../core/datasources';
import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { ServerCertificate } from '../constructs/certificate-authority';
import { GeneratedCredentials, SuppliedPassword } from '../constructs/credentials';
import { FLEET_STORE_DEFAULTS } from '../core/defaults';
import { DOCKER_HOST_GATEWAY_NAME, DockerService } from '../constructs/docker-service';
import type { GrafanaDatasource } from '../interface/grafana';
import { urlHost } from '../core/names';
import type { RemoteWriteEndpoint } from '../components/prometheus/prometheus';
import { RemoteWriteQueue } from '../render/prometheus-config';
import { renderVmauthConfig, VMAUTH_READ_PATHS, VMAUTH_WRITE_PATHS } from '../render/vmauth-config';
import { assertAddress, assertNonEmpty, assertVolumeName } from '../core/validate';
import { PeekStackValidationError } from '../core/errors';
import type { UploadedFile } from '../constructs/docker-service';
import { HUB_SCRAPE_JOBS } from './hub-health-rules';
import { HubScrapeTarget, renderHubScrapeConfig } from '../render/hub-scrape-config';

/** Where the fleet store's containers find the files PeekStack uploads. */
export const FLEET_STORE_PATHS = {
  authConfig: '/etc/vmauth/auth.yml',
  serverCertificate: '/etc/vmauth/tls/server.crt',
  serverKey: '/etc/vmauth/tls/server.key',
  /** The VictoriaMetrics image's own data directory. */
  data: '/victoria-metrics-data',
  /** The store's `-promscrape.config` (the hub's own services). */
  scrapeConfig: '/etc/victoria-metrics/scrape.yml',
  /** Files its scrape jobs read (a password), under this folder. */
  scrapeFiles: '/etc/victoria-metrics/scrape',
  /** The hub's CA, which its scrape jobs verify vmauth and Alertmanager against. */
  scrapeCa: '/etc/victoria-metrics/scrape/hub-ca.crt',
} as const;

/** Port VictoriaMetrics listens on inside its container (reachable only on the hub's private network). */
export const VICTORIA_METRICS_CONTAINER_PORT = 8428;
/** Port vmauth serves HTTPS on inside its container. */
export const VMAUTH_CONTAINER_PORT = 8427;
/** vmauth's internal API (`/metrics`, `/-/reload`, pprof): inside its container only, never on the published port. */
export const VMAUTH_INTERNAL_ADDRESS = '127.0.0.1:8426';
/** Port of vmauth's internal API on the hub network, when the store scrapes it (never published). */
export const VMAUTH_INTERNAL_PORT = 8426;

/**
 * remote_write queue of every collector towards the fleet store, sized from the measured rate: a
 * collector appends ~120 samples/s with every job every 15 s (README "Sizing",
 * scripts/measure-remote-write.mjs). One shard sending 2000 samples per request keeps up with ~20x
 * that; after an outage Prometheus replays its WAL through the same queue, and 4 shards drain a
 * 60 s backlog (~7000 samples) in a few requests, while bounding what a collector can throw at the
 * store at once.
 */
export const FLEET_REMOTE_WRITE_QUEUE: RemoteWriteQueue = {
  capacity: 10_000,
  maxSamplesPerSend: 2000,
  minShards: 1,
  maxShards: 4,
  batchSendDeadlineSeconds: 5,
  minBackoffMilliseconds: 100,
  maxBackoffMilliseconds: 5000,
};

/** Name of the remote_write endpoint every collector sends the fleet store (it labels Prometheus's remote-storage metrics). */
export const FLEET_REMOTE_WRITE_NAME = 'fleet';

export { FLEET_DATASOURCE } from '../core/datasources';

/** How a collector writes to a fleet store (embedded or external): {@link RemoteWriteEndpoint} without the name and queue, which are PeekStack's. */
export type FleetWriteTarget = Omit<RemoteWriteEndpoint, 'name' | 'queue'>;

/** How Grafana reads a fleet store: {@link GrafanaDatasource} without the name, uid and default flag, which are PeekStack's. */
export type FleetReadTarget = Omit<GrafanaDatasource, 'name' | 'uid' | 'isDefault'>;

/** The remote_write endpoint a collector's Prometheus gets for `target`: one name and one queue for every collector. */
export function fleetRemoteWrite(target: FleetWriteTarget): RemoteWriteEndpoint {
  return { ...target, name: FLEET_REMOTE_WRITE_NAME, queue: FLEET_REMOTE_WRITE_QUEUE };
}

/** Grafana's fleet datasource for `target`: the default one, so every dashboard opens on the whole fleet. */
export function fleetDatasource(target: FleetReadTarget): GrafanaDatasource {
  return { ...target, ...FLEET_DATASOURCE, isDefault: true };
}

/** Props of {@link FleetStore}. */
export interface FleetStoreProps {
  /** Addresses (DNS names or IPs) collectors and Grafana reach the store's host at; the first goes into the URLs. */
  readonly addresses: readonly string[];
  /** Certificate vmauth serves; its SANs must hold every address, and `host.docker.internal` for colocated clients. */
  readonly certificate: ServerCertificate;
  /** PEM of the CA that signed `certificate`: what collectors and Grafana verify against. */
  readonly caCertificatePem: string;
  /** Name of the Docker network VictoriaMetrics and vmauth share (VictoriaMetrics is reachable only there). */
  readonly networkName: string;
  /**
   * Keep samples this many days (`-retentionPeriod`).
   * @default 90
   */
  readonly retentionDays?: number;
  /**
   * Samples of one series closer together than this are deduplicated (`-dedup.minScrapeInterval`):
   * set it to the collectors' scrape interval.
   * @default 15
   * @see https://docs.victoriametrics.com/victoriametrics/single-server-victoriametrics/#deduplication
   */
  readonly dedupMinScrapeIntervalSeconds?: number;
  /**
   * vmauth's HTTPS port on the host, the store's only port reachable from other machines.
   * @default 18427
   */
  readonly publishedPort?: number;
  /**
   * Host address the published port binds to.
   * @default '0.0.0.0'
   */
  readonly publishAddress?: string;
  /**
   * Named volume holding the store's data; it outlives container replacements.
   * @default 'peekstack-fleet-store-data'
   */
  readonly dataVolumeName?: string;
  /**
   * Pinned VictoriaMetrics single-node image.
   * @default DEFAULT_IMAGES.victoriaMetrics
   */
  readonly image?: string;
  /**
   * Pinned vmauth image, from the same release as `image`.
   * @default DEFAULT_IMAGES.vmauth
   */
  readonly vmauthImage?: string;
  /**
   * Prefix of the container names.
   * @default 'peekstack'
   */
  readonly namePrefix?: string;
  /**
   * The writers' password (collectors), as Terraform tokens.
   * @default - generated by Terraform's random provider
   */
  readonly writerPassword?: SuppliedPassword;
  /**
   * The readers' password (Grafana), as Terraform tokens.
   * @default - generated by Terraform's random provider
   */
  readonly readerPassword?: SuppliedPassword;
  /**
   * The store scrapes itself, vmauth and these other hub services (`-promscrape.config`), each
   * series labelled with `hostName`; vmauth's internal API then listens on the hub network (still
   * never published) so the store reaches its `/metrics`, verified against `caCertificatePem` as
   * the vmauth container's name (the certificate must hold it).
   * @default - no scraping: the store holds what the collectors write only
   */
  readonly selfScrape?: FleetStoreSelfScrape;
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
}

/** What {@link FleetStoreProps.selfScrape} scrapes besides the store and vmauth. */
export interface FleetStoreSelfScrape {
  /** The hub's host name (the `host` label of the scraped series). */
  readonly hostName: string;
  /**
   * Other hub services (Alertmanager, vmalert), on the hub network.
   * @default - none
   */
  readonly targets?: readonly HubScrapeTarget[];
  /**
   * Files those targets' scrape settings name (under FLEET_STORE_PATHS.scrapeFiles).
   * @default - none
   */
  readonly files?: readonly UploadedFile[];
}

/**
 * The fleet store: VictoriaMetrics single-node with its data on a named volume, reachable only on a
 * private network, behind vmauth from the same release, which serves HTTPS (a certificate from the
 * hub's CA) and routes by user: the writer (collectors) may only `remote_write`, the reader
 * (Grafana) may only query. vmauth's own internal API stays inside its container.
 */
export class FleetStore extends Construct {
  public readonly image: string;
  public readonly vmauthImage: string;
  public readonly retentionDays: number;
  public readonly dedupMinScrapeIntervalSeconds: number;
  public readonly publishedPort: number;
  public readonly publishAddress: string;
  public readonly dataVolumeName: string;
  public readonly addresses: readonly string[];
  /** PEM of the CA clients verify the store against. */
  public readonly caCertificatePem: string;
  /** Collectors' credentials: `remote_write` only. */
  public readonly writer: GeneratedCredentials;
  /** Grafana's credentials: queries only. */
  public readonly reader: GeneratedCredentials;
  public readonly volume: Volume;
  public readonly victoriaMetrics: DockerService;
  public readonly vmauth: DockerService;
  /** VictoriaMetrics' command line. */
  public readonly command: readonly string[];
  /** vmauth's command line. */
  public readonly vmauthCommand: readonly string[];

  constructor(scope: Construct, id: string, props: FleetStoreProps) {
    super(scope, id);
    // The settings a fleet file gives, checked where `peekstack validate` checks them too (fleet-store-settings.ts).
    const settings = resolveFleetStoreSettings(props);
    this.image = settings.image;
    this.vmauthImage = settings.vmauthImage;
    this.retentionDays = settings.retentionDays;
    this.dedupMinScrapeIntervalSeconds = settings.dedupMinScrapeIntervalSeconds;
    this.publishedPort = settings.publishedPort;
    this.publishAddress = assertNonEmpty('FleetStore.publishAddress', props.publishAddress ?? '0.0.0.0');
    const prefix = props.namePrefix ?? 'peekstack';
    this.dataVolumeName = assertVolumeName('FleetStore.dataVolumeName', props.dataVolumeName ?? `${prefix}-fleet-store-data`);
    if (!Array.isArray(props.addresses) || props.addresses.length === 0) {
      throw new PeekStackValidationError('FleetStore.addresses', props.addresses, 'at least one DNS name or IP address of the store\'s host');
    }
    props.addresses.forEach((address, index) => assertAddress(`FleetStore.addresses[${index}]`, address));
    this.addresses = [...props.addresses];
    this.caCertificatePem = props.caCertificatePem;

    this.writer = new GeneratedCredentials(this, 'writer-credentials', { field: 'FleetStore.writer', username: FLEET_STORE_DEFAULTS.writerUsername, supplied: props.writerPassword });
    this.reader = new GeneratedCredentials(this, 'reader-credentials', { field: 'FleetStore.reader', username: FLEET_STORE_DEFAULTS.readerUsername, supplied: props.readerPassword });

    const storeName = `${prefix}-victoria-metrics`;
    const vmauthName = `${prefix}-vmauth`;
    const scrape = props.selfScrape;
    this.command = [
      `-storageDataPath=${FLEET_STORE_PATHS.data}`,
      `-httpListenAddr=:${VICTORIA_METRICS_CONTAINER_PORT}`,
      `-retentionPeriod=${this.retentionDays}d`,
      `-dedup.minScrapeInterval=${this.dedupMinScrapeIntervalSeconds}s`,
      ...(scrape ? [`-promscrape.config=${FLEET_STORE_PATHS.scrapeConfig}`] : []),
    ];
    const scrapeFiles: UploadedFile[] = scrape
      ? [
          {
            path: FLEET_STORE_PATHS.scrapeConfig,
            content: renderHubScrapeConfig({
              // The fleet's finest interval: dedup keeps every sample of these jobs too.
              intervalSeconds: this.dedupMinScrapeIntervalSeconds,
              hubHost: scrape.hostName,
              targets: [
                // By its name on the hub network, as the other hub services reach it.
                { job: HUB_SCRAPE_JOBS.victoriaMetrics, address: `${storeName}:${VICTORIA_METRICS_CONTAINER_PORT}` },
                // vmauth serves its internal port over TLS too (its -tls applies to every listener).
                { job: HUB_SCRAPE_JOBS.vmauth, address: `${vmauthName}:${VMAUTH_INTERNAL_PORT}`, https: { caFile: FLEET_STORE_PATHS.scrapeCa } },
                ...(scrape.targets ?? []),
              ],
            }),
          },
          { path: FLEET_STORE_PATHS.scrapeCa, content: this.caCertificatePem },
          ...(scrape.files ?? []),
        ]
      : [];
    this.volume = new Volume(this, 'data', { name: this.dataVolumeName, provider: props.provider });
    this.victoriaMetrics = new DockerService(this, 'victoria-metrics', {
      image: this.image,
      containerName: storeName,
      component: 'fleet-store',
      provider: props.provider,
      command: [...this.command],
      // No published port: only vmauth, on this network, reaches it.
      networksAdvanced: [{ name: props.networkName, aliases: [storeName] }],
      volumes: [{ volumeName: this.volume.name, containerPath: FLEET_STORE_PATHS.data }],
      ...(scrapeFiles.length > 0 ? { files: scrapeFiles } : {}),
    });

    this.vmauthCommand = [
      `-auth.config=${FLEET_STORE_PATHS.authConfig}`,
      `-httpListenAddr=:${VMAUTH_CONTAINER_PORT}`,
      // On the hub network when the store scrapes its /metrics; never published either way.
      `-httpInternalListenAddr=${scrape ? `:${VMAUTH_INTERNAL_PORT}` : VMAUTH_INTERNAL_ADDRESS}`,
      '-tls',
      `-tlsCertFile=${FLEET_STORE_PATHS.serverCertificate}`,
      `-tlsKeyFile=${FLEET_STORE_PATHS.serverKey}`,
      '-tlsMinVersion=TLS12',
    ];
    this.vmauth = new DockerService(this, 'vmauth', {
      image: this.vmauthImage,
      containerName: vmauthName,
      component: 'fleet-store-auth',
      provider: props.provider,
      command: [...this.vmauthCommand],
      networksAdvanced: [{ name: props.networkName }],
      ports: [{ internal: VMAUTH_CONTAINER_PORT, external: this.publishedPort, ip: this.publishAddress, protocol: 'tcp' }],
      files: [
        {
          path: FLEET_STORE_PATHS.authConfig,
          content: renderVmauthConfig({
            backendUrl: `http://${storeName}:${VICTORIA_METRICS_CONTAINER_PORT}`,
            users: [
              { username: this.writer.username, password: this.writer.password, paths: VMAUTH_WRITE_PATHS },
              { username: this.reader.username, password: this.reader.password, paths: VMAUTH_READ_PATHS },
            ],
          }),
        },
        { path: FLEET_STORE_PATHS.serverCertificate, content: props.certificate.certificatePem },
        // vmauth runs alone in its container; the key is readable by its user.
        { path: FLEET_STORE_PATHS.serverKey, content: props.certificate.privateKeyPem },
      ],
    });
  }

  /** `https://<address>:<port>`: the store's base URL, from another host or (`colocated`) from a container on the store's own host. */
  public baseUrl(colocated = false): string {
    return `https://${colocated ? DOCKER_HOST_GATEWAY_NAME : urlHost(this.addresses[0])}:${this.publishedPort}`;
  }

  /** What a collector writes with: the remote_write URL, the CA, the writer's credentials. */
  public writeTarget(colocated = false): FleetWriteTarget {
    return {
      url: `${this.baseUrl(colocated)}/api/v1/write`,
      caCertificatePem: this.caCertificatePem,
      basicAuth: { username: this.writer.username, password: this.writer.password },
    };
  }

  /** What Grafana reads with: the query URL, the CA, the reader's credentials. */
  public readTarget(colocated = false): FleetReadTarget {
    return {
      url: this.baseUrl(colocated),
      caCertificatePem: this.caCertificatePem,
      basicAuth: { username: this.reader.username, password: this.reader.password },
      scrapeIntervalSeconds: this.dedupMinScrapeIntervalSeconds,
    };
  }
}
