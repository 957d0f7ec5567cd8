/**
 * Carbon that changes by the hour, and the Software Carbon Intensity (Green Software Foundation,
 * ISO/IEC 21031:2024): SCI = (E × I + M) / R.
 *
 * - E: the energy of the window, hour by hour, from the same measured-time-aware integration as the
 *   report's energy (integrate.ts, only the time with readings counts), times the host's PUE (the
 *   site's draw, as the report's gCO2e);
 * - I: each hour's grid intensity from the source; where the source has none, the host's static
 *   `accounting.carbonIntensityGramsPerKwh`, said per hour. E × I is summed hour by hour, and the I
 *   reported is that sum over E (energy-weighted: an hour without load weighs nothing);
 * - M: the host's embodied emissions × (window / expected lifetime) × the share of the machine used
 *   (`--resource-share`, default 1: an experiment that has the machine to itself);
 * - R: the functional unit, `--functional-unit N NAME`.
 */
import { type AccountingFactors, JOULES_PER_KWH } from '../components/energy/factors';
import { type EmbodiedEmissions, embodiedGrams } from '../components/energy/embodied';
import { type CarbonIntensitySource, hoursOf, type IntensityOrigin, SECONDS_PER_HOUR } from './carbon-intensity';
import { integratePower, type PowerSample } from './integrate';
import type { TimeWindow } from './window';

/** One hour (clipped to the window) of one host. */
export interface CarbonHour {
  /** Start of the UTC hour, Unix seconds. */
  readonly hour: number;
  /** The part of the window in this hour, Unix seconds. */
  readonly from: number;
  readonly to: number;
  readonly joules: number;
  /** Seconds of `[from, to]` with readings. */
  readonly coveredSeconds: number;
  readonly kwh: number;
  /** kWh × PUE. */
  readonly facilityKwh: number;
  /** gCO₂e/kWh. */
  readonly intensityGramsPerKwh: number;
  /** Where the intensity came from: the source, or the static factor when the source had none. */
  readonly intensitySource: IntensityOrigin;
  /** facilityKwh × intensity. */
  readonly gramsCo2e: number;
}

/** The carbon of one host over the window. */
export interface HostCarbon {
  readonly host: string;
  /** `carbon.zone`. @default - none in the fleet file */
  readonly zone?: string;
  readonly hours: readonly CarbonHour[];
  readonly joules: number;
  readonly kwh: number;
  readonly facilityKwh: number;
  /** Σ hours' gCO₂e: SCI's E × I. */
  readonly operationalGrams: number;
  /** Energy-weighted intensity: operationalGrams / facilityKwh (undefined when nothing was measured). */
  readonly intensityGramsPerKwh?: number;
  /** The fleet file's embodied emissions. @default - unknown: M counts 0 */
  readonly embodied?: EmbodiedEmissions;
  /** SCI's M for this host, grams. */
  readonly embodiedGrams: number;
  /** The static factor used for hours the source did not cover. */
  readonly staticIntensityGramsPerKwh: number;
  /** Why some hours (or all) used the static factor. @default - none did */
  readonly fallbackReason?: string;
}

/** SCI's R. */
export interface FunctionalUnit {
  readonly count: number;
  /** e.g. `requests`. */
  readonly name: string;
}

/** The carbon section of a report. */
export interface CarbonReport {
  /** The intensity source, as named in the report; undefined: only the static factors. */
  readonly source?: string;
  readonly hosts: readonly HostCarbon[];
  readonly windowSeconds: number;
  /** Share of each machine the run used, (0, 1]. */
  readonly resourceShare: number;
  readonly kwh: number;
  readonly facilityKwh: number;
  /** E × I, grams. */
  readonly operationalGrams: number;
  /** Energy-weighted intensity over every host (undefined when nothing was measured). */
  readonly intensityGramsPerKwh?: number;
  /** M, grams. */
  readonly embodiedGrams: number;
  readonly functionalUnit?: FunctionalUnit;
  /** (E × I + M) / R, grams per unit; undefined without a functional unit. */
  readonly sciGramsPerUnit?: number;
}

/** What one host brings to {@link carbonOfHost}. */
export interface HostCarbonInput {
  readonly host: string;
  /** Power samples as the report integrated them (with the lookback before the window). */
  readonly samples: readonly PowerSample[];
  readonly factors: AccountingFactors;
  /** @default - no zone: the static factor */
  readonly zone?: string;
  /** @default - unknown: M counts 0 */
  readonly embodied?: EmbodiedEmissions;
}

/**
 * One host's hours: the window cut at each UTC hour, each piece integrated as the whole window is
 * (so the hours add up to the report's energy), times PUE and the hour's intensity.
 * @param intensities the source's values by hour start; hours absent take the static factor
 */
