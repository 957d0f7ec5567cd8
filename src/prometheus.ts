import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { DOCKER_HOST_GATEWAY_ENTRY, DockerService, UploadedFile } from './docker-service';
import { DEFAULT_IMAGES } from './images';
import { ServerCertificate } from './certificate-authority';
import { BasicAuthCredentials } from './credentials';
import { PeekStackValidationError } from './errors';
import { renderPrometheusConfig, ScrapeJob } from './render/prometheus-config';
import { renderWebConfig } from './render/web-config';
import { ScrapeTarget } from './scrape-target';
import { assertIntegerInRange, assertNonEmpty, assertPinnedImage, assertPort, assertVolumeName, findDuplicate } from './validate';

/** Where Prometheus finds each file PeekStack uploads into its container. */
export const PROMETHEUS_PATHS = {
  config: '/etc/prometheus/prometheus.yml',
  webConfig: '/etc/prometheus/web-config.yml',
  serverCertificate: '/etc/prometheus/tls/server.crt',
  serverKey: '/etc/prometheus/tls/server.key',
  /** CA of a scrape target's certificate. */
  targetCa: (jobName: string) => `/etc/prometheus/tls/${jobName}-ca.crt`,
  /** Password Prometheus sends to a scrape target. */
  targetPassword: (jobName: string) => `/etc/prometheus/secrets/${jobName}.password`,
  rules: (fileName: string) => `/etc/prometheus/rules/${fileName}`,
  data: '/prometheus',
} as const;

/** A rule file Prometheus loads. */
export interface RuleFile {
  /** File name, e.g. `peekstack.rules.yml`. */
  readonly fileName: string;
  /** The rule file's YAML. */
  readonly content: string;
}

/** Props of {@link Prometheus}. */
export interface PrometheusProps {
  /** Value of the `host` label on every series: the fleet's name for this machine. */
  readonly hostName: string;
  /** Name of the Docker network shared with the exporters. */
  readonly networkName: string;
  /** Certificate served on the HTTPS port; its SANs must hold every address clients use, and `localhost`. */
  readonly certificate: ServerCertificate;
  /** CA that signed `certificate`; used for Prometheus's scrape of itself. */
  readonly caCertificatePem: string;
  /** The basic-auth user of the API and UI. */
  readonly credentials: BasicAuthCredentials;
  /** Exporters to scrape (Prometheus always scrapes itself too). */
  readonly scrapeTargets: readonly ScrapeTarget[];
  /**
   * Pinned image.
   * @default DEFAULT_IMAGES.prometheus
   */
  readonly image?: string;
  /**
   * Container name.
   * @default 'peekstack-prometheus'
   */
  readonly containerName?: string;
  /**
   * Port published on the host, the only one of the collector reachable from other machines.
   * @default 19090
   */
  readonly publishedPort?: number;
  /**
   * Host address the published port binds to.
   * @default '0.0.0.0'
   */
  readonly publishAddress?: string;
  /**
   * Default scrape interval.
   * @default 15
   * @see https://prometheus.io/docs/prometheus/latest/configuration/configuration/#configuration-file
   */
  readonly scrapeIntervalSeconds?: number;
  /**
   * Default scrape timeout; at most the interval.
   * @default 10 (or the interval, if shorter)
   */
  readonly scrapeTimeoutSeconds?: number;
  /**
   * Rule evaluation interval.
   * @default - the scrape interval
   */
  readonly evaluationIntervalSeconds?: number;
  /**
   * Keep samples this many days (`--storage.tsdb.retention.time`).
   * @default 15
   */
  readonly retentionDays?: number;
  /**
   * Keep at most this many GiB of blocks (`--storage.tsdb.retention.size`, Prometheus's "GB" is 2^30
   * bytes); the oldest go first, whichever of the two limits comes first.
   * @default 10
   */
  readonly retentionSizeGigabytes?: number;
  /**
   * Named Docker volume holding the TSDB; it outlives container replacements.
   * @default 'peekstack-prometheus-data'
   */
  readonly dataVolumeName?: string;
  /**
   * Rule files to load.
   * @default - none
   */
  readonly ruleFiles?: readonly RuleFile[];
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
}

/**
 * Prometheus's own metrics no dashboard or rule reads and that cost the most series: its Go runtime
 * and every histogram bucket (HTTP, query engine, TSDB). Counts and sums stay, so rates and means
 * of those histograms still work.
 */
