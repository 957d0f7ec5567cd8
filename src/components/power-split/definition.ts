/**
 * Recording rules that split host power into idle and active power, and active power over the
 * containers by their share of the host's busy CPU time.
 *
 * - Host power: the energy rules' host record (Scaphandre's host power averaged over each evaluation
 *   interval, right through a RAPL counter wrap: see ../energy/definition.ts), back in watts.
 * - Idle: the lowest host power seen over {@link IDLE_WINDOW} of power smoothed over
 *   {@link IDLE_SMOOTHING} (at least {@link IDLE_SMOOTHING_MIN_SECONDS} of it), never above the
 *   current host power (clamped).
 * - Active: host − idle.
 * - Each container: active × its CPU time (cAdvisor) / the host's busy CPU time (node_exporter).
 * - Unattributed: active − Σ containers (host processes, the kernel, CPU time cAdvisor did not see).
 *
 * So idle + Σ containers + unattributed = host by construction, in every evaluation. Scaphandre's
 * own per-container power is not used: its container labels are empty on cgroup v2 with current
 * Docker (hubblo-org/scaphandre#420).
 */
import type { RecordingRule, RuleGroup } from '../../core/rule-group';
import { JOB } from '../../core/labels';
import { ENERGY_RECORDS } from '../energy/definition';
import { JOULES_PER_KWH } from '../energy/factors';
import { IDLE_SMOOTHING, IDLE_SMOOTHING_MIN_SECONDS, IDLE_WINDOW, POWER_SPLIT_RECORDS } from './records';

/** Name of the rule group. */
export const POWER_SPLIT_RULE_GROUP = 'peekstack-power-split';

/** Input of {@link powerSplitRuleGroup}. */
export interface PowerSplitRulesInput {
  /** The group's evaluation interval, the same as the energy rules' (their host record is per this interval). */
  readonly evaluationIntervalSeconds: number;
  /** How often node_exporter is scraped (the busy CPU time). */
  readonly nodeScrapeIntervalSeconds: number;
  /** How often cAdvisor is scraped (the containers' CPU time). */
  readonly cadvisorScrapeIntervalSeconds: number;
}

/**
 * The window of the CPU rates: at least four scrapes of the slower of node_exporter and cAdvisor
 * (an exporter's counters are read some ms after the scrape's timestamp, and that jitter shrinks with
 * the window) and at least an evaluation interval, plus one scrape so the window always holds two.
 */
export function cpuRateWindowSeconds(input: PowerSplitRulesInput): number {
  const slower = Math.max(input.nodeScrapeIntervalSeconds, input.cadvisorScrapeIntervalSeconds);
  return Math.max(input.evaluationIntervalSeconds, 4 * slower) + slower;
}

/** The power split rules of one collector (it needs Scaphandre's energy records, node_exporter and cAdvisor). */
export function powerSplitRuleGroup(input: PowerSplitRulesInput): RuleGroup {
  const e = input.evaluationIntervalSeconds;
  const w = `${cpuRateWindowSeconds(input)}s`;
  const r = POWER_SPLIT_RECORDS;
  // The host's busy cores, or the containers' when cAdvisor saw more (the two are read at different
  // moments): the shares then sum to 1 and unattributed power is 0, never negative. Only where
  // node_exporter answers, and never 0 (a host with no busy time has nothing to share out).
  const shareBase = `((${r.hostBusyCores} >= on (host) ${r.containersCores}) or on (host) ${r.containersCores}) and on (host) ${r.hostBusyCores} > 0`;
  const rules: RecordingRule[] = [
    // The energy rules' group runs on its own timer: this reads its latest record (at most one
    // evaluation interval old). Every record below derives from this one, in this group's order, so
    // the parts of one evaluation add up to its host power whatever that lag.
    { record: r.hostWatts, expr: `sum by (host) (${ENERGY_RECORDS.hostKwh}) * ${JOULES_PER_KWH / e}` },
    {
      record: r.hostWattsSmoothed,
      expr: `avg_over_time(${r.hostWatts}[${IDLE_SMOOTHING}]) and on (host) count_over_time(${r.hostWatts}[${IDLE_SMOOTHING}]) >= ${Math.ceil(IDLE_SMOOTHING_MIN_SECONDS / e)}`,
    },
    // The smoothed minimum can sit above the power of this one interval: then idle is that power.
    { record: r.idleWatts, expr: `(min_over_time(${r.hostWattsSmoothed}[${IDLE_WINDOW}]) <= on (host) ${r.hostWatts}) or on (host) ${r.hostWatts}` },
    { record: r.activeWatts, expr: `${r.hostWatts} - on (host) ${r.idleWatts}` },
    // Busy: every mode but idle, iowait (idle waiting on a disk) and steal (time another VM ran).
    { record: r.hostBusyCores, expr: `sum by (host) (rate(node_cpu_seconds_total{job="${JOB.node}", mode!~"idle|iowait|steal"}[${w}]))` },
    // name="" is the root cgroup and the cgroups that are no container: not containers.
    { record: r.containerCores, expr: `sum by (host, name) (rate(container_cpu_usage_seconds_total{job="${JOB.cadvisor}", name!=""}[${w}]))` },
    { record: r.containersCores, expr: `sum by (host) (${r.containerCores})` },
    { record: r.containersCpuRatio, expr: `${r.containersCores} / on (host) (${r.hostBusyCores} > 0)` },
    {
      record: r.containerActiveWatts,
      expr: `${r.containerCores} / on (host) group_left () (${shareBase}) * on (host) group_left () ${r.activeWatts}`,
    },
    // Clamped at 0 against rounding only: the shares sum to at most 1 by the base above.
    {
      record: r.unattributedWatts,
      expr: `clamp_min(${r.activeWatts} - on (host) (sum by (host) (${r.containerActiveWatts}) or ${r.activeWatts} * 0), 0)`,
    },
  ];
  return { name: POWER_SPLIT_RULE_GROUP, interval: `${e}s`, rules };
}