export function hoursOfHost(input: HostCarbonInput, window: TimeWindow, intensities: ReadonlyMap<number, number>, origin: Exclude<IntensityOrigin, 'static'> | undefined): CarbonHour[] {
  return hoursOf(window.from, window.to).map((hour) => {
    const from = Math.max(hour, window.from);
    const to = Math.min(hour + SECONDS_PER_HOUR, window.to);
    const integral = integratePower(input.samples, from, to);
    const kwh = integral.joules / JOULES_PER_KWH;
    const facilityKwh = kwh * input.factors.pue;
    const known = intensities.get(hour);
    const intensity = known ?? input.factors.carbonIntensityGramsPerKwh;
    return {
      hour,
      from,
      to,
      joules: integral.joules,
      coveredSeconds: integral.coveredSeconds,
      kwh,
      facilityKwh,
      intensityGramsPerKwh: intensity,
      intensitySource: known !== undefined && origin !== undefined ? origin : 'static',
      gramsCo2e: facilityKwh * intensity,
    };
  });
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** One host's carbon over the window, reading its intensities from `source`. */
export async function carbonOfHost(input: HostCarbonInput, window: TimeWindow, source: CarbonIntensitySource | undefined, resourceShare: number): Promise<HostCarbon> {
  const hours = hoursOf(window.from, window.to);
  const intensities = source ? await source.intensities(input.zone, hours) : new Map<number, number>();
  const rows = hoursOfHost(input, window, intensities, source?.kind);
  const facilityKwh = sum(rows.map((h) => h.facilityKwh));
  const operationalGrams = sum(rows.map((h) => h.gramsCo2e));
  const missing = rows.filter((h) => h.intensitySource === 'static').length;
  const staticText = `the static factor ${input.factors.carbonIntensityGramsPerKwh} gCO2e/kWh (fleet file accounting)`;
  let fallbackReason: string | undefined;
  if (source === undefined) fallbackReason = `no --carbon-api or --carbon-csv: ${staticText}`;
  else if (source.kind === 'api' && input.zone === undefined) fallbackReason = `no carbon.zone for ${input.host} in the fleet file: ${staticText} for every hour`;
  else if (missing > 0) fallbackReason = `${source.description} has no intensity for ${missing} of ${rows.length} hour${rows.length === 1 ? '' : 's'}${input.zone ? ` of zone ${input.zone}` : ''}: ${staticText} for ${missing === 1 ? 'it' : 'them'}`;
  return {
    host: input.host,
    ...(input.zone !== undefined ? { zone: input.zone } : {}),
    hours: rows,
    joules: sum(rows.map((h) => h.joules)),
    kwh: sum(rows.map((h) => h.kwh)),
    facilityKwh,
    operationalGrams,
    ...(facilityKwh > 0 ? { intensityGramsPerKwh: operationalGrams / facilityKwh } : {}),
    ...(input.embodied ? { embodied: input.embodied } : {}),
    embodiedGrams: input.embodied ? embodiedGrams(input.embodied, window.to - window.from, resourceShare) : 0,
    staticIntensityGramsPerKwh: input.factors.carbonIntensityGramsPerKwh,
    ...(fallbackReason !== undefined ? { fallbackReason } : {}),
  };
}

/** Options of {@link carbonReport}. */
export interface CarbonReportOptions {
  readonly window: TimeWindow;
  readonly hosts: readonly HostCarbonInput[];
  /** @default - none: every hour takes the host's static factor */
  readonly source?: CarbonIntensitySource;
  /** Share of each machine the run used, (0, 1]. @default 1 */
  readonly resourceShare?: number;
  /** @default - no SCI, only E × I and M */
  readonly functionalUnit?: FunctionalUnit;
}

/** The carbon section: every host's hours, the totals, and SCI when a functional unit is given. */
export async function carbonReport(options: CarbonReportOptions): Promise<CarbonReport> {
  const resourceShare = options.resourceShare ?? 1;
  const hosts: HostCarbon[] = [];
  // One host after the other: hosts of one zone then share the source's cache.
  for (const input of options.hosts) hosts.push(await carbonOfHost(input, options.window, options.source, resourceShare));
  const facilityKwh = sum(hosts.map((h) => h.facilityKwh));
  const operationalGrams = sum(hosts.map((h) => h.operationalGrams));
  const embodied = sum(hosts.map((h) => h.embodiedGrams));
  return {
    ...(options.source ? { source: options.source.description } : {}),
    hosts,
    windowSeconds: options.window.to - options.window.from,
    resourceShare,
    kwh: sum(hosts.map((h) => h.kwh)),
    facilityKwh,
    operationalGrams,
    ...(facilityKwh > 0 ? { intensityGramsPerKwh: operationalGrams / facilityKwh } : {}),
    embodiedGrams: embodied,
    ...(options.functionalUnit ? { functionalUnit: options.functionalUnit, sciGramsPerUnit: (operationalGrams + embodied) / options.functionalUnit.count } : {}),
  };
}
