/**
 * Platform power: what the whole machine draws (power supply, fans, disks, NICs, accelerators
 * included), as opposed to RAPL's CPU packages and DRAM. Each source (the BMC over IPMI, the ACPI
 * power meter) records the same series with its own `source` label, so they are shown side by side
 * and never silently mixed with RAPL or with each other.
 *
 * Energy is integrated power, one record per evaluation interval, as for Scaphandre's host power
 * (definition.ts): a BMC's reading is a gauge, so there is no counter to wrap, and a record exists
 * only for an interval whose power was read. A range's platform energy is the sum of its records;
 * its coverage, the sum of the measured-seconds records over the range's length.
 */
import type { RecordingRule, RuleGroup } from '../../core/rule-group';
import { meanPowerOfEvaluation, num } from './definition';
import { JOULES_PER_KWH } from './factors';
import { PLATFORM_RECORDS } from '../platform-power/definition';


/** Input of {@link platformSourceRuleGroup}. */
export interface PlatformSourceRulesInput {
  /** The `source` label of every record (`ipmi`, `acpi`). */
  readonly source: string;
  /** Rule group name. */
  readonly groupName: string;
  /** PromQL of the source's power in watts, one series per host (a `host` label), e.g. `ipmi_dcmi_power_consumption_watts`. */
  readonly wattsSelector: string;
  /** How often the source is scraped. */
  readonly scrapeIntervalSeconds: number;
  /** The group's evaluation interval: every energy record stands for this many seconds. */
  readonly evaluationIntervalSeconds: number;
}

/** Platform power, energy and coverage records of one source. */
export function platformSourceRuleGroup(input: PlatformSourceRulesInput): RuleGroup {
  const e = input.evaluationIntervalSeconds;
  // A fresh object per rule: one shared object would be written as a YAML anchor and aliases.
  const labels = () => ({ source: input.source });
  const watts = meanPowerOfEvaluation(input.wattsSelector, e, input.scrapeIntervalSeconds);
  const rules: RecordingRule[] = [
    { record: PLATFORM_RECORDS.power, expr: `sum by (host) (${input.wattsSelector})`, labels: labels() },
    { record: PLATFORM_RECORDS.energyKwh, expr: `sum by (host) ${watts} * ${num(e / JOULES_PER_KWH)}`, labels: labels() },
    { record: PLATFORM_RECORDS.measuredSeconds, expr: `group by (host) ${watts} * ${e}`, labels: labels() },
  ];
  return { name: input.groupName, interval: `${e}s`, rules };
}
