import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { Token } from 'cdktf';
import { JOB } from '../../core/labels';
import { DOCKER_HOST_GATEWAY_ENTRY, DockerService } from '../../constructs/docker-service';
import { ServerCertificate } from '../../constructs/certificate-authority';
import { BasicAuthCredentials } from '../../constructs/credentials';
import { PeekStackValidationError } from '../../core/errors';
import { AlertmanagerConfig, OutgoingAuth, RemoteWriteConfig, RemoteWriteQueue, renderHttpClientConfig, renderPrometheusConfig, ScrapeJob, ScrapeTls } from '../../render/prometheus-config';
import { renderRuleFile, RULE_FILE_HEADER } from '../../render/rules';
import { servedTlsFiles } from '../../constructs/served-tls';
import { assertRuleGroup, LABEL_NAME, RuleGroup } from '../../core/rule-group';
import { MAX_TRUNCATED_LABEL_LENGTH, ScrapeTarget } from '../../core/scrape-target';
import { resolvePrometheusSettings, resolveScrapeJobInterval } from './settings';
import { assertIntegerInRange, assertMatches, assertNonEmpty, assertVolumeName } from '../../core/validate';
import { assertSecretToken } from '../../constructs/secret-token';

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
  /** CA, password and token files of a remote_write endpoint or an Alertmanager set. */
  outgoingCa: (kind: OutgoingKind, name: string) => `/etc/prometheus/tls/${kind}-${name}-ca.crt`,
  outgoingPassword: (kind: OutgoingKind, name: string) => `/etc/prometheus/secrets/${kind}-${name}.password`,
  outgoingToken: (kind: OutgoingKind, name: string) => `/etc/prometheus/secrets/${kind}-${name}.token`,
  data: '/prometheus',
  /** promtool's client settings for the health check. */
  healthcheckConfig: '/etc/prometheus/healthcheck.yml',
} as const;

/** Where Prometheus sends data: a remote_write endpoint or an Alertmanager set. */
type OutgoingKind = 'remote-write' | 'alertmanager';

/** How Prometheus proves who it is to, and verifies, an endpoint it sends to. Secrets are Terraform tokens. */
export interface OutgoingEndpointAuth {
  /**
   * PEM of the CA that signed the endpoint's certificate (a literal or a token); uploaded to a file.
   * @default - the system's CAs (HTTPS), or none (HTTP)
   */
  readonly caCertificatePem?: string;
  /**
   * Name to verify in the endpoint's certificate, when it differs from the URL's host.
   * @default - the URL's host
   */
  readonly serverName?: string;
  /**
   * Basic auth; the password is a Terraform token, uploaded to a file and referenced by `password_file`.
   * @default - no basic auth
   */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /**
   * Bearer token (a Terraform token), uploaded to a file and referenced by `credentials_file`.
   * @default - none
   */
  readonly bearerToken?: string;
}

/** A remote_write endpoint, as given to {@link Prometheus.addRemoteWrite}. */
export interface RemoteWriteEndpoint extends OutgoingEndpointAuth {
  /** Unique name: letters, digits, `_` and `-` (it names files and Prometheus's remote-storage metrics). */
  readonly name: string;
  /** `http(s)://...` write URL, without credentials (a literal, or a token from another stack). */
  readonly url: string;
  /**
   * Extra HTTP headers, e.g. `X-Scope-OrgID` (Mimir's tenant) or `THANOS-TENANT`. Not for secrets:
   * use `basicAuth` or `bearerToken`.
   * @default - none
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Queue settings.
   * @default - Prometheus's
   * @see https://prometheus.io/docs/practices/remote_write/
   */
  readonly queue?: RemoteWriteQueue;
  /**
   * Timeout of one request.
   * @default - Prometheus's (30 s)
   */
  readonly remoteTimeoutSeconds?: number;
}

/** An Alertmanager set, as given to {@link Prometheus.addAlertmanager}. */
export interface AlertmanagerEndpoint extends OutgoingEndpointAuth {
  /** Unique name: letters, digits, `_` and `-`. */
  readonly name: string;
  /** `host:port` of each Alertmanager (several for a highly available set). */
  readonly targets: readonly string[];
  /**
   * `https` (with `caCertificatePem`) or `http`.
   * @default 'https'
   */
  readonly scheme?: 'http' | 'https';
  /**
   * Path prefix of the Alertmanager API.
   * @default '/'
   */
  readonly pathPrefix?: string;
}

/** Options of {@link Prometheus.addRuleGroup}. */
export interface AddRuleGroupOptions {
  /**
   * Rule file the group goes into (under /etc/prometheus/rules/).
   * @default 'custom.rules.yml'
   */
  readonly fileName?: string;
}