export const PROMETHEUS_SELF_DROPPED_METRICS = '(go_.*|.+_bucket)';

/** Port Prometheus listens on inside its container. */
export const PROMETHEUS_CONTAINER_PORT = 9090;

/**
 * Prometheus serving its API and UI only over HTTPS (TLS 1.2+) with bcrypt basic auth, through its
 * own `--web.config.file` (no proxy sidecar), scraping the collector's exporters and itself, with its
 * TSDB on a named volume.
 */
export class Prometheus extends Construct {
  public readonly image: string;
  public readonly containerName: string;
  public readonly publishedPort: number;
  public readonly publishAddress: string;
  public readonly scrapeIntervalSeconds: number;
  public readonly scrapeTimeoutSeconds: number;
  public readonly evaluationIntervalSeconds: number;
  public readonly retentionDays: number;
  public readonly retentionSizeGigabytes: number;
  public readonly dataVolumeName: string;
  /** The scrape jobs, defaults applied, as rendered into prometheus.yml. */
  public readonly scrapeJobs: readonly ScrapeJob[];
  /** prometheus.yml as uploaded. */
  public readonly configYaml: string;
  public readonly command: readonly string[];
  public readonly volume: Volume;
  public readonly service: DockerService;

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    this.image = assertPinnedImage('Prometheus.image', props.image ?? DEFAULT_IMAGES.prometheus);
    this.containerName = assertNonEmpty('Prometheus.containerName', props.containerName ?? 'peekstack-prometheus');
    this.publishedPort = assertPort('Prometheus.publishedPort', props.publishedPort ?? 19090);
    this.publishAddress = assertNonEmpty('Prometheus.publishAddress', props.publishAddress ?? '0.0.0.0');
    this.scrapeIntervalSeconds = assertIntegerInRange('Prometheus.scrapeIntervalSeconds', props.scrapeIntervalSeconds ?? 15, 1, 3600, 'seconds');
    this.scrapeTimeoutSeconds = assertIntegerInRange(
      'Prometheus.scrapeTimeoutSeconds',
      props.scrapeTimeoutSeconds ?? Math.min(10, this.scrapeIntervalSeconds),
      1,
      this.scrapeIntervalSeconds,
      'seconds (no longer than Prometheus.scrapeIntervalSeconds)',
    );
    this.evaluationIntervalSeconds = assertIntegerInRange(
      'Prometheus.evaluationIntervalSeconds',
      props.evaluationIntervalSeconds ?? this.scrapeIntervalSeconds,
      1,
      3600,
      'seconds',
    );
    this.retentionDays = assertIntegerInRange('Prometheus.retentionDays', props.retentionDays ?? 15, 1, 3650, 'days');
    this.retentionSizeGigabytes = assertIntegerInRange('Prometheus.retentionSizeGigabytes', props.retentionSizeGigabytes ?? 10, 1, 100_000, 'GiB');
    this.dataVolumeName = assertVolumeName('Prometheus.dataVolumeName', props.dataVolumeName ?? 'peekstack-prometheus-data');
    assertNonEmpty('Prometheus.hostName', props.hostName);

    const selfTarget: ScrapeTarget = {
      jobName: 'prometheus',
      address: `localhost:${PROMETHEUS_CONTAINER_PORT}`,
      tls: { caCertificatePem: props.caCertificatePem, serverName: 'localhost' },
      basicAuth: { username: props.credentials.username, password: props.credentials.password },
      dropMetrics: PROMETHEUS_SELF_DROPPED_METRICS,
    };
    const targets = [...props.scrapeTargets, selfTarget];
    this.scrapeJobs = targets.map((target) => this.toScrapeJob(target));
    const duplicate = findDuplicate(this.scrapeJobs.map((job) => job.jobName));
    if (duplicate !== undefined) {
      throw new PeekStackValidationError('Prometheus.scrapeTargets', duplicate, 'unique job names (each exporter once)');
    }
    const ruleFiles = props.ruleFiles ?? [];
    this.configYaml = renderPrometheusConfig({
      hostLabel: props.hostName,
      scrapeIntervalSeconds: this.scrapeIntervalSeconds,
      scrapeTimeoutSeconds: this.scrapeTimeoutSeconds,
      evaluationIntervalSeconds: this.evaluationIntervalSeconds,
      ruleFiles: ruleFiles.map((file) => PROMETHEUS_PATHS.rules(file.fileName)),
      jobs: this.scrapeJobs,
    });
    this.command = [
      `--config.file=${PROMETHEUS_PATHS.config}`,
      `--web.config.file=${PROMETHEUS_PATHS.webConfig}`,
      `--web.listen-address=:${PROMETHEUS_CONTAINER_PORT}`,
      `--storage.tsdb.path=${PROMETHEUS_PATHS.data}`,
      `--storage.tsdb.retention.time=${this.retentionDays}d`,
      `--storage.tsdb.retention.size=${this.retentionSizeGigabytes}GB`,
    ];

