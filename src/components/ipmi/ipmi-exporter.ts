/**
 * Platform power from the BMC: the Prometheus community's ipmi_exporter with its `dcmi` collector,
 * written against PeekStack's public component API like the DCGM add-on. In-band, it reads the
 * host's own BMC through `/dev/ipmi0`; remote, a BMC over the network (IPMI 2.0), with the user and
 * password in the exporter's config file, filled in by Terraform from sensitive variables.
 */
import { Construct } from 'constructs';
import { Fn, Op, Token } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { MonitoringComponent } from '../component';
import type { CollectorComponent, ComponentHost } from '../collector-component';
import { DockerService } from '../../constructs/docker-service';
import { assertSecretToken } from '../../constructs/secret-token';
import { PeekStackValidationError } from '../../core/errors';
import { DEFAULT_IMAGES } from '../../core/images';
import { ScrapeTarget } from '../../core/scrape-target';
import { assertAddress, assertMatches, assertPinnedImage } from '../../core/validate';
import { IPMI_REMOTE_MODULE, renderIpmiExporterConfig } from '../../render/ipmi-exporter-config';
import { IPMI_DEVICE, IPMI_EXPORTER_PATHS, IPMI_EXPORTER_PORT, ipmiPowerDashboard, ipmiRuleGroup } from './definition';
import { IPMI_JOB, IPMI_METRICS } from './metrics';

/** The pinned ipmi_exporter image (pinned with the others, in images.ts). */
export const IPMI_EXPORTER_IMAGE = DEFAULT_IMAGES.ipmiExporter;

/** How the exporter reaches the BMC. */
export type IpmiMode = 'in-band' | 'remote';

/** What a collector is told about the IPMI exporter (off unless given). */
export interface IpmiOptions {
  /** `in-band`: the host's own BMC through `/dev/ipmi0`; `remote`: a BMC at `address` over IPMI 2.0 (LAN_2_0). */
  readonly mode: IpmiMode;
  /**
   * The BMC's DNS name or IP address (remote only).
   * @default - none: required for `remote`, refused for `in-band`
   */
  readonly address?: string;
  /**
   * User name at the BMC (remote only): a literal or a Terraform token.
   * @default - FreeIPMI's default, the null (anonymous) user
   */
  readonly user?: string;
  /**
   * Password at the BMC (remote only), as a Terraform token (a sensitive TerraformVariable's
   * stringValue): written only into the exporter's config file, by Terraform at apply time.
   * @default - none: required for `remote`, refused for `in-band`
   */
  readonly password?: string;
  /**
   * Pinned image.
   * @default IPMI_EXPORTER_IMAGE
   */
  readonly image?: string;
}

/** Props of {@link IpmiExporter}. */
export interface IpmiExporterProps extends IpmiOptions {
  /**
   * The collector to add the exporter to (with `addComponent`); its container joins the collector's
   * private network. Not given when the collector itself attaches it ({@link ipmiComponent}).
   * @default - added to no collector
   */
  readonly collector?: ComponentHost & { addComponent(component: MonitoringComponent, container?: DockerService): void };
  /**
   * How often Prometheus scrapes the exporter: each scrape runs `ipmi-dcmi` once. The platform
   * energy records need it.
   * @default - the collector's Prometheus interval, else 15
   */
  readonly scrapeIntervalSeconds?: number;
  /**
   * Evaluation interval of the platform records: each energy record stands for this many seconds.
   * @default - the collector's Prometheus evaluation interval, else `scrapeIntervalSeconds`
   */
  readonly evaluationIntervalSeconds?: number;
  /**
   * Container name, also its name on the private network.
   * @default '<collector name prefix>-ipmi-exporter', or 'peekstack-ipmi-exporter' without a collector
   */
  readonly containerName?: string;
  /** Docker provider. @default - the stack's default */
  readonly provider?: DockerProvider;
}

/** A BMC user name written literally: one line, no ":" (FreeIPMI's config file and the fleet file's user-name rule). */
const BMC_USER = /^[^\s:][^:\r\n]{0,63}$/;

/**
 * ipmi_exporter on a collector's private network (no published port: only Prometheus reaches it),
 * its `dcmi` collector only, every capability dropped. In-band it maps `/dev/ipmi0` and runs as
 * root (uid 0, no capability: the device is root's, mode 0600); remote it runs as the image's
 * `nobody` and needs only the network.
 */
export class IpmiExporter extends Construct {
  public readonly mode: IpmiMode;
  public readonly image: string;
  public readonly containerName: string;
  public readonly scrapeIntervalSeconds: number;
  public readonly evaluationIntervalSeconds: number;
  public readonly service: DockerService;
  public readonly component: MonitoringComponent;

