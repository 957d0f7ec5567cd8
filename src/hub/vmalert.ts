import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DockerService, UploadedFile } from '../constructs/docker-service';
import { VMALERT_DEFAULTS } from '../core/defaults';
import { DEFAULT_IMAGES } from '../core/images';
import type { RuleGroup } from '../core/rule-group';
import { assertRuleGroup } from '../core/rule-group';
import { assertHttpUrl } from '../components/prometheus/prometheus';
import { assertIntegerInRange, assertNonEmpty, assertPinnedImage } from '../core/validate';
import { assertSecretToken } from '../constructs/secret-token';
import { renderRuleFile, RULE_FILE_HEADER } from '../render/rules';

/** Where vmalert finds the files PeekStack uploads into its container. */
export const VMALERT_PATHS = {
  rules: (group: string) => `/etc/vmalert/rules/${group}.yml`,
  caCertificate: '/etc/vmalert/tls/hub-ca.crt',
  /** A password vmalert sends: `reader`, `writer` or `notifier`. */
  password: (user: string) => `/etc/vmalert/secrets/${user}.password`,
} as const;

/** Port of vmalert's HTTP API and `/metrics`, on the hub network only (never published). */
export const VMALERT_CONTAINER_PORT = 8880;

/** A user name and password (a Terraform token) vmalert sends as basic auth. */
export interface VmalertCredentials {
  readonly username: string;
  /** The password, a Terraform token (uploaded to a file, never on the command line). */
  readonly password: string;
}

/** Props of {@link Vmalert}. */
export interface VmalertProps {
  /** Base URL of the store's query API as vmalert reaches it (vmauth on the hub network). */
  readonly storeUrl: string;
  /** PEM of the CA the store's and Alertmanager's certificates are verified against. */
  readonly caCertificatePem: string;
  /** The store's reader: vmalert queries (and restores alert state) as it. */
  readonly reader: VmalertCredentials;
  /** The store's writer: vmalert writes its recording rules' results (and alert state) as it. */
  readonly writer: VmalertCredentials;
  /**
   * Alertmanager as vmalert reaches it (HTTPS on the hub network) and the user it sends as.
   * @default - no Alertmanager: alerts are evaluated and recorded (`ALERTS`) but sent nowhere (`-notifier.blackhole`)
   */
  readonly alertmanager?: {
    readonly url: string;
    readonly credentials: VmalertCredentials;
    /**
     * The other Alertmanager of a pair (`alerting.peerHost`), as vmalert reaches it: vmalert sends
     * every alert to both, with the same user and CA, and the pair's gossip keeps it to one notification.
     * @default - a single Alertmanager
     */
    readonly peerUrl?: string;
  };
  /** The rule groups, one file each. */
  readonly ruleGroups: readonly RuleGroup[];
  /** Name of the hub's Docker network (vmalert reaches vmauth and Alertmanager there). */
  readonly networkName: string;
  /**
   * How often rules are evaluated, in seconds (a group's own `interval` wins).
   * @default VMALERT_DEFAULTS.evaluationIntervalSeconds
   */
  readonly evaluationIntervalSeconds?: number;
  /**
   * Pinned image, from the same VictoriaMetrics release as the store.
   * @default DEFAULT_IMAGES.vmalert
   */
  readonly image?: string;
  /**
   * Container name (also its name on the hub network).
   * @default 'peekstack-vmalert'
   */
  readonly containerName?: string;
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
}

/**
 * vmalert on the hub: evaluates the fleet rules against the fleet store through vmauth as the
 * reader, writes recording results (and alert state) back through vmauth as the writer, and sends
 * alerts to Alertmanager over HTTPS verified against the hub's CA with basic auth. Every password is
 * a file; nothing is published on the host.
 * @see https://docs.victoriametrics.com/victoriametrics/vmalert/
 */
export class Vmalert extends Construct {
  public readonly image: string;
  public readonly containerName: string;
  public readonly evaluationIntervalSeconds: number;
  public readonly command: readonly string[];
  public readonly service: DockerService;
  /** `host:port` of vmalert's `/metrics` on the hub network. */
  public readonly metricsAddress: string;

