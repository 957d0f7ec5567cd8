import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { ServerCertificate } from '../constructs/certificate-authority';
import { BasicAuthCredentials } from '../constructs/credentials';
import { DockerService } from '../constructs/docker-service';
import { listSome, PeekStackValidationError } from '../core/errors';
import { ALERTMANAGER_DEFAULTS } from '../core/defaults';
import { DEFAULT_IMAGES } from '../core/images';
import { assertHttpUrl } from '../components/prometheus/prometheus';
import { AlertSeverity, ALERT_SEVERITIES, ReceiverConfig, renderAlertmanagerConfig, SeverityRoute } from '../render/alertmanager-config';
import { servedTlsFiles } from '../constructs/served-tls';
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
  data: '/alertmanager',
} as const;

/** Port Alertmanager listens on inside its container. */
export const ALERTMANAGER_CONTAINER_PORT = 9093;

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
 * Alertmanager, single instance, serving its API and UI only over HTTPS (TLS 1.2+) with bcrypt basic
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

    this.command = [
      `--config.file=${ALERTMANAGER_PATHS.config}`,
      `--web.config.file=${ALERTMANAGER_PATHS.webConfig}`,
      `--web.listen-address=:${ALERTMANAGER_CONTAINER_PORT}`,
      `--storage.path=${ALERTMANAGER_PATHS.data}`,
      `--data.retention=${this.dataRetentionDays * 24}h`,
      // A single instance: gossip off (an empty address disables clustering). See README for an HA pair.
      '--cluster.listen-address=',
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
        // Runs as nobody on an unprivileged port, gossip off: no capability needed.
        dropAllCapabilities: true,
        // Not read-only: Docker refuses the provider's file uploads into a read-only root filesystem.
      },
      provider: props.provider,
      command: [...this.command],
      ports: [{ internal: ALERTMANAGER_CONTAINER_PORT, external: this.publishedPort, ip: this.publishAddress, protocol: 'tcp' }],
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
      ],
    });
  }
}
