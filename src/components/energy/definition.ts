/**
 * Recording rules for energy accounting: kWh, gCO₂e and cost per host and per container.
 *
 * Each rule records the energy (or CO₂, or cost) of ONE evaluation interval, so the amount over any
 * range is `sum_over_time(rule[range])`: exact for whatever part of the range has data, with no
 * extrapolation before the collector existed. Why integrated power and not `increase()` of an energy
 * counter: Scaphandre's host energy counter is the sum of the per-socket RAPL counters and drops
 * whenever one socket's counter wraps, which `increase()` reads as a reset (+41 % measured on a
 * two-socket simulation; see integrate.ts and docs/real-tests.md).
 *
 * Wrap safety of each source:
 * - Scaphandre's host power leaves out the one scrape where a counter went backwards (the series
 *   goes stale for that scrape): the evaluation interval without a sample takes the latest one.
 * - RAPL zone counters (node_exporter) wrap one zone at a time: a zone whose rate window holds a
 *   reset takes its rate from the window before instead (`unless resets(...) > 0 or ... offset`).
 */
import type { MonitoringComponent } from '../component';
import type { RecordingRule, RuleGroup } from '../../core/rule-group';
import { type AccountingFactors, JOULES_PER_KWH } from './factors';

/** Names of the recorded series, for panels, tests and the README. */
export const ENERGY_RECORDS = {
  hostKwh: 'host:energy_kwh:per_evaluation',
  hostCo2: 'host:co2e_grams:per_evaluation',
  hostCost: 'host:energy_cost:per_evaluation',
  raplPackageKwh: 'zone:rapl_package_energy_kwh:per_evaluation',
  containerKwh: 'container:energy_kwh:per_evaluation',
  containerCo2: 'container:co2e_grams:per_evaluation',
  containerCost: 'container:energy_cost:per_evaluation',
} as const;

/** Name of the rule group. */
export const ENERGY_RULE_GROUP = 'peekstack-energy';

/** Input of {@link energyRuleGroup}. */
export interface EnergyRulesInput {
  /** The group's evaluation interval: every rule records the energy of this many seconds. */
  readonly evaluationIntervalSeconds: number;
  /**
   * How often Scaphandre is scraped.
   * @default - no Scaphandre: no host or container rules
   */
  readonly scaphandreScrapeIntervalSeconds?: number;
  /**
   * How often node_exporter (RAPL) is scraped.
   * @default - no node_exporter: no RAPL rule
   */
  readonly nodeScrapeIntervalSeconds?: number;
  /** The host's accounting factors. */
  readonly factors: AccountingFactors;
}

/** A number as PromQL writes it (no exponent surprises for small factors). */
const num = (n: number): string => String(Number(n.toPrecision(12)));

