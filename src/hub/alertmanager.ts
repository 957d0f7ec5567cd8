import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { ServerCertificate } from '../constructs/certificate-authority';
import { BasicAuthCredentials } from '../constructs/credentials';
import { DockerService, UploadedFile } from '../constructs/docker-service';
import { listSome, PeekStackValidationError } from '../core/errors';
import { ALERTMANAGER_DEFAULTS } from '../core/defaults';
import { DEFAULT_IMAGES } from '../core/images';
import { assertHttpUrl } from '../components/prometheus/prometheus';
import { AlertSeverity, ALERT_SEVERITIES, ReceiverConfig, renderAlertmanagerConfig, SeverityRoute } from '../render/alertmanager-config';
import { servedTlsFiles } from '../constructs/served-tls';
import { renderClusterTlsConfig } from '../render/alertmanager-cluster-tls';
import { ipVersion, urlHost } from '../core/names';
import { assertIntegerInRange, assertMatches, assertNonEmpty, assertPinnedImage, assertPort, assertVolumeName, findDuplicate } from '../core/validate';
import { assertSecretToken } from '../constructs/secret-token';
import { HEARTBEAT_RECEIVER } from '../render/heartbeat-route';
import { VMALERT_DEFAULTS } from '../core/defaults';

/** Where Alertmanager finds each file PeekStack uploads into its container. */
export const ALERTMANAGER_PATHS = {
  config: '/etc/alertmanager/alertmanager.yml',
  webConfig: '/etc/alertmanager/web-config.yml',
  serverCertificate: '/etc/alertmanager/tls/server.crt',
  serverKey: '/etc/alertmanager/tls/server.key',
  /** A receiver's secret (password, URL, key, token). */
  secret: (receiver: string, what: string) => `/etc/alertmanager/secrets/${receiver}.${what}`,
  /** Gossip of a pair: the `--cluster.tls-config` file, this member's certificate and key, the cluster CA. */
  clusterTlsConfig: '/etc/alertmanager/cluster-tls.yml',
  clusterCertificate: '/etc/alertmanager/cluster/peer.crt',
  clusterKey: '/etc/alertmanager/cluster/peer.key',
  clusterCa: '/etc/alertmanager/cluster/ca.crt',
  data: '/alertmanager',
} as const;

/** Port Alertmanager listens on inside its container. */
export const ALERTMANAGER_CONTAINER_PORT = 9093;

/** Port Alertmanager gossips on inside its container, when it is one of a pair. */
export const ALERTMANAGER_CLUSTER_CONTAINER_PORT = 9094;

/** Gossip with the other Alertmanager of a pair, over mutual TLS. */
export interface AlertmanagerCluster {
  /**
   * IP address of this host that the peer reaches: the gossip port is published on it alone and
   * advertised at it (Alertmanager advertises an IP, never a name).
   */
  readonly address: string;
  /**
   * Gossip port published on `address` (TCP: with a TLS config, gossip runs over TLS streams only).
   * @default 9094
   */
  readonly port?: number;
  /** `ip:port` of the other members' gossip ports (`--cluster.peer`). */
  readonly peers: readonly string[];
  /** This member's certificate, from `caCertificatePem`'s CA, with server and client auth and `address` among its IP names. */
  readonly certificate: ServerCertificate;
  /** PEM of the CA that signs every member's certificate: the only one gossip trusts. */
  readonly caCertificatePem: string;
}

/** A receiver, its secret a Terraform token (a sensitive variable), never a literal. */
export type AlertReceiver =
  | {
      readonly name: string;
      readonly kind: 'webhook';
      /** http(s) URL notifications are POSTed to (no credentials in it). */
      readonly url: string;
      /** Bearer token sent with each notification (a token). @default - none */
      readonly bearerToken?: string;
    }
  | {
      readonly name: string;
      readonly kind: 'email';
      readonly to: string;
      readonly from: string;
      /** `host:port` of the SMTP server (STARTTLS required). */
      readonly smarthost: string;
      /** @default - the `from` address */
      readonly username?: string;
      /** SMTP password (a token). */
      readonly password: string;
    }
  | {
      readonly name: string;
      readonly kind: 'slack';
      /** Incoming-webhook URL (a token: whoever has it can post). */
      readonly webhookUrl: string;
      /** @default - the webhook's channel */
      readonly channel?: string;
    }
  | {
      readonly name: string;
      readonly kind: 'pagerduty';
      /** Events API v2 routing key (a token). */
      readonly routingKey: string;
    };