/** Rule file of the groups users add. */
export const CUSTOM_RULE_FILE = 'custom.rules.yml';

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
  /**
   * Exporters to scrape (Prometheus always scrapes itself too); more with {@link Prometheus.addScrapeTarget}.
   * @default - none but itself
   */
  readonly scrapeTargets?: readonly ScrapeTarget[];
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
   * Rule files to load as they are, beside the groups added with {@link Prometheus.addRuleGroup}.
   * @default - none
   */
  readonly ruleFiles?: readonly RuleFile[];
  /**
   * Rule groups to load (into `custom.rules.yml`); more with {@link Prometheus.addRuleGroup}.
   * @default - none
   */
  readonly ruleGroups?: readonly RuleGroup[];
  /**
   * Endpoints to remote_write every sample to; more with {@link Prometheus.addRemoteWrite}.
   * @default - none
   */
  readonly remoteWrite?: readonly RemoteWriteEndpoint[];
  /**
   * Alertmanagers to send alerts to; more with {@link Prometheus.addAlertmanager}.
   * @default - none: alerts are evaluated but sent nowhere
   */
  readonly alertmanagers?: readonly AlertmanagerEndpoint[];
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
  /** Value of the `host` label on every series. */
  public readonly hostName: string;
  public readonly command: readonly string[];
  public readonly volume: Volume;
  public readonly service: DockerService;
  private readonly jobs: ScrapeJob[] = [];
  /** The jobs' names, to refuse a second job of a name (a Set: the prober of a fleet has a job per host). */
  private readonly jobNames = new Set<string>();
  private readonly selfJob: ScrapeJob;
  private readonly ruleGroupsByFile = new Map<string, RuleGroup[]>();
  private readonly ruleFilePaths: string[] = [];
  private readonly remoteWrites: RemoteWriteConfig[] = [];
  private readonly alertmanagerSets: AlertmanagerConfig[] = [];
  private readonly outgoingNames = new Set<string>();

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    // The settings a fleet file gives, checked where `peekstack validate` checks them too (settings.ts).
    const settings = resolvePrometheusSettings(props);
    this.image = settings.image;
    this.containerName = assertNonEmpty('Prometheus.containerName', props.containerName ?? 'peekstack-prometheus');
    this.publishedPort = settings.publishedPort;
    this.publishAddress = assertNonEmpty('Prometheus.publishAddress', props.publishAddress ?? '0.0.0.0');
    this.scrapeIntervalSeconds = settings.scrapeIntervalSeconds;
    this.scrapeTimeoutSeconds = settings.scrapeTimeoutSeconds;
    this.evaluationIntervalSeconds = settings.evaluationIntervalSeconds;
    this.retentionDays = settings.retentionDays;
    this.retentionSizeGigabytes = settings.retentionSizeGigabytes;
    this.dataVolumeName = assertVolumeName('Prometheus.dataVolumeName', props.dataVolumeName ?? 'peekstack-prometheus-data');
    this.hostName = assertNonEmpty('Prometheus.hostName', props.hostName);

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
        // Rendered at synthesis: scrape jobs, rule files, remote_write and Alertmanagers may still be added.
        { path: PROMETHEUS_PATHS.config, content: () => this.configYaml },
        // The image runs as nobody: the key must be readable by it. Only Prometheus runs in this container.
        ...servedTlsFiles({ webConfig: PROMETHEUS_PATHS.webConfig, certificate: PROMETHEUS_PATHS.serverCertificate, key: PROMETHEUS_PATHS.serverKey }, props.certificate, props.credentials),
        {
          path: PROMETHEUS_PATHS.healthcheckConfig,
          content: renderHttpClientConfig({
            tls: { caFile: PROMETHEUS_PATHS.targetCa(JOB.prometheus), serverName: 'localhost' },
            basicAuth: { username: props.credentials.username, passwordFile: PROMETHEUS_PATHS.targetPassword(JOB.prometheus) },
          }),
        },
      ],
      hardening: {
        // Sized for a single host's series with headroom; a limit hit is an OOM kill, so generous.
        memoryLimitMegabytes: 2048,
        // Runs as nobody on an unprivileged port: no capability needed.
        dropAllCapabilities: true,
        // Not read-only: Docker refuses the provider's file uploads into a read-only root filesystem.
        readOnlyRootFilesystem: false,
        // promtool ships in the image: it checks /-/healthy over HTTPS with the self-scrape's CA and password file.
        healthcheck: {
          test: ['CMD', 'promtool', 'check', 'healthy', `--url=https://localhost:${PROMETHEUS_CONTAINER_PORT}`, `--http.config.file=${PROMETHEUS_PATHS.healthcheckConfig}`],
          interval: '30s',
          timeout: '10s',
          retries: 3,
          startPeriod: '60s',
        },
      },
    });

    for (const target of props.scrapeTargets ?? []) this.addScrapeTarget(target);
    // Its own job, rendered last; its password is the construct's own credentials (already checked by whoever made them).
    this.selfJob = this.addTarget(
      {
        jobName: JOB.prometheus,
        address: `localhost:${PROMETHEUS_CONTAINER_PORT}`,
        tls: { caCertificatePem: props.caCertificatePem, serverName: 'localhost' },
        basicAuth: { username: props.credentials.username, password: props.credentials.password },
        dropMetrics: PROMETHEUS_SELF_DROPPED_METRICS,
      },
      false,
    );
    for (const file of props.ruleFiles ?? []) this.addRuleFile(file);
    for (const group of props.ruleGroups ?? []) this.addRuleGroup(group);
    for (const endpoint of props.remoteWrite ?? []) this.addRemoteWrite(endpoint);
    for (const alertmanager of props.alertmanagers ?? []) this.addAlertmanager(alertmanager);
  }

  /** The scrape jobs, defaults applied, as rendered into prometheus.yml. */
  public get scrapeJobs(): readonly ScrapeJob[] {
    return [...this.jobs, this.selfJob];
  }

  /** The remote_write endpoints, as rendered (secrets as file paths). */
  public get remoteWriteConfigs(): readonly RemoteWriteConfig[] {
    return this.remoteWrites;
  }

  /** The Alertmanager sets, as rendered (secrets as file paths). */
  public get alertmanagerConfigs(): readonly AlertmanagerConfig[] {
    return this.alertmanagerSets;
  }

  /** Every rule group added, by rule file name. */
  public get ruleGroups(): ReadonlyMap<string, readonly RuleGroup[]> {
    return this.ruleGroupsByFile;
  }

  /** prometheus.yml as it is uploaded: rendered from everything added so far. */
  public get configYaml(): string {
    return renderPrometheusConfig({
      hostLabel: this.hostName,
      scrapeIntervalSeconds: this.scrapeIntervalSeconds,
      scrapeTimeoutSeconds: this.scrapeTimeoutSeconds,
      evaluationIntervalSeconds: this.evaluationIntervalSeconds,
      ruleFiles: this.ruleFilePaths,
      jobs: this.scrapeJobs,
      remoteWrite: this.remoteWrites,
      alertmanagers: this.alertmanagerSets,
    });
  }

  /**
   * Scrapes one more target. Its CA and password are uploaded to files the job refers to.
   * @throws PeekStackValidationError for a job name already scraped, or an interval or timeout out of range
   */
  public addScrapeTarget(target: ScrapeTarget): void {
    assertMatches('Prometheus.addScrapeTarget(target).jobName', target.jobName, SAFE_NAME, SAFE_NAME_ALLOWED);
    // The self job is rendered last but its name is always taken.
    if (target.jobName === JOB.prometheus || this.jobNames.has(target.jobName)) {
      throw new PeekStackValidationError('Prometheus.addScrapeTarget(target).jobName', target.jobName, 'a job name not already scraped by this Prometheus (each exporter once)');
    }
    this.jobs.push(this.addTarget(target, true));
    this.jobNames.add(target.jobName);
  }

  /** Checks a target, uploads its CA and password files, and returns its job. */
  private addTarget(target: ScrapeTarget, passwordMustBeToken: boolean): ScrapeJob {
    assertNonEmpty(`Prometheus.addScrapeTarget(target).address`, target.address);
    const job = this.toScrapeJob(target);
    if (target.tls) this.service.addFile({ path: PROMETHEUS_PATHS.targetCa(target.jobName), content: target.tls.caCertificatePem });
    if (target.basicAuth) {
      if (passwordMustBeToken) assertSecretToken(`Prometheus.addScrapeTarget(${target.jobName}).basicAuth.password`, target.basicAuth.password);
      this.service.addFile({ path: PROMETHEUS_PATHS.targetPassword(target.jobName), content: target.basicAuth.password });
    }
    return job;
  }


  /**
   * Loads one more rule group, beside PeekStack's own (never replacing them). The rule file is
   * rendered at synthesis with every group added to it.
   * @throws PeekStackValidationError for a malformed group or a group name already loaded
   */
  public addRuleGroup(group: RuleGroup, options: AddRuleGroupOptions = {}): void {
    assertRuleGroup('Prometheus.addRuleGroup(group)', group);
    const fileName = assertMatches('Prometheus.addRuleGroup(options).fileName', options.fileName ?? CUSTOM_RULE_FILE, RULE_FILE_NAME, 'a file name ending in .yml or .yaml (letters, digits, ".", "_", "-")');
    const taken = [...this.ruleGroupsByFile.values()].flat().some((existing) => existing.name === group.name);
    if (taken) throw new PeekStackValidationError('Prometheus.addRuleGroup(group).name', group.name, 'a rule group name not already loaded by this Prometheus');
    let groups = this.ruleGroupsByFile.get(fileName);
    if (!groups) {
      this.claimRuleFile(fileName);
      groups = [];
      this.ruleGroupsByFile.set(fileName, groups);
      const rendered = groups;
      this.service.addFile({ path: PROMETHEUS_PATHS.rules(fileName), content: () => renderRuleFile(rendered, RULE_FILE_HEADER) });
    }
    groups.push(group);
  }

  /** Loads a rule file as it is (its text is not parsed here; promtool checks it in the tests). */
  public addRuleFile(file: RuleFile): void {
    assertMatches('Prometheus.addRuleFile(file).fileName', file.fileName, RULE_FILE_NAME, 'a file name ending in .yml or .yaml (letters, digits, ".", "_", "-")');
    this.claimRuleFile(file.fileName);
    this.service.addFile({ path: PROMETHEUS_PATHS.rules(file.fileName), content: file.content });
  }

  /**
   * Sends every sample to one more remote_write endpoint. Credentials and CA go to files; the
   * `host` external label rides on every sample.
   * @throws PeekStackValidationError for a URL that is not http(s) or carries credentials, a name in use, or a literal secret
   */
  public addRemoteWrite(endpoint: RemoteWriteEndpoint): void {
    const field = 'Prometheus.addRemoteWrite(endpoint)';
    assertHttpUrl(`${field}.url`, endpoint.url);
    for (const [header, value] of Object.entries(endpoint.headers ?? {})) {
      if (/^(authorization|cookie)$/i.test(header)) {
        throw new PeekStackValidationError(`${field}.headers`, header, 'headers other than Authorization and Cookie: give credentials as basicAuth or bearerToken (Terraform tokens, uploaded to files)');
      }
      assertNonEmpty(`${field}.headers.${header}`, value);
    }
    if (endpoint.remoteTimeoutSeconds !== undefined) assertIntegerInRange(`${field}.remoteTimeoutSeconds`, endpoint.remoteTimeoutSeconds, 1, 600, 'seconds');
    assertQueue(`${field}.queue`, endpoint.queue ?? {});
    const auth = this.outgoingAuth('remote-write', field, endpoint);
    this.remoteWrites.push({
      name: endpoint.name,
      url: endpoint.url,
      headers: endpoint.headers,
      queue: endpoint.queue,
      remoteTimeoutSeconds: endpoint.remoteTimeoutSeconds,
      ...auth,
    });
  }

  /**
   * Sends alerts to one more Alertmanager set, over HTTPS verified against `caCertificatePem`.
   * @throws PeekStackValidationError for a name in use, no targets, or a literal secret
   */
  public addAlertmanager(alertmanager: AlertmanagerEndpoint): void {
    const field = 'Prometheus.addAlertmanager(alertmanager)';
    if (!Array.isArray(alertmanager.targets) || alertmanager.targets.length === 0) {
      throw new PeekStackValidationError(`${field}.targets`, alertmanager.targets, 'at least one "host:port" of an Alertmanager');
    }
    alertmanager.targets.forEach((target, index) => assertNonEmpty(`${field}.targets[${index}]`, target));
    const auth = this.outgoingAuth('alertmanager', field, alertmanager);
    this.alertmanagerSets.push({ targets: [...alertmanager.targets], scheme: alertmanager.scheme ?? 'https', pathPrefix: alertmanager.pathPrefix, ...auth });
  }

  /** Checks a remote_write or Alertmanager endpoint's name and secrets, uploads its files, and says where they are. */
  private outgoingAuth(kind: OutgoingKind, field: string, endpoint: OutgoingEndpointAuth & { readonly name: string }): OutgoingAuth & { tls?: ScrapeTls } {
    assertMatches(`${field}.name`, endpoint.name, SAFE_NAME, SAFE_NAME_ALLOWED);
    const key = `${kind}/${endpoint.name}`;
    if (this.outgoingNames.has(key)) throw new PeekStackValidationError(`${field}.name`, endpoint.name, `a ${kind} name not already used on this Prometheus`);
    if (endpoint.basicAuth && endpoint.bearerToken) {
      throw new PeekStackValidationError(field, '<basicAuth and bearerToken, not shown>', 'basicAuth or bearerToken, not both');
    }
    if (endpoint.basicAuth) {
      assertNonEmpty(`${field}.basicAuth.username`, endpoint.basicAuth.username);
      assertSecretToken(`${field}.basicAuth.password`, endpoint.basicAuth.password);
    }
    if (endpoint.bearerToken !== undefined) assertSecretToken(`${field}.bearerToken`, endpoint.bearerToken);
    this.outgoingNames.add(key);
    const ca = endpoint.caCertificatePem ? PROMETHEUS_PATHS.outgoingCa(kind, endpoint.name) : undefined;
    if (ca) this.service.addFile({ path: ca, content: endpoint.caCertificatePem! });
    if (endpoint.basicAuth) this.service.addFile({ path: PROMETHEUS_PATHS.outgoingPassword(kind, endpoint.name), content: endpoint.basicAuth.password });
    if (endpoint.bearerToken) this.service.addFile({ path: PROMETHEUS_PATHS.outgoingToken(kind, endpoint.name), content: endpoint.bearerToken });
    return {
      tls: ca || endpoint.serverName ? { caFile: ca, serverName: endpoint.serverName } : undefined,
      basicAuth: endpoint.basicAuth ? { username: endpoint.basicAuth.username, passwordFile: PROMETHEUS_PATHS.outgoingPassword(kind, endpoint.name) } : undefined,
      bearerTokenFile: endpoint.bearerToken ? PROMETHEUS_PATHS.outgoingToken(kind, endpoint.name) : undefined,
    };
  }

  private claimRuleFile(fileName: string): void {
    const path = PROMETHEUS_PATHS.rules(fileName);
    if (this.ruleFilePaths.includes(path)) throw new PeekStackValidationError('Prometheus rule files', fileName, 'a rule file name not already loaded');
    this.ruleFilePaths.push(path);
  }

  /** Applies the defaults and the exporter's floor to one target. */
  private toScrapeJob(target: ScrapeTarget): ScrapeJob {
    const field = `Prometheus.scrapeTargets[${target.jobName}]`;
    const interval = resolveScrapeJobInterval(target, this.scrapeIntervalSeconds);
    const timeout = target.scrapeTimeoutSeconds ?? Math.min(this.scrapeTimeoutSeconds, interval);
    assertIntegerInRange(`${field}.scrapeTimeoutSeconds`, timeout, 1, interval, `seconds (no longer than the job's ${interval} s interval)`);
    for (const [label, length] of Object.entries(target.truncateLabels ?? {})) {
      assertMatches(`${field}.truncateLabels`, label, LABEL_NAME, 'a label name of letters, digits and "_", not starting with a digit');
      assertIntegerInRange(`${field}.truncateLabels.${label}`, length, 1, MAX_TRUNCATED_LABEL_LENGTH, 'characters');
    }
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
      truncateLabels: target.truncateLabels,
      fallbackScrapeProtocol: target.fallbackScrapeProtocol,
      metricsPath: target.metricsPath,
      params: target.params,
      labels: target.labels,
    };
  }
}