/** The energy recording rules of one collector, for the sources it has. */
export function energyRuleGroup(input: EnergyRulesInput): RuleGroup {
  const e = input.evaluationIntervalSeconds;
  const kwhPerWattEvaluation = num(e / JOULES_PER_KWH); // W × e s = J; J / 3.6e6 = kWh
  const { pue, carbonIntensityGramsPerKwh, pricePerKwh, currency } = input.factors;
  const co2PerKwh = num(pue * carbonIntensityGramsPerKwh);
  const costPerKwh = num(pue * pricePerKwh);
  const rules: RecordingRule[] = [];
  if (input.scaphandreScrapeIntervalSeconds !== undefined) {
    // Each record is the mean of the samples of its own evaluation interval (the intervals tile
    // time, so every sample counts once: exact when Scaphandre is scraped as often or more often
    // than rules run); an interval without a sample (scraped less often, jitter, the scrape
    // Scaphandre leaves out at a counter wrap, or up to two failed scrapes) takes the latest sample
    // of the last three scrapes.
    const power = (selector: string) =>
      `(avg_over_time(${selector}[${e}s]) or last_over_time(${selector}[${e + 3 * input.scaphandreScrapeIntervalSeconds!}s]))`;
    const hostPower = power('scaph_host_power_microwatts');
    const processPower = power('scaph_process_power_consumption_microwatts{container_scheduler="docker"}');
    rules.push(
      { record: ENERGY_RECORDS.hostKwh, expr: `sum by (host) ${hostPower} / 1e6 * ${kwhPerWattEvaluation}` },
      { record: ENERGY_RECORDS.hostCo2, expr: `${ENERGY_RECORDS.hostKwh} * ${co2PerKwh}` },
      { record: ENERGY_RECORDS.hostCost, expr: `${ENERGY_RECORDS.hostKwh} * ${costPerKwh}`, labels: { currency } },
      {
        record: ENERGY_RECORDS.containerKwh,
        expr: `sum by (host, container_names) ${processPower} / 1e6 * ${kwhPerWattEvaluation}`,
      },
      { record: ENERGY_RECORDS.containerCo2, expr: `${ENERGY_RECORDS.containerKwh} * ${co2PerKwh}` },
      { record: ENERGY_RECORDS.containerCost, expr: `${ENERGY_RECORDS.containerKwh} * ${costPerKwh}`, labels: { currency } },
    );
  }
  if (input.nodeScrapeIntervalSeconds !== undefined) {
    // rate() needs two samples in its window. A zone that wrapped inside the window, or just before
    // it, takes its rate from an earlier window instead: "just before" because rate() stops its
    // extrapolation where a counter would reach zero, which under-reads a window whose first sample
    // is a freshly wrapped (small) value (74.6 W for 80 W measured with promtool).
    // The window spans at least four scrapes: node_exporter reads the counters when scraped, and
    // the scrape's timestamp is taken before, so read-time jitter (±3 % per 2 s interval measured
    // under proot) would otherwise show in every record.
    const n = input.nodeScrapeIntervalSeconds;
    const rateWindow = Math.max(e, 4 * n) + n;
    const wrapWindow = `${rateWindow + 2 * n}s`;
    const counter = 'node_rapl_package_joules_total';
    // Per zone (not summed): a panel can take increase() over its range for the zones that did not
    // wrap in it, which telescopes (only its two end samples matter), and these records for the
    // zones that did. See raplPackageEnergyKwh.
    rules.push({
      record: ENERGY_RECORDS.raplPackageKwh,
      expr: `((rate(${counter}[${rateWindow}s]) unless resets(${counter}[${wrapWindow}]) > 0) or rate(${counter}[${rateWindow}s] offset ${wrapWindow})) * ${kwhPerWattEvaluation}`,
    });
  }
  return { name: ENERGY_RULE_GROUP, interval: `${e}s`, rules };
}

/**
 * Energy accounting as a monitoring component: its rule group only (the series it records join
 * the catalog through the recording rules). `Collector` adds it with `addComponent`.
 */
export function energyAccountingComponent(input: EnergyRulesInput): MonitoringComponent {
  const group = energyRuleGroup(input);
  return { name: 'energy', ruleGroups: group.rules.length > 0 ? [group] : [] };
}

/**
 * CPU package energy per host over `range` (a PromQL duration or Grafana's `$__range`), in kWh,
 * for the hosts `matcher` selects. Each RAPL zone's counter is read with increase() over the whole
 * range, exact but for the two end samples, unless it wrapped (reset) in the range; such a zone is
 * summed from its per-evaluation records instead. increase() alone would lose the wrapped zone's
 * last interval; records alone carry node_exporter's read-time jitter (its counters are read some
 * tens of ms after the scrape's timestamp, more on a loaded machine) in every record.
 */
export function raplPackageEnergyKwh(matcher: string, range: string): string {
  const counter = `node_rapl_package_joules_total{${matcher}}`;
  return `sum by (host) ((increase(${counter}[${range}]) unless resets(${counter}[${range}]) > 0) / ${JOULES_PER_KWH} or sum_over_time(${ENERGY_RECORDS.raplPackageKwh}{${matcher}}[${range}]))`;
}