    this.volume = new Volume(this, 'data', { name: this.dataVolumeName, provider: props.provider });
    this.service = new DockerService(this, 'service', {
      image: this.image,
      containerName: this.containerName,
      component: 'prometheus',
      provider: props.provider,
      command: [...this.command],
      networksAdvanced: [{ name: props.networkName, aliases: [this.containerName] }],
      ports: [{ internal: PROMETHEUS_CONTAINER_PORT, external: this.publishedPort, ip: this.publishAddress, protocol: 'tcp' }],
      // node_exporter lives in the host's network namespace; this name reaches it from the bridge.
      host: [DOCKER_HOST_GATEWAY_ENTRY],
      volumes: [{ volumeName: this.volume.name, containerPath: PROMETHEUS_PATHS.data }],
      files: [
        { path: PROMETHEUS_PATHS.config, content: this.configYaml },
        {
          path: PROMETHEUS_PATHS.webConfig,
          content: renderWebConfig({
            certFile: PROMETHEUS_PATHS.serverCertificate,
            keyFile: PROMETHEUS_PATHS.serverKey,
            basicAuthUsers: { [props.credentials.username]: props.credentials.passwordBcryptHash },
          }),
        },
        { path: PROMETHEUS_PATHS.serverCertificate, content: props.certificate.certificatePem },
        // The image runs as nobody: the key must be readable by it. Only Prometheus runs in this container.
        { path: PROMETHEUS_PATHS.serverKey, content: props.certificate.privateKeyPem },
        ...targets.flatMap((target) => targetFiles(target)),
        ...ruleFiles.map((file) => ({ path: PROMETHEUS_PATHS.rules(file.fileName), content: file.content })),
      ],
    });
  }

  /** Applies the defaults and the exporter's floor to one target. */
  private toScrapeJob(target: ScrapeTarget): ScrapeJob {
    const field = `Prometheus.scrapeTargets[${target.jobName}]`;
    const ownInterval = target.scrapeIntervalSeconds;
    const interval = ownInterval ?? this.scrapeIntervalSeconds;
    const intervalField = ownInterval === undefined ? `Prometheus.scrapeIntervalSeconds (used by job "${target.jobName}")` : `${field}.scrapeIntervalSeconds`;
    const floor = target.minScrapeIntervalSeconds ?? 1;
    if (!Number.isInteger(interval) || interval < floor || interval > 3600) {
      throw new PeekStackValidationError(
        intervalField,
        interval,
        `an integer from ${floor} to 3600 seconds${floor > 1 ? `: job "${target.jobName}" must not be scraped more often than every ${floor} s` : ''}`,
      );
    }
    const timeout = target.scrapeTimeoutSeconds ?? Math.min(this.scrapeTimeoutSeconds, interval);
    assertIntegerInRange(`${field}.scrapeTimeoutSeconds`, timeout, 1, interval, `seconds (no longer than the job's ${interval} s interval)`);
    return {
      jobName: target.jobName,
      targets: [target.address],
      scrapeIntervalSeconds: interval,
      scrapeTimeoutSeconds: timeout,
      tls: target.tls ? { caFile: PROMETHEUS_PATHS.targetCa(target.jobName), serverName: target.tls.serverName } : undefined,
      basicAuth: target.basicAuth
        ? { username: target.basicAuth.username, passwordFile: PROMETHEUS_PATHS.targetPassword(target.jobName) }
        : undefined,
      dropMetrics: target.dropMetrics,
      fallbackScrapeProtocol: target.fallbackScrapeProtocol,
    };
  }
}

/** The CA and password files a scrape job refers to. */
function targetFiles(target: ScrapeTarget): UploadedFile[] {
  return [
    ...(target.tls ? [{ path: PROMETHEUS_PATHS.targetCa(target.jobName), content: target.tls.caCertificatePem }] : []),
    ...(target.basicAuth ? [{ path: PROMETHEUS_PATHS.targetPassword(target.jobName), content: target.basicAuth.password }] : []),
  ];
}
