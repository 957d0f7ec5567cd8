/**
 * The fleet rules vmalert evaluates on the hub, against the fleet store: what no collector can see
 * alone (a host silent in the store whatever the reason, remote_write lag measured where the samples
 * land, the fleet's power and energy against its budget, the share of hosts reporting) and the
 * `Watchdog`, the dead man's switch. Pure data, no cdktf: the Vmalert construct uploads them and
 * the tests feed the same groups to `vmalert-tool unittest`.
 *
 * Every collector's Prometheus writes `up` (one series per scrape job, the `host` external label on
 * each) to the store: its newest sample per host is the host's last word in the store. The hosts of
 * the fleet file are written into the expressions, so a host never seen at all is caught too.
 */
import { alertRule } from '../components/alert';
import { ENERGY_RECORDS } from '../components/energy/definition';
import { JOULES_PER_KWH } from '../components/energy/factors';
import { VMALERT_DEFAULTS } from '../core/defaults';
import type { RuleGroup } from '../core/rule-group';
import { HOST_LABEL } from '../core/labels';
import { WATCHDOG_ALERT } from '../render/heartbeat-route';

/** Names of the series vmalert records into the store, for the Fleet dashboard, tests and docs. */
export const FLEET_RECORDS = {
  /** Seconds since the newest sample of each host in the store. */
  remoteWriteLag: 'host:remote_write_lag_seconds',
  /** Hosts of the fleet file with a sample in the store in the last 5 minutes, over all hosts of the fleet file (0..1). */
  hostsReportingRatio: 'fleet:hosts_reporting:ratio',
  /** Mean power of the fleet over the last 15 minutes (W): each host's energy records over its measured seconds, summed. */
  power: 'fleet:power_watts:mean_15m',
  /** Energy of the fleet over the last 24 hours (kWh): the sum of every host's energy records. */
  dailyEnergy: 'fleet:energy_kwh:sum_24h',
} as const;

export { WATCHDOG_ALERT };

/** Rule group names (one rule file each). */
export const FLEET_RULE_GROUPS = { fleet: 'peekstack-fleet', watchdog: 'peekstack-watchdog' } as const;

/** A share of the fleet reporting under this fires PeekStackFleetHostsMissing: a third of the fleet gone. */
export const FLEET_REPORTING_MIN_RATIO = 0.67;

/** Remote_write lag above this (s) for 10 minutes fires PeekStackRemoteWriteLagging: well above a batch deadline plus a scrape interval. */
export const REMOTE_WRITE_LAG_MAX_SECONDS = 120;

/** The fleet's budget; each alert exists only when its budget is set. */
export interface FleetBudget {
  /**
   * Mean power of the whole fleet over 15 minutes, in watts.
   * @default - no power budget alert
   */
  readonly powerWatts?: number;
  /**
   * Energy of the whole fleet over the last 24 hours, in kWh.
   * @default - no energy budget alert
   */
  readonly dailyEnergyKwh?: number;
}

/** Input of {@link fleetRuleGroups}. */
export interface FleetRulesInput {
  /** The host names of the fleet file (the `host` label of their series). */
  readonly hosts: readonly string[];
  /** Host the hub runs on: the `host` label of the fleet-wide alerts (Alertmanager groups by host). */
  readonly hubHost: string;
  /**
   * Evaluation interval of the groups, in seconds.
   * @default VMALERT_DEFAULTS.evaluationIntervalSeconds
   */
  readonly evaluationIntervalSeconds?: number;
  /**
   * The fleet's budget.
   * @default - none: no budget alerts (the power and energy are still recorded)
   */
  readonly budget?: FleetBudget;
  /**
   * Add the always-firing `Watchdog` alert (for a heartbeat receiver).
   * @default false
   */
  readonly watchdog?: boolean;
}

/** A label value as a PromQL string literal. */
const quoted = (value: string) => JSON.stringify(value);

/** One series `{host="<name>"}` of value 1 per host of the fleet file (PromQL has no literal label sets): the hosts that should report. */
export function expectedHostsVector(hosts: readonly string[]): string {
  return hosts.map((host) => `label_replace(vector(1), "${HOST_LABEL}", ${quoted(host)}, "", "")`).join(' or ');
}

/** Hosts with at least one sample of `up` in the store over the last `minutes`. */
const seenHosts = (minutes: number) => `count by (host) (count_over_time(up[${minutes}m]))`;

