import type { CollectorComponent } from './collector-component';
import { blackboxComponent, BlackboxOptions } from './blackbox/blackbox-exporter';
import { cadvisorComponent, CadvisorOptions } from './cadvisor/cadvisor';
import { dcgmComponent, DcgmOptions } from './dcgm/dcgm';
import { energyComponent } from './energy/energy';
import { ipmiComponent, IpmiOptions } from './ipmi/ipmi-exporter';
import { powerSplitComponent } from './power-split/power-split';
import { nodeExporterComponent, NodeExporterOptions } from './node-exporter/node-exporter';
import { platformPowerComponent, PlatformPowerOptions } from './platform-power/platform-power';
import { prometheusSelfScrapeComponent } from './prometheus/self-scrape';
import { scaphandreComponent, ScaphandreOptions } from './scaphandre/scaphandre';

/** The built-in components' options, as a collector's props give them. */
export interface BuiltinComponentOptions {
  /** @default - defaults of {@link NodeExporter} */
  readonly nodeExporter?: NodeExporterOptions;
  /** @default - defaults of {@link Cadvisor} */
  readonly cadvisor?: CadvisorOptions;
  /** @default - defaults of {@link Scaphandre} */
  readonly scaphandre?: ScaphandreOptions;
  /**
   * blackbox_exporter probing the collector's HTTPS endpoints (certificate expiry, auth still on),
   * its Alertmanagers and other hosts.
   * @default - defaults of {@link BlackboxExporter}
   */
  readonly blackbox?: BlackboxOptions;
  /** @default - no DCGM exporter */
  readonly dcgm?: DcgmOptions;
  /** Whole-machine power from the BMC (ipmi_exporter, DCMI). @default - no IPMI exporter */
  readonly ipmi?: IpmiOptions;
  /**
   * Platform (whole-machine) power: the ACPI power meter's records, and an estimate from CPU
   * utilisation where a model is set.
   * @default - the ACPI meter's records, no estimate
   */
  readonly platformPower?: PlatformPowerOptions;
}

/**
 * The components every collector attaches, in this order, through `Collector.add` (the path a
 * user's component takes): one line per component. A line gives `undefined` for a component its
 * options turn off. Order matters where a component reads those before it: blackbox probes the TLS
 * endpoints attached before it, energy reads the power sources' scrape intervals, power-split the energy rules and the CPU sources,
 * platform power node_exporter's interval, the energy component's RAPL records and whether DCGM is there.
 */
export const COLLECTOR_COMPONENTS: readonly ((options: BuiltinComponentOptions) => CollectorComponent | undefined)[] = [
  (options) => nodeExporterComponent(options.nodeExporter),
  (options) => cadvisorComponent(options.cadvisor),
  (options) => scaphandreComponent(options.scaphandre),
  (options) => blackboxComponent(options.blackbox),
  () => prometheusSelfScrapeComponent(),
  () => energyComponent(),
  () => powerSplitComponent(),
  (options) => dcgmComponent(options.dcgm),
  (options) => ipmiComponent(options.ipmi),
  (options) => platformPowerComponent(options.platformPower),
];
