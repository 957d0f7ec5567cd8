import { DockerEndpoint } from '../core/docker-endpoint';
import { DEFAULT_IMAGES } from '../core/images';
import { GRAFANA_DEFAULTS, NODE_EXPORTER_DEFAULTS, PROMETHEUS_DEFAULTS } from '../core/defaults';
import { DEFAULT_STATE_BACKEND, StateBackend } from '../core/state-backend';
import { AccountingFactors, DEFAULT_ACCOUNTING_FACTORS } from '../components/energy/factors';
import type { EmbodiedEmissions } from '../components/energy/embodied';
import type { PowerModelInput } from '../components/platform-power/model';
import { FleetFile, HostSettings } from './schema';
import type { IpmiEntry } from './ipmi-schema';
import { FLEET_STORE_DEFAULTS } from '../core/defaults';
import { collectorStackName, HUB_STACK_NAME, INTERFACE_STACK_NAME } from './stack-names';
import { AlertThresholds } from '../core/alert-thresholds';
import { AlertingSpec, toAlertingSpec, toAlertThresholds } from './alerting-spec';
import { VMALERT_DEFAULTS } from '../core/defaults';
import type { FleetBudget } from '../hub/fleet-rules';

/** Built-in values of every optional fleet setting: the one place they are applied. */
export const FLEET_DEFAULTS = {
  // The constructs' own defaults (src/defaults.ts): the file and the constructs cannot drift.
  scrapeIntervalSeconds: PROMETHEUS_DEFAULTS.scrapeIntervalSeconds,
  retentionDays: PROMETHEUS_DEFAULTS.retentionDays,
  retentionSizeGigabytes: PROMETHEUS_DEFAULTS.retentionSizeGigabytes,
  ports: { prometheus: PROMETHEUS_DEFAULTS.publishedPort, nodeExporter: NODE_EXPORTER_DEFAULTS.port },
  grafanaPort: GRAFANA_DEFAULTS.publishedPort,
  backend: DEFAULT_STATE_BACKEND,
  credentials: 'generate' as const,
} as const;

/** An exporter after defaults. */
export interface ExporterSpec {
  readonly enabled: boolean;
  readonly image: string;
}

/** A host's `ipmi:` (whole-machine power from its BMC), as written: secrets are variable names. */
export interface IpmiSpec {
  readonly mode: 'in-band' | 'remote';
  /** Remote: the BMC's DNS name or IP address. */
  readonly address?: string;
  /** Remote: the BMC user name, written in the file. */
  readonly user?: string;
  /** Remote: the sensitive Terraform variable holding the BMC user name. */
  readonly userVariable?: string;
  /** Remote: the sensitive Terraform variable holding the BMC password. */
  readonly passwordVariable?: string;
}

/** One host after defaults: everything a CollectorStack needs. */
export interface HostSpec {
  readonly name: string;
  /** `collector-<name>`. */
  readonly stackName: string;
  readonly docker: DockerEndpoint;
  readonly addresses: readonly string[];
  readonly scrapeIntervalSeconds: number;
  /** @default - Prometheus's (10 s, or the interval if shorter) */
  readonly scrapeTimeoutSeconds?: number;
  readonly retentionDays: number;
  readonly retentionSizeGigabytes: number;
  readonly ports: { readonly prometheus: number; readonly nodeExporter: number };
  readonly exporters: {
    readonly nodeExporter: ExporterSpec;
    readonly cadvisor: ExporterSpec;
    /** NVIDIA GPUs; off by default. */
    readonly dcgm: ExporterSpec;
    /** `scrapeIntervalSeconds` unset: the host's interval. */
    readonly scaphandre: ExporterSpec & { readonly scrapeIntervalSeconds?: number };
  };
  readonly images: { readonly prometheus: string };
  /** Whole-machine power from the BMC; absent: no IPMI exporter. */
  readonly ipmi?: IpmiSpec;
  readonly backend: StateBackend;
  /** Energy accounting factors: the host's over `defaults` over PeekStack's. */
  readonly accounting: AccountingFactors;
  /** Embodied emissions, for `peekstack energy`'s SCI. @default - unknown: M counts 0 and the report says so */
  readonly embodied?: EmbodiedEmissions;
  /** Grid zone of the hourly carbon intensity (`carbon.zone`). @default - none: the static `accounting` factor */
  readonly carbonZone?: string;
  /** Thresholds of this host's alerting rules, defaults applied. */
  readonly alertThresholds: Required<AlertThresholds>;
  /** Platform power: the model estimating this host's power, if any (the host's whole, else `defaults`'). */
  readonly power: { readonly model?: PowerModelInput };
}

/** The interface stack after defaults. */
export interface InterfaceSpec {
  /** Name of the host Grafana runs on. */
  readonly host: string;
  readonly stackName: string;
  readonly port: number;
  readonly image: string;
  readonly backend: StateBackend;
}