/** The fleet rules (and, with `watchdog`, the Watchdog group), in Prometheus's shape. */
export function fleetRuleGroups(input: FleetRulesInput): RuleGroup[] {
  const interval = `${input.evaluationIntervalSeconds ?? VMALERT_DEFAULTS.evaluationIntervalSeconds}s`;
  const silent = VMALERT_DEFAULTS.silentHostMinutes;
  const expected = expectedHostsVector(input.hosts);
  const hub = { host: input.hubHost };
  const budget = input.budget ?? {};
  const rules = [
    { record: FLEET_RECORDS.remoteWriteLag, expr: `time() - max by (host) (timestamp(up))` },
    // `or vector(0)`: with no host seen the share is 0, not absent.
    { record: FLEET_RECORDS.hostsReportingRatio, expr: `(count((${expected}) and on (host) ${seenHosts(silent)}) or vector(0)) / ${input.hosts.length}` },
    // Per host: its energy over its measured seconds (the records are wrap-safe and exist only where
    // power was read, see src/components/energy/definition.ts), then summed over the fleet.
    {
      record: FLEET_RECORDS.power,
      expr: `sum(sum by (host) (sum_over_time(${ENERGY_RECORDS.hostKwh}[15m])) * ${JOULES_PER_KWH} / sum by (host) (sum_over_time(${ENERGY_RECORDS.hostMeasuredSeconds}[15m])))`,
    },
    { record: FLEET_RECORDS.dailyEnergy, expr: `sum(sum_over_time(${ENERGY_RECORDS.hostKwh}[24h]))` },
    alertRule({
      alert: 'PeekStackHostSilentInStore',
      // No sample in the last 4 minutes, for 1 minute: 5 minutes of silence. The `for` also spares
      // the first evaluations after a restart of the store, which holds back the newest 30 s.
      expr: `(${expected}) unless on (host) ${seenHosts(silent - 1)}`,
      for: '1m',
      severity: 'critical',
      summary: 'Host {{ $labels.host }} has written nothing to the fleet store for 5 minutes',
      description: 'No sample of host {{ $labels.host }} reached the fleet store in the last 5 minutes (host down, Prometheus stopped, remote_write stuck or refused, or never deployed).',
      runbook: 'Check the host, then its Prometheus (prometheus_remote_storage_* metrics, its logs) and the store (vmauth) from the host.',
    }),
    alertRule({
      alert: 'PeekStackRemoteWriteLagging',
      expr: `${FLEET_RECORDS.remoteWriteLag} > ${REMOTE_WRITE_LAG_MAX_SECONDS}`,
      for: '10m',
      severity: 'warning',
      summary: 'Host {{ $labels.host }} reaches the fleet store {{ $value | humanizeDuration }} late',
      description: 'The newest sample of host {{ $labels.host }} in the fleet store is {{ $value | humanizeDuration }} old (more than 2 min) for 10 minutes.',
      runbook: 'Look at the host\'s prometheus_remote_storage_* metrics (shards, pending samples, failures) and the network to the hub.',
    }),
    alertRule({
      alert: 'PeekStackFleetHostsMissing',
      expr: `${FLEET_RECORDS.hostsReportingRatio} < ${FLEET_REPORTING_MIN_RATIO}`,
      for: '5m',
      severity: 'critical',
      summary: 'Only {{ $value | humanizePercentage }} of the fleet reports to the store',
      description: `Only {{ $value | humanizePercentage }} of the ${input.hosts.length} hosts of the fleet wrote to the store in the last 5 minutes, for 5 minutes.`,
      runbook: 'A third of the fleet or more is missing: look for what they share (network, the hub, a deploy).',
      labels: hub,
    }),
    ...(budget.powerWatts !== undefined
      ? [alertRule({
          alert: 'PeekStackFleetPowerOverBudget',
          expr: `${FLEET_RECORDS.power} > ${budget.powerWatts}`,
          for: '15m',
          severity: 'warning',
          summary: 'The fleet draws {{ $value | humanize }}W, over its budget',
          description: `The fleet's mean power over 15 minutes is {{ $value | humanize }}W, above its budget of ${budget.powerWatts} W, for 15 minutes.`,
          runbook: 'See the Fleet dashboard\'s power panels for the hosts that draw the most.',
          labels: hub,
        })]
      : []),
    ...(budget.dailyEnergyKwh !== undefined
      ? [alertRule({
          alert: 'PeekStackFleetDailyEnergyOverBudget',
          expr: `${FLEET_RECORDS.dailyEnergy} > ${budget.dailyEnergyKwh}`,
          for: '5m',
          severity: 'warning',
          summary: 'The fleet used {{ $value | humanize }} kWh in 24 h, over its budget',
          description: `The fleet's energy over the last 24 hours is {{ $value | humanize }} kWh, above its budget of ${budget.dailyEnergyKwh} kWh.`,
          runbook: 'See the Fleet dashboard\'s energy panels for the hosts that used the most.',
          labels: hub,
        })]
      : []),
  ];
  const groups: RuleGroup[] = [{ name: FLEET_RULE_GROUPS.fleet, interval, rules }];
  if (input.watchdog) {
    groups.push({
      name: FLEET_RULE_GROUPS.watchdog,
      interval,
      rules: [
        alertRule({
          alert: WATCHDOG_ALERT,
          expr: 'vector(1)',
          severity: 'info',
          summary: 'The hub\'s alerting pipeline is alive (always firing)',
          description: 'Always firing while vmalert evaluates the hub\'s rules and Alertmanager delivers: the heartbeat service alarms when it stops arriving.',
          runbook: 'If the heartbeat service says it stopped: check the hub host, then vmalert and Alertmanager.',
          labels: hub,
        }),
      ],
    });
  }
  return groups;
}