/** Job, endpoint and group names: they become file names and labels. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const SAFE_NAME_ALLOWED = 'letters, digits, "_" and "-", starting with a letter or digit, at most 63 characters';
const RULE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/;

/**
 * An http(s) URL without credentials. A token (a URL from another stack) is accepted when what is
 * literal around it still starts with the scheme.
 */
export function assertHttpUrl(field: string, url: string): string {
  if (typeof url !== 'string') throw new PeekStackValidationError(field, url, 'an http:// or https:// URL');
  if (Token.isUnresolved(url)) {
    const literalStart = url.split('${TfToken[')[0];
    if (literalStart !== '' && !/^https?:\/\//.test(literalStart)) throw new PeekStackValidationError(field, literalStart, 'an http:// or https:// URL');
    return url;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PeekStackValidationError(field, url, 'an http:// or https:// URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PeekStackValidationError(field, `${parsed.protocol}//...`, 'an http:// or https:// URL');
  }
  if (parsed.username || parsed.password) {
    throw new PeekStackValidationError(field, '<a URL with credentials, not shown>', 'a URL without user or password: give credentials as basicAuth or bearerToken');
  }
  return url;
}

function assertQueue(field: string, queue: RemoteWriteQueue): void {
  for (const [key, value] of Object.entries(queue)) {
    if (value !== undefined) assertIntegerInRange(`${field}.${key}`, value as number, 1, 10_000_000, '');
  }
}