/** Kind of fleet store. */
export type StoreKind = 'embedded' | 'victoriametrics-cluster' | 'mimir' | 'thanos';

/** `store:` after defaults. */
export interface StoreSpec {
  /** Collectors remote_write to a fleet store and Grafana has the fleet datasource. */
  readonly enabled: boolean;
  readonly kind: StoreKind;
  /** Embedded: the host running the hub stack (default: the interface's host). */
  readonly host: string;
  /** `hub`: the stack holding the embedded store. */
  readonly stackName: string;
  /** Embedded: vmauth's published HTTPS port. */
  readonly port: number;
  /** Embedded: `-retentionPeriod` in days. */
  readonly retentionDays: number;
  /** The hub stack's state backend. */
  readonly backend: StateBackend;
  /** External: the write endpoint's base URL. */
  readonly url?: string;
  /** External: the query endpoint's base URL (default `url`). */
  readonly queryUrl?: string;
  /** External: tenant (VictoriaMetrics cluster account id, Mimir `X-Scope-OrgID`, Thanos `THANOS-TENANT`). */
  readonly tenant?: string;
  /** External: PEM CA file, as written (relative to the fleet file). */
  readonly caFile?: string;
  /** External: how collectors and Grafana authenticate; secrets come from sensitive variables. */
  readonly auth: 'basic' | 'bearer' | 'none';
  /** External, basic auth: the user name. */
  readonly username?: string;
}

/** `vmalert:` after defaults. */
export interface VmalertSpec {
  /** vmalert runs on the hub: by default whenever the embedded store does. */
  readonly enabled: boolean;
  readonly evaluationIntervalSeconds: number;
  readonly image: string;
  /** The fleet's budget (each alert only when its budget is set). */
  readonly budget: FleetBudget;
}

/** The stack holding the embedded fleet store, if the fleet has one. */
export function hubStackOf(fleet: Pick<FleetSpec, 'store' | 'alerting'>): string | undefined {
  // The hub holds the embedded store and Alertmanager: it exists when either does.
  return (fleet.store.enabled && fleet.store.kind === 'embedded') || fleet.alerting ? fleet.store.stackName : undefined;
}

/** A validated fleet with every default applied. */
export interface FleetSpec {
  /** The file it came from, for messages. */
  readonly file: string;
  readonly hosts: readonly HostSpec[];
  readonly interface: InterfaceSpec;
  /** Where passwords come from: generated by Terraform, or sensitive variables (`TF_VAR_*`). */
  readonly credentials: 'generate' | 'variables';
  /** The fleet store. */
  readonly store: StoreSpec;
  /** The fleet's accounting factors (`defaults` over PeekStack's), for hosts not in the file. */
  readonly accounting: AccountingFactors;
  /** `defaults.embodied`, for hosts not in the file. @default - unknown */
  readonly embodied?: EmbodiedEmissions;
  /** `defaults.carbon.zone`, for hosts not in the file. @default - none */
  readonly carbonZone?: string;
  /** Alertmanager and its receivers; absent: alerts stay in each Prometheus. */
  readonly alerting?: AlertingSpec;
  /** vmalert on the hub (fleet rules, the hub's health, the Watchdog). */
  readonly vmalert: VmalertSpec;
}

/** Plain-object deep merge; `override` wins, arrays and scalars are replaced, not merged. */
function merge<T>(base: T | undefined, override: T | undefined): T | undefined {
  if (base === undefined) return override;
  if (override === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof override !== 'object' || override === null) {
    return override;
  }
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override as Record<string, unknown>)) {
    result[key] = merge(result[key], value);
  }
  return result as T;
}

/** A host's settings: its own over `defaults`. A backend is taken whole (its fields depend on its type). */
export function effectiveSettings(file: FleetFile, hostIndex: number): HostSettings {
  const host = file.hosts[hostIndex];
  const merged = merge<HostSettings>(file.defaults ?? {}, host) ?? {};
  return { ...merged, backend: host.backend ?? file.defaults?.backend };
}

/** A host's `ipmi:` without the keys that only refuse (a password written in the file). */
function ipmiSpecOf(entry: IpmiEntry): IpmiSpec {
  const { mode, address, user, userVariable, passwordVariable } = entry;
  return { mode, address, user, userVariable, passwordVariable };
}