/** Props of {@link Alertmanager}. */
export interface AlertmanagerProps {
  /** Certificate served on the HTTPS port; its SANs must hold every address Prometheus uses. */
  readonly certificate: ServerCertificate;
  /** Basic-auth user Prometheus sends alerts as (and operators use for the UI and API). */
  readonly credentials: BasicAuthCredentials;
  /** Where notifications go; at least one. */
  readonly receivers: readonly AlertReceiver[];
  /**
   * Receiver of alerts no route matches.
   * @default - the first receiver
   */
  readonly defaultReceiver?: string;
  /**
   * Alerts of a severity to a receiver, first match wins.
   * @default - none: everything to the default receiver
   */
  readonly routes?: readonly SeverityRoute[];
  /**
   * Wait for more alerts of a new group before its first notification.
   * @default 30
   */
  readonly groupWaitSeconds?: number;
  /**
   * Wait before notifying about changes (new or resolved alerts) of a group already notified.
   * @default 300
   */
  readonly groupIntervalSeconds?: number;
  /**
   * Notify again about a group still firing after this long.
   * @default 14400 (4 hours)
   */
  readonly repeatIntervalSeconds?: number;
  /**
   * Pinned image.
   * @default DEFAULT_IMAGES.alertmanager
   */
  readonly image?: string;
  /**
   * Container name.
   * @default 'peekstack-alertmanager'
   */
  readonly containerName?: string;
  /**
   * Port published on the host (HTTPS + basic auth only).
   * @default 9093
   */
  readonly publishedPort?: number;
  /**
   * Host address the published port binds to.
   * @default '0.0.0.0'
   */
  readonly publishAddress?: string;
  /**
   * Named Docker volume holding silences and the notification log; it outlives container replacements.
   * @default 'peekstack-alertmanager-data'
   */
  readonly dataVolumeName?: string;
  /**
   * Keep silences and notification log entries this long (`--data.retention`).
   * @default 5
   */
  readonly dataRetentionDays?: number;
  /**
   * Gossip with the other Alertmanager of a pair (encrypted and authenticated by mutual TLS), so the
   * pair sends one notification per alert and shares silences.
   * @default - none: a single instance, gossip off
   */
  readonly cluster?: AlertmanagerCluster;
  /**
   * The dead man's switch: the always-firing `Watchdog` alert (from vmalert) to a heartbeat URL.
   * @default - none
   */
  readonly heartbeat?: AlertmanagerHeartbeat;
  /**
   * A Docker network to join besides the default one (the hub's, where vmalert and the store reach it).
   * @default - the default bridge network only
   */
  readonly networkName?: string;
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
}

/** The heartbeat receiver of {@link AlertmanagerProps.heartbeat}. */
export interface AlertmanagerHeartbeat {
  /** The heartbeat URL (a token: whoever has it can ping), e.g. a healthchecks.io ping URL. */
  readonly url: string;
  /**
   * Seconds between heartbeats (the Watchdog route's repeat_interval); the service should alarm after a few missed.
   * @default VMALERT_DEFAULTS.heartbeatIntervalSeconds (60)
   */
  readonly intervalSeconds?: number;
}

const RECEIVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const HOST_PORT = /^[^\s:/]+:\d{1,5}$/;

/**
 * Alertmanager, a single instance or one of a pair (`cluster`), serving its API and UI only over HTTPS (TLS 1.2+) with bcrypt basic
 * auth through its own `--web.config.file`, gossip off, silences and notification log on a named
 * volume. Receivers' secrets are uploaded to files the configuration names (`*_file`).
 */
