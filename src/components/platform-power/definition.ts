/**
 * Platform power: what the whole machine draws, beside RAPL's CPU packages. One series name for
 * every source, told apart by its `source` label, so panels and reports read one name and never mix
 * a measurement with an estimate by accident:
 * - `source="acpi"`: the ACPI power meter (the BMC's reading through hwmon), read by node_exporter;
 * - `source="ipmi"`: the BMC over IPMI/DCMI (the ipmi_exporter component records the same names);
 * - `source="model"`: an estimate from CPU utilisation where nothing measures (power.model in the
 *   fleet file): idle + (max − idle) × f(utilisation), f the table's curve or linear (model.ts).
 *
 * Energy follows the energy component's rules (src/components/energy/definition.ts): each record is
 * the energy of ONE evaluation interval, so a range's energy is the sum of its records and only
 * measured (or, for the model, estimated) time counts; `host:platform_energy_measured_seconds:per_evaluation`
 * gives each source's coverage. Pure: no cdktf.
 */
import { promNumber } from '../../core/alert-thresholds';
import { JOB } from '../../core/labels';
import type { RecordingRule, RuleGroup } from '../../core/rule-group';
import { ENERGY_RECORDS } from '../energy/definition';
import { JOULES_PER_KWH } from '../energy/factors';
import type { PowerModel } from './model';

/** Names of the recorded series (one per quantity, every source). */
export const PLATFORM_RECORDS = {
  /** Whole-machine power now, W, by `host` and `source`. */
  power: 'host:platform_power_watts',
  /** Energy of one evaluation interval, kWh, by `host` and `source`. */
  energyKwh: 'host:platform_energy_kwh:per_evaluation',
  /** Seconds of platform power read (or estimated) in each evaluation interval: coverage. */
  measuredSeconds: 'host:platform_energy_measured_seconds:per_evaluation',
  /** Platform power minus what RAPL (CPU packages) and the GPUs (DCGM) account for, W: fans, disks, NICs, DRAM, the power supply's loss. */
  raplShortfall: 'host:platform_rapl_shortfall_watts',
} as const;

/** Values of the `source` label. */
export const POWER_SOURCE = { acpi: 'acpi', ipmi: 'ipmi', model: 'model' } as const;

/** Selector of the measured sources (never the model). */
export const MEASURED_SOURCES = `source!="${POWER_SOURCE.model}"`;

/** The ACPI power meter's hwmon chip name (the kernel's acpi_power_meter driver). */
export const ACPI_POWER_METER_CHIP = 'power_meter';

/** Name of the rule group. */
export const PLATFORM_POWER_RULE_GROUP = 'peekstack-platform-power';

/** Input of {@link platformPowerRuleGroup}. */
export interface PlatformPowerRulesInput {
  /** The group's evaluation interval: every energy record is the energy of this many seconds. */
  readonly evaluationIntervalSeconds: number;
  /** How often node_exporter is scraped (it reads the ACPI meter and the CPU times). */
  readonly nodeScrapeIntervalSeconds: number;
  /**
   * Estimate power from CPU utilisation with this model (`source="model"`).
   * @default - no estimate
   */
  readonly model?: PowerModel;
  /**
   * The collector scrapes DCGM: GPU power counts in what RAPL is compared with.
   * @default false
   */
  readonly gpu?: boolean;
}

/** PromQL of `modelWatts` (model.ts): the model's watts at the utilisation `busy` (0-1) evaluates to. */
export function modelWattsExpr(model: PowerModel, busy: string): string {
  if (model.curve) {
    const { row, sockets } = model.curve;
    return `(${sockets} * (${promNumber(row.a)} * ln(${promNumber(row.b)} * (100 * ${busy} + ${promNumber(row.c)})) + ${promNumber(row.d)}))`;
  }
  return `(${promNumber(model.idleWatts)} + ${promNumber(model.maxWatts - model.idleWatts)} * ${busy})`;
}

/** The platform power rules of one collector. */
export function platformPowerRuleGroup(input: PlatformPowerRulesInput): RuleGroup {
  const e = input.evaluationIntervalSeconds;
  const n = input.nodeScrapeIntervalSeconds;
  const kwhPerWattEvaluation = promNumber(e / JOULES_PER_KWH);
  // A missed scrape or two must not end a record: the latest sample of the last three scrapes
  // stands for an interval without one (as the Scaphandre energy records do).
  const holdWindow = `${e + 3 * n}s`;
  const meter = `node_hwmon_power_average_watt{job="${JOB.node}"}`;
  // Only the ACPI power meter: other hwmon chips report power too (a GPU's board, a CPU's package).
  // The chip's name held over the same window: a failed scrape marks it stale at once.
  const onMeter = (watts: string) =>
    `sum by (host) (${watts} * on (instance, chip) group_left () last_over_time(node_hwmon_chip_names{job="${JOB.node}", chip_name="${ACPI_POWER_METER_CHIP}"}[${holdWindow}]))`;
  // Each interval's mean of the meter's samples (the intervals tile time: each sample counts once).
  const acpiIntervalWatts = onMeter(`(avg_over_time(${meter}[${e}s]) or last_over_time(${meter}[${holdWindow}]))`);
  const acpi = { source: POWER_SOURCE.acpi };
  const rules: RecordingRule[] = [
    { record: PLATFORM_RECORDS.power, expr: onMeter(meter), labels: acpi },
    { record: PLATFORM_RECORDS.energyKwh, expr: `${acpiIntervalWatts} * ${kwhPerWattEvaluation}`, labels: acpi },
    { record: PLATFORM_RECORDS.measuredSeconds, expr: `group by (host) (${acpiIntervalWatts}) * ${e}`, labels: acpi },
  ];
  if (input.model) {
    // Busy share of the CPUs: 1 − (idle + iowait) / all CPU time (iowait is idle waiting for I/O).
    // A ratio of two rates over the same samples: right in a window not yet full, where rate()
    // alone reads low. The window spans at least four scrapes (node_exporter's read-time jitter).
    const w = `${Math.max(e, 4 * n) + n}s`;
    const cpu = `node_cpu_seconds_total{job="${JOB.node}"`;
    const busy = `clamp(1 - sum by (host) (rate(${cpu}, mode=~"idle|iowait"}[${w}])) / sum by (host) (rate(${cpu}}[${w}])), 0, 1)`;
    const watts = modelWattsExpr(input.model, busy);
    const model = { source: POWER_SOURCE.model };
    rules.push(
      { record: PLATFORM_RECORDS.power, expr: watts, labels: model },
      { record: PLATFORM_RECORDS.energyKwh, expr: `${watts} * ${kwhPerWattEvaluation}`, labels: model },
      { record: PLATFORM_RECORDS.measuredSeconds, expr: `group by (host) ${watts} * ${e}`, labels: model },
    );
  }
  // What RAPL sees: the CPU packages' wrap-safe per-evaluation records (energy component) as watts.
  const rapl = `sum by (host) (${ENERGY_RECORDS.raplPackageKwh}) * ${promNumber(JOULES_PER_KWH / e)}`;
  const accounted = input.gpu ? `(${rapl} + on (host) (sum by (host) (DCGM_FI_DEV_POWER_USAGE) or ${rapl} * 0))` : `(${rapl})`;
  rules.push({ record: PLATFORM_RECORDS.raplShortfall, expr: `${PLATFORM_RECORDS.power}{${MEASURED_SOURCES}} - on (host) group_left () ${accounted}` });
  return { name: PLATFORM_POWER_RULE_GROUP, interval: `${e}s`, rules };
}