/** Applies every default to a structurally valid fleet file (checks.ts has validated it). */
export function toFleetSpec(fileName: string, file: FleetFile): FleetSpec {
  const hosts = file.hosts.map((host, index): HostSpec => {
    const s = effectiveSettings(file, index);
    return {
      name: host.name,
      stackName: collectorStackName(host.name),
      docker: host.docker,
      addresses: host.addresses,
      scrapeIntervalSeconds: s.scrapeIntervalSeconds ?? FLEET_DEFAULTS.scrapeIntervalSeconds,
      scrapeTimeoutSeconds: s.scrapeTimeoutSeconds,
      retentionDays: s.retentionDays ?? FLEET_DEFAULTS.retentionDays,
      retentionSizeGigabytes: s.retentionSizeGigabytes ?? FLEET_DEFAULTS.retentionSizeGigabytes,
      ports: {
        prometheus: s.ports?.prometheus ?? FLEET_DEFAULTS.ports.prometheus,
        nodeExporter: s.ports?.nodeExporter ?? FLEET_DEFAULTS.ports.nodeExporter,
      },
      exporters: {
        nodeExporter: {
          enabled: s.exporters?.nodeExporter?.enabled ?? true,
          image: s.exporters?.nodeExporter?.image ?? DEFAULT_IMAGES.nodeExporter,
        },
        cadvisor: { enabled: s.exporters?.cadvisor?.enabled ?? true, image: s.exporters?.cadvisor?.image ?? DEFAULT_IMAGES.cadvisor },
        dcgm: { enabled: s.exporters?.dcgm?.enabled ?? false, image: s.exporters?.dcgm?.image ?? DEFAULT_IMAGES.dcgmExporter },
        scaphandre: {
          enabled: s.exporters?.scaphandre?.enabled ?? true,
          image: s.exporters?.scaphandre?.image ?? DEFAULT_IMAGES.scaphandre,
          scrapeIntervalSeconds: s.exporters?.scaphandre?.scrapeIntervalSeconds,
        },
      },
      images: { prometheus: s.images?.prometheus ?? DEFAULT_IMAGES.prometheus },
      ...(host.ipmi ? { ipmi: ipmiSpecOf(host.ipmi) } : {}),
      backend: s.backend ?? FLEET_DEFAULTS.backend,
      accounting: { ...DEFAULT_ACCOUNTING_FACTORS, ...s.accounting },
      ...(s.embodied ? { embodied: s.embodied } : {}),
      ...(s.carbon ? { carbonZone: s.carbon.zone } : {}),
      alertThresholds: toAlertThresholds(s.alertThresholds),
      // A model is taken whole, as written (idle and max watts, or a CPU model): merged key by key,
      // a host's watts and the defaults' CPU model would make a model nobody wrote.
      power: { model: host.power?.model ?? file.defaults?.power?.model },
    };
  });
  return {
    file: fileName,
    hosts,
    interface: {
      host: file.interface.host,
      stackName: INTERFACE_STACK_NAME,
      port: file.interface.port ?? FLEET_DEFAULTS.grafanaPort,
      image: file.interface.image ?? DEFAULT_IMAGES.grafana,
      // The interface's backend: its own, else the fleet's default one.
      backend: file.interface.backend ?? file.defaults?.backend ?? FLEET_DEFAULTS.backend,
    },
    credentials: file.credentials?.source ?? FLEET_DEFAULTS.credentials,
    store: {
      enabled: file.store?.enabled ?? true,
      kind: file.store?.kind ?? 'embedded',
      host: file.store?.host ?? file.interface.host,
      stackName: HUB_STACK_NAME,
      port: file.store?.port ?? FLEET_STORE_DEFAULTS.publishedPort,
      retentionDays: file.store?.retentionDays ?? FLEET_STORE_DEFAULTS.retentionDays,
      backend: file.store?.backend ?? file.defaults?.backend ?? FLEET_DEFAULTS.backend,
      url: file.store?.url,
      queryUrl: file.store?.queryUrl,
      tenant: file.store?.tenant,
      caFile: file.store?.caFile,
      auth: file.store?.auth ?? 'basic',
      username: file.store?.username,
    },
    accounting: { ...DEFAULT_ACCOUNTING_FACTORS, ...file.defaults?.accounting },
    ...(file.defaults?.embodied ? { embodied: file.defaults.embodied } : {}),
    ...(file.defaults?.carbon ? { carbonZone: file.defaults.carbon.zone } : {}),
    vmalert: {
      // On by default with the hub's own store, which it reads and writes through vmauth.
      enabled: file.vmalert?.enabled ?? ((file.store?.enabled ?? true) && (file.store?.kind ?? 'embedded') === 'embedded'),
      evaluationIntervalSeconds: file.vmalert?.evaluationIntervalSeconds ?? VMALERT_DEFAULTS.evaluationIntervalSeconds,
      image: file.vmalert?.image ?? DEFAULT_IMAGES.vmalert,
      budget: file.vmalert?.budget ?? {},
    },
    // Alertmanager runs in the hub, on the fleet's central host.
    ...(file.alerting ? { alerting: toAlertingSpec(file.alerting, file.store?.host ?? file.interface.host) } : {}),
  };
}