  constructor(scope: Construct, id: string, props: IpmiExporterProps) {
    super(scope, id);
    this.mode = assertMatches('IpmiExporter.mode', props.mode, /^(in-band|remote)$/, '"in-band" or "remote"') as IpmiMode;
    this.image = assertPinnedImage('IpmiExporter.image', props.image ?? IPMI_EXPORTER_IMAGE);
    this.containerName = props.containerName ?? props.collector?.resourceName('ipmi-exporter') ?? 'peekstack-ipmi-exporter';
    this.scrapeIntervalSeconds = props.scrapeIntervalSeconds ?? props.collector?.prometheus.scrapeIntervalSeconds ?? 15;
    this.evaluationIntervalSeconds = props.evaluationIntervalSeconds ?? props.collector?.prometheus.evaluationIntervalSeconds ?? this.scrapeIntervalSeconds;

    let config: string;
    let scrapeTarget: ScrapeTarget = {
      jobName: IPMI_JOB,
      address: `${this.containerName}:${IPMI_EXPORTER_PORT}`,
      fallbackScrapeProtocol: 'PrometheusText0.0.4',
      scrapeIntervalSeconds: this.scrapeIntervalSeconds,
    };
    if (this.mode === 'remote') {
      if (props.address === undefined) throw new PeekStackValidationError('IpmiExporter.address', 'nothing', 'the BMC\'s DNS name or IP address (mode "remote")');
      const address = assertAddress('IpmiExporter.address', props.address);
      if (props.password === undefined) throw new PeekStackValidationError('IpmiExporter.password', 'nothing', 'the BMC password as a Terraform token (mode "remote")');
      const password = assertSecretToken('IpmiExporter.password', props.password);
      const user = props.user === undefined || Token.isUnresolved(props.user) ? props.user : assertMatches('IpmiExporter.user', props.user, BMC_USER, 'a BMC user name: one line, at most 64 characters, no ":"');
      config = renderIpmiExporterConfig({ mode: 'remote', user, password });
      // The exporter's multi-target endpoint: one scrape reads the BMC named by `target`.
      scrapeTarget = { ...scrapeTarget, metricsPath: '/ipmi', params: { module: IPMI_REMOTE_MODULE, target: address } };
    } else {
      for (const key of ['address', 'user', 'password'] as const) {
        if (props[key] !== undefined) throw new PeekStackValidationError(`IpmiExporter.${key}`, key === 'address' ? props[key]! : '<a value, not shown>', 'nothing in mode "in-band" (the host\'s own BMC, through /dev/ipmi0)');
      }
      config = renderIpmiExporterConfig({ mode: 'in-band' });
    }

    this.service = new DockerService(this, 'service', {
      image: this.image,
      containerName: this.containerName,
      component: 'ipmi-exporter',
      provider: props.provider,
      command: [`--config.file=${IPMI_EXPORTER_PATHS.config}`, `--web.listen-address=:${IPMI_EXPORTER_PORT}`],
      // Remote: the file holds the BMC password; 0444 because the image runs as `nobody` and the
      // upload is owned by root. Only this container's one process can read it.
      files: [{ path: IPMI_EXPORTER_PATHS.config, content: config, permissions: '0444' }],
      ...(this.mode === 'in-band'
        ? {
            // /dev/ipmi0 is root's (0600): uid 0 opens it as its owner, with no capability at all.
            user: '0',
            devices: [{ hostPath: IPMI_DEVICE, containerPath: IPMI_DEVICE, permissions: 'rw' }],
          }
        : {}),
      hardening: {
        memoryLimitMegabytes: 64,
        // Neither mode needs a capability: the OpenIPMI device (in-band) is opened as its owner,
        // RMCP+ (remote) is plain UDP from an unprivileged port.
        dropAllCapabilities: true,
      },
    });
    if (this.mode === 'remote') {
      // A line break in a value Terraform fills in at apply would end the YAML value, and the line of
      // the FreeIPMI configuration the exporter writes from it. Refused at plan by a precondition on
      // the container: unlike a variable's own validation (Terraform 1.11 prints the value there,
      // sensitive or not), a precondition's error shows only this message.
      const oneLine = [props.user, props.password].filter((value): value is string => value !== undefined && Token.isUnresolved(value));
      this.service.container.lifecycle = {
        precondition: oneLine.map((value) => ({
          condition: Op.lt(Fn.lengthOf(Fn.regexall('[\\r\\n]', value)), 1),
          errorMessage: `The BMC user name and password of ${this.containerName} must each be on one line (no line break).`,
        })),
      };
    }
    this.component = {
      name: 'ipmi-exporter',
      scrapeTarget,
      ruleGroups: [ipmiRuleGroup({ scrapeIntervalSeconds: this.scrapeIntervalSeconds, evaluationIntervalSeconds: this.evaluationIntervalSeconds })],
      dashboards: [ipmiPowerDashboard()],
      metrics: IPMI_METRICS,
    };
    props.collector?.addComponent(this.component, this.service);
  }
}

/** The IPMI exporter as a collector attaches it (only when options are given). */
export function ipmiComponent(options?: IpmiOptions): CollectorComponent | undefined {
  if (options === undefined) return undefined;
  return {
    name: 'ipmi-exporter',
    bind: (collector) => {
      const exporter = new IpmiExporter(collector, 'ipmi', {
        ...options,
        containerName: collector.resourceName('ipmi-exporter'),
        provider: collector.provider,
        scrapeIntervalSeconds: collector.prometheus.scrapeIntervalSeconds,
        evaluationIntervalSeconds: collector.prometheus.evaluationIntervalSeconds,
      });
      const { name: _name, ...bound } = exporter.component;
      return { ...bound, container: exporter.service, construct: exporter };
    },
  };
}
