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
 *   reset holds its own recent records instead (their mean: the rate just before the wrap), or,
 *   with none to hold, takes the rate of the window before.
 *
 * Only measured time counts: a record exists for an evaluation interval where the source was read,
 * none where it was not (collector or host down, before the collector existed), and
 * `host:energy_measured_seconds:per_evaluation` records the seconds each host record stands for,
 * so a range's coverage is the sum of those over the range's length.
 */
import type { MonitoringComponent } from '../component';
import type { RecordingRule, RuleGroup } from '../../core/rule-group';
import { type AccountingFactors, JOULES_PER_KWH } from './factors';

/** Names of the recorded series, for panels, tests and the README. */
export const ENERGY_RECORDS = {
  hostKwh: 'host:energy_kwh:per_evaluation',
  hostCo2: 'host:co2e_grams:per_evaluation',
  hostCost: 'host:energy_cost:per_evaluation',
  /** Seconds of host power measured in each evaluation interval (the interval, where power was read): coverage. */
  hostMeasuredSeconds: 'host:energy_measured_seconds:per_evaluation',
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
export const num = (n: number): string => String(Number(n.toPrecision(12)));

/**
 * The mean power of one evaluation interval of `evaluationIntervalSeconds`, from a power gauge
 * scraped every `scrapeIntervalSeconds`: the mean of the interval's own samples (the intervals tile
 * time, so every sample counts once: exact when the gauge is scraped as often or more often than
 * rules run), or, for an interval without a sample (scraped less often, jitter, a scrape the
 * exporter left out, or up to two failed scrapes), the latest sample of the last three scrapes.
 * Nothing when the gauge was not read for longer: that time is not measured.
 */
export function meanPowerOfEvaluation(selector: string, evaluationIntervalSeconds: number, scrapeIntervalSeconds: number): string {
  const e = evaluationIntervalSeconds;
  return `(avg_over_time(${selector}[${e}s]) or last_over_time(${selector}[${e + 3 * scrapeIntervalSeconds}s]))`;
}

/** The energy recording rules of one collector, for the sources it has. */
export function energyRuleGroup(input: EnergyRulesInput): RuleGroup {
  const e = input.evaluationIntervalSeconds;
  const kwhPerWattEvaluation = num(e / JOULES_PER_KWH); // W × e s = J; J / 3.6e6 = kWh
  const { pue, carbonIntensityGramsPerKwh, pricePerKwh, currency } = input.factors;
  const co2PerKwh = num(pue * carbonIntensityGramsPerKwh);
  const costPerKwh = num(pue * pricePerKwh);
  const rules: RecordingRule[] = [];
  if (input.scaphandreScrapeIntervalSeconds !== undefined) {
    // Each record is the mean of the samples of its own evaluation interval, or the latest sample
    // where it has none (Scaphandre leaves out the scrape where a counter wrapped).
    const power = (selector: string) => meanPowerOfEvaluation(selector, e, input.scaphandreScrapeIntervalSeconds!);
    const hostPower = power('scaph_host_power_microwatts');
    const processPower = power('scaph_process_power_consumption_microwatts{container_scheduler="docker"}');
    rules.push(
      { record: ENERGY_RECORDS.hostKwh, expr: `sum by (host) ${hostPower} / 1e6 * ${kwhPerWattEvaluation}` },
      { record: ENERGY_RECORDS.hostCo2, expr: `${ENERGY_RECORDS.hostKwh} * ${co2PerKwh}` },
      { record: ENERGY_RECORDS.hostCost, expr: `${ENERGY_RECORDS.hostKwh} * ${costPerKwh}`, labels: { currency } },
      // Coverage: a range's measured seconds are the sum of these, as its energy is the sum of the
      // kWh records (both exist for exactly the same evaluations).
      { record: ENERGY_RECORDS.hostMeasuredSeconds, expr: `group by (host) ${hostPower} * ${e}` },
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
    // it, does not use this window's rate: "just before" because rate() stops its extrapolation
    // where a counter would reach zero, which under-reads a window whose first sample is a freshly
    // wrapped (small) value (74.6 W for 80 W measured with promtool).
    // The window spans at least four scrapes: node_exporter reads the counters when scraped, and
    // the scrape's timestamp is taken before, so read-time jitter (±3 % per 2 s interval measured
    // under proot) would otherwise show in every record.
    const n = input.nodeScrapeIntervalSeconds;
    const rateWindow = Math.max(e, 4 * n) + n;
    const wrapWindow = `${rateWindow + 2 * n}s`;
    const counter = 'node_rapl_package_joules_total';
    const rate = `rate(${counter}[${rateWindow}s])`;
    // The latest interval's power: for a window not yet full.
    const irate = `irate(${counter}[${rateWindow}s])`;
    const kwh = ENERGY_RECORDS.raplPackageKwh;
    // rate() divides by its whole window, and extrapolates only half a scrape interval before the
    // first sample: a window that is not full (a Prometheus younger than the window, the first
    // windows after an outage) reads low (35 W for 50 W 45 s after the first sample, at a 15 s
    // scrape). Such a window takes irate() instead; a window is full when the zone was read just
    // before it.
    const full = `present_over_time(${counter}[${2 * n}s] offset ${rateWindow}s)`;
    const cleanRate = `((${rate} and ${full}) or ${irate}) unless resets(${counter}[${wrapWindow}]) > 0`;
    // A zone read now (two samples in the rate window) whose counter went backwards within the wrap window.
    const wrapping = `(${irate} and resets(${counter}[${wrapWindow}]) > 0)`;
    // Per zone (not summed): a panel can take increase() over its range for the zones that did not
    // wrap in it, which telescopes (only its two end samples matter), and these records for the
    // zones that did. See raplPackageEnergyKwh.
    // While a zone wraps it holds its own recent records (their mean over the wrap window: the power
    // just before the wrap, one record's read-time jitter averaged out): unlike a window further
    // back, those exist on a Prometheus only seconds old (the window before the wrap window needs
    // rate + wrap window of data: 180 s at a 15 s scrape, and read 80 % low on a young Prometheus).
    // Without a record to hold (Prometheus restarted at a wrap), the window before.
    // Both only for a zone still read now: a zone gone (node_exporter or the host down) records nothing.
    rules.push({
      record: kwh,
      expr: [
        `(${cleanRate}) * ${kwhPerWattEvaluation}`,
        `(avg_over_time(${kwh}[${wrapWindow}]) and ${wrapping})`,
        `(rate(${counter}[${rateWindow}s] offset ${wrapWindow}) * ${kwhPerWattEvaluation} and ${wrapping})`,
      ].join(' or '),
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
 * range, exact but for the two end samples, when it was read before the range began (within the 5
 * minutes before it) and did not wrap (reset) in the range. Any other zone is summed from its
 * per-evaluation records: a wrapped one, since increase() would lose its last interval before the
 * wrap; a young one (its first sample inside the range), since increase() extrapolates half a scrape
 * interval before its first sample, time nobody measured. Records alone would carry node_exporter's
 * read-time jitter (its counters are read some tens of ms after the scrape's timestamp, more on a
 * loaded machine) in every record.
 */
export function raplPackageEnergyKwh(matcher: string, range: string): string {
  const counter = `node_rapl_package_joules_total{${matcher}}`;
  return `sum by (host) ((increase(${counter}[${range}]) unless resets(${counter}[${range}]) > 0) / ${JOULES_PER_KWH} and resets(${counter}[5m] offset ${range}) >= 0 or sum_over_time(${ENERGY_RECORDS.raplPackageKwh}{${matcher}}[${range}]))`;
}