export class Alertmanager extends Construct {
  public readonly image: string;
  public readonly containerName: string;
  public readonly publishedPort: number;
  public readonly publishAddress: string;
  public readonly dataVolumeName: string;
  public readonly dataRetentionDays: number;
  public readonly groupWaitSeconds: number;
  public readonly groupIntervalSeconds: number;
  public readonly repeatIntervalSeconds: number;
  public readonly defaultReceiver: string;
  public readonly routes: readonly SeverityRoute[];
  /** Seconds between heartbeats, when there is a heartbeat receiver. */
  public readonly heartbeatIntervalSeconds?: number;
  /** The receivers as rendered (secrets as file paths). */
  public readonly receiverConfigs: readonly ReceiverConfig[];
  public readonly command: readonly string[];
  /** The gossip port published on the host, when it is one of a pair. */
  public readonly clusterPort?: number;
  public readonly volume: Volume;
  public readonly service: DockerService;

  constructor(scope: Construct, id: string, props: AlertmanagerProps) {
    super(scope, id);
    this.image = assertPinnedImage('Alertmanager.image', props.image ?? DEFAULT_IMAGES.alertmanager);
    this.containerName = assertNonEmpty('Alertmanager.containerName', props.containerName ?? 'peekstack-alertmanager');
    this.publishedPort = assertPort('Alertmanager.publishedPort', props.publishedPort ?? ALERTMANAGER_DEFAULTS.publishedPort);
    this.publishAddress = assertNonEmpty('Alertmanager.publishAddress', props.publishAddress ?? '0.0.0.0');
    this.dataVolumeName = assertVolumeName('Alertmanager.dataVolumeName', props.dataVolumeName ?? 'peekstack-alertmanager-data');
    this.dataRetentionDays = assertIntegerInRange('Alertmanager.dataRetentionDays', props.dataRetentionDays ?? ALERTMANAGER_DEFAULTS.dataRetentionDays, ALERTMANAGER_DEFAULTS.bounds.dataRetentionDays.min, ALERTMANAGER_DEFAULTS.bounds.dataRetentionDays.max, 'days');
    this.groupWaitSeconds = assertIntegerInRange('Alertmanager.groupWaitSeconds', props.groupWaitSeconds ?? ALERTMANAGER_DEFAULTS.groupWaitSeconds, ALERTMANAGER_DEFAULTS.bounds.groupWaitSeconds.min, ALERTMANAGER_DEFAULTS.bounds.groupWaitSeconds.max, 'seconds');
    this.groupIntervalSeconds = assertIntegerInRange('Alertmanager.groupIntervalSeconds', props.groupIntervalSeconds ?? ALERTMANAGER_DEFAULTS.groupIntervalSeconds, ALERTMANAGER_DEFAULTS.bounds.groupIntervalSeconds.min, ALERTMANAGER_DEFAULTS.bounds.groupIntervalSeconds.max, 'seconds');
    this.repeatIntervalSeconds = assertIntegerInRange('Alertmanager.repeatIntervalSeconds', props.repeatIntervalSeconds ?? ALERTMANAGER_DEFAULTS.repeatIntervalSeconds, ALERTMANAGER_DEFAULTS.bounds.repeatIntervalSeconds.min, ALERTMANAGER_DEFAULTS.bounds.repeatIntervalSeconds.max, 'seconds');

    if (!Array.isArray(props.receivers) || props.receivers.length === 0) {
      throw new PeekStackValidationError('Alertmanager.receivers', props.receivers, 'at least one receiver (webhook, email, slack or pagerduty)');
    }
    const names = props.receivers.map((receiver, index) => assertMatches(`Alertmanager.receivers[${index}].name`, receiver.name, RECEIVER_NAME, 'letters, digits, "_" and "-"'));
    const duplicate = findDuplicate(names);
    if (duplicate) throw new PeekStackValidationError('Alertmanager.receivers', duplicate, 'receiver names used once each');
    if (names.includes(HEARTBEAT_RECEIVER)) throw new PeekStackValidationError('Alertmanager.receivers', HEARTBEAT_RECEIVER, 'a name other than the heartbeat receiver\'s');
    this.defaultReceiver = props.defaultReceiver ?? names[0];
    if (!names.includes(this.defaultReceiver)) throw new PeekStackValidationError('Alertmanager.defaultReceiver', this.defaultReceiver, `one of the receivers: ${listSome(names)}`);
    this.routes = [...(props.routes ?? [])];
    this.routes.forEach((route, index) => {
      if (!ALERT_SEVERITIES.includes(route.severity as AlertSeverity)) {
        throw new PeekStackValidationError(`Alertmanager.routes[${index}].severity`, route.severity, `one of ${ALERT_SEVERITIES.join(', ')}`);
      }
      if (!names.includes(route.receiver)) throw new PeekStackValidationError(`Alertmanager.routes[${index}].receiver`, route.receiver, `one of the receivers: ${listSome(names)}`);
    });

    const cluster = props.cluster;
    if (cluster) {
      if (ipVersion(cluster.address) === 0) throw new PeekStackValidationError('Alertmanager.cluster.address', cluster.address, 'an IP address: Alertmanager advertises its gossip at an IP, never a name');
      this.clusterPort = assertPort('Alertmanager.cluster.port', cluster.port ?? ALERTMANAGER_DEFAULTS.clusterPort);
      if (cluster.peers.length === 0) throw new PeekStackValidationError('Alertmanager.cluster.peers', cluster.peers, 'at least one peer ip:port');
    }
    this.command = [
      `--config.file=${ALERTMANAGER_PATHS.config}`,
      `--web.config.file=${ALERTMANAGER_PATHS.webConfig}`,
      `--web.listen-address=:${ALERTMANAGER_CONTAINER_PORT}`,
      `--storage.path=${ALERTMANAGER_PATHS.data}`,
      `--data.retention=${this.dataRetentionDays * 24}h`,
      ...(cluster
        ? [
            `--cluster.listen-address=0.0.0.0:${ALERTMANAGER_CLUSTER_CONTAINER_PORT}`,
            // The container's own address is unreachable from the peer's host: advertise the published one.
            `--cluster.advertise-address=${urlHost(cluster.address)}:${this.clusterPort}`,
            `--cluster.tls-config=${ALERTMANAGER_PATHS.clusterTlsConfig}`,
            ...cluster.peers.map((peer) => `--cluster.peer=${peer}`),
          ]
        : // A single instance: gossip off (an empty address disables clustering).
          ['--cluster.listen-address=']),
    ];

    const secretFiles: { path: string; content: string }[] = [];
    const secret = (field: string, receiver: string, what: string, token: string): string => {
      assertSecretToken(field, token);
      const path = ALERTMANAGER_PATHS.secret(receiver, what);
      secretFiles.push({ path, content: token });
      return path;
    };
    this.receiverConfigs = props.receivers.map((receiver, index): ReceiverConfig => {
      const field = `Alertmanager.receivers[${index}]`;
      switch (receiver.kind) {
        case 'webhook':
          assertHttpUrl(`${field}.url`, receiver.url);
          return {
            name: receiver.name,
            kind: 'webhook',
            url: receiver.url,
            bearerTokenFile: receiver.bearerToken === undefined ? undefined : secret(`${field}.bearerToken`, receiver.name, 'token', receiver.bearerToken),
          };
        case 'email':
          assertMatches(`${field}.to`, receiver.to, EMAIL, 'an email address');
          assertMatches(`${field}.from`, receiver.from, EMAIL, 'an email address');
          assertMatches(`${field}.smarthost`, receiver.smarthost, HOST_PORT, 'host:port of the SMTP server');
          return { name: receiver.name, kind: 'email', to: receiver.to, from: receiver.from, smarthost: receiver.smarthost, username: receiver.username, passwordFile: secret(`${field}.password`, receiver.name, 'password', receiver.password) };
        case 'slack':
          return { name: receiver.name, kind: 'slack', channel: receiver.channel, apiUrlFile: secret(`${field}.webhookUrl`, receiver.name, 'url', receiver.webhookUrl) };
        case 'pagerduty':
          return { name: receiver.name, kind: 'pagerduty', routingKeyFile: secret(`${field}.routingKey`, receiver.name, 'key', receiver.routingKey) };
        default:
          throw new PeekStackValidationError(`${field}.kind`, (receiver as { kind: unknown }).kind, 'one of webhook, email, slack, pagerduty');
      }
    });

    const heartbeatBounds = VMALERT_DEFAULTS.bounds.heartbeatIntervalSeconds;
    this.heartbeatIntervalSeconds = props.heartbeat
      ? assertIntegerInRange('Alertmanager.heartbeat.intervalSeconds', props.heartbeat.intervalSeconds ?? VMALERT_DEFAULTS.heartbeatIntervalSeconds, heartbeatBounds.min, heartbeatBounds.max, 'seconds')
      : undefined;
    const heartbeat = props.heartbeat ? { urlFile: secret('Alertmanager.heartbeat.url', HEARTBEAT_RECEIVER, 'url', props.heartbeat.url), intervalSeconds: this.heartbeatIntervalSeconds! } : undefined;

    this.volume = new Volume(this, 'data', { name: this.dataVolumeName, provider: props.provider });
    this.service = new DockerService(this, 'service', {
      image: this.image,
      containerName: this.containerName,
      component: 'alertmanager',
      hardening: {
        memoryLimitMegabytes: 256,
        // Runs as nobody on unprivileged ports (HTTPS, and gossip in a pair): no capability needed.
        dropAllCapabilities: true,
        // Not read-only: Docker refuses the provider's file uploads into a read-only root filesystem.
      },
      provider: props.provider,
      command: [...this.command],
      ports: [
        { internal: ALERTMANAGER_CONTAINER_PORT, external: this.publishedPort, ip: this.publishAddress, protocol: 'tcp' },
        // Gossip only on the address the peer reaches; mutual TLS refuses anyone else who gets there.
        ...(cluster ? [{ internal: ALERTMANAGER_CLUSTER_CONTAINER_PORT, external: this.clusterPort!, ip: cluster.address, protocol: 'tcp' }] : []),
      ],
      volumes: [{ volumeName: this.volume.name, containerPath: ALERTMANAGER_PATHS.data }],
      ...(props.networkName ? { networksAdvanced: [{ name: props.networkName, aliases: [this.containerName] }] } : {}),
      files: [
        {
          path: ALERTMANAGER_PATHS.config,
          content: renderAlertmanagerConfig({
            receivers: this.receiverConfigs,
            defaultReceiver: this.defaultReceiver,
            routes: this.routes,
            groupWaitSeconds: this.groupWaitSeconds,
            groupIntervalSeconds: this.groupIntervalSeconds,
            repeatIntervalSeconds: this.repeatIntervalSeconds,
            heartbeat,
          }),
        },
        // The image runs as nobody: the key and secrets must be readable by it. Only Alertmanager runs in this container.
        ...servedTlsFiles({ webConfig: ALERTMANAGER_PATHS.webConfig, certificate: ALERTMANAGER_PATHS.serverCertificate, key: ALERTMANAGER_PATHS.serverKey }, props.certificate, props.credentials),
        ...secretFiles,
        ...(cluster ? clusterTlsFiles(cluster) : []),
      ],
    });
  }
}

/** The files of a pair member's gossip TLS: its config, certificate, key and the cluster CA (readable by nobody, the image's user). */
function clusterTlsFiles(cluster: AlertmanagerCluster): UploadedFile[] {
  return [
    {
      path: ALERTMANAGER_PATHS.clusterTlsConfig,
      content: renderClusterTlsConfig({ certFile: ALERTMANAGER_PATHS.clusterCertificate, keyFile: ALERTMANAGER_PATHS.clusterKey, caFile: ALERTMANAGER_PATHS.clusterCa }),
    },
    { path: ALERTMANAGER_PATHS.clusterCertificate, content: cluster.certificate.certificatePem },
    { path: ALERTMANAGER_PATHS.clusterKey, content: cluster.certificate.privateKeyPem },
    { path: ALERTMANAGER_PATHS.clusterCa, content: cluster.caCertificatePem },
  ];
}