  constructor(scope: Construct, id: string, props: VmalertProps) {
    super(scope, id);
    this.image = assertPinnedImage('Vmalert.image', props.image ?? DEFAULT_IMAGES.vmalert);
    this.containerName = assertNonEmpty('Vmalert.containerName', props.containerName ?? 'peekstack-vmalert');
    const bounds = VMALERT_DEFAULTS.bounds.evaluationIntervalSeconds;
    this.evaluationIntervalSeconds = assertIntegerInRange('Vmalert.evaluationIntervalSeconds', props.evaluationIntervalSeconds ?? VMALERT_DEFAULTS.evaluationIntervalSeconds, bounds.min, bounds.max, 'seconds');
    assertHttpUrl('Vmalert.storeUrl', props.storeUrl);
    props.ruleGroups.forEach((group, index) => assertRuleGroup(`Vmalert.ruleGroups[${index}]`, group));
    this.metricsAddress = `${this.containerName}:${VMALERT_CONTAINER_PORT}`;

    const passwordFile = (user: string, token: string, field: string): UploadedFile => ({ path: VMALERT_PATHS.password(user), content: assertSecretToken(field, token) });
    const files: UploadedFile[] = [
      ...props.ruleGroups.map((group) => ({ path: VMALERT_PATHS.rules(group.name), content: renderRuleFile([group], RULE_FILE_HEADER) })),
      { path: VMALERT_PATHS.caCertificate, content: props.caCertificatePem },
      passwordFile('reader', props.reader.password, 'Vmalert.reader.password'),
      passwordFile('writer', props.writer.password, 'Vmalert.writer.password'),
    ];
    const ca = VMALERT_PATHS.caCertificate;
    const notifier = props.alertmanager
      ? (() => {
          const { url, peerUrl, credentials } = props.alertmanager;
          assertHttpUrl('Vmalert.alertmanager.url', url);
          if (peerUrl !== undefined) assertHttpUrl('Vmalert.alertmanager.peerUrl', peerUrl);
          files.push(passwordFile('notifier', credentials.password, 'Vmalert.alertmanager.password'));
          // vmalert's -notifier.* flags are arrays matched by position: each URL repeats its settings.
          return [url, ...(peerUrl === undefined ? [] : [peerUrl])].flatMap((target) => [
            `-notifier.url=${target}`,
            `-notifier.basicAuth.username=${credentials.username}`,
            `-notifier.basicAuth.passwordFile=${VMALERT_PATHS.password('notifier')}`,
            `-notifier.tlsCAFile=${ca}`,
          ]);
        })()
      : ['-notifier.blackhole'];
    this.command = [
      `-rule=${VMALERT_PATHS.rules('*')}`,
      `-httpListenAddr=:${VMALERT_CONTAINER_PORT}`,
      `-evaluationInterval=${this.evaluationIntervalSeconds}s`,
      `-datasource.url=${props.storeUrl}`,
      `-datasource.basicAuth.username=${props.reader.username}`,
      `-datasource.basicAuth.passwordFile=${VMALERT_PATHS.password('reader')}`,
      `-datasource.tlsCAFile=${ca}`,
      // Restores alerts' `for` state after a restart from the ALERTS_FOR_STATE series it wrote.
      `-remoteRead.url=${props.storeUrl}`,
      `-remoteRead.basicAuth.username=${props.reader.username}`,
      `-remoteRead.basicAuth.passwordFile=${VMALERT_PATHS.password('reader')}`,
      `-remoteRead.tlsCAFile=${ca}`,
      `-remoteWrite.url=${props.storeUrl}`,
      `-remoteWrite.basicAuth.username=${props.writer.username}`,
      `-remoteWrite.basicAuth.passwordFile=${VMALERT_PATHS.password('writer')}`,
      `-remoteWrite.tlsCAFile=${ca}`,
      ...notifier,
    ];

    this.service = new DockerService(this, 'service', {
      image: this.image,
      containerName: this.containerName,
      component: 'vmalert',
      hardening: {
        memoryLimitMegabytes: 256,
        // An unprivileged port and outgoing connections only: no capability needed.
        dropAllCapabilities: true,
      },
      provider: props.provider,
      command: [...this.command],
      // No published port: its API and /metrics are for the hub network (the store scrapes it).
      networksAdvanced: [{ name: props.networkName, aliases: [this.containerName] }],
      files,
    });
  }
}
