import { toDashboardDefinition } from '../../dashboards/definition';
import { powerDashboard } from './dashboard';
import { ENERGY_RECORDS } from '../energy/definition';
import { promNumber } from '../../core/alert-thresholds';
import { JOB } from '../../core/labels';
import { SCAPHANDRE_METRICS } from './metrics';
import { alertRule } from '../alert';
import { ComponentDefinition } from '../definition';

/**
 * Scaphandre: host, socket, domain and per-process power from RAPL; the power dashboard; power
 * alerts, among them the silent failures of a power monitor (up but no reading, counters frozen).
 */
export const SCAPHANDRE_COMPONENT: ComponentDefinition = {
  name: 'scaphandre',
  jobName: JOB.scaphandre,
  ruleGroups: [
    {
      name: 'peekstack-scaphandre-power',
      rules: [{ record: 'host:scaph_host_power:watts', expr: 'sum by (host) (scaph_host_power_microwatts) / 1e6' }],
    },
  ],
  alerts: (t) => [
    {
      name: 'peekstack-scaphandre-health',
      rules: [
        alertRule({
          alert: 'PeekStackNoPowerReading',
          expr: `(up{job="${JOB.scaphandre}"} == 1) unless on (host) scaph_host_power_microwatts`,
          for: '5m',
          severity: 'warning',
          summary: 'Scaphandre on host {{ $labels.host }} answers but reports no host power',
          description: 'Scaphandre on host {{ $labels.host }} is up but exports no scaph_host_power_microwatts: no RAPL powercap on the machine, or Scaphandre scraped at or under its 2 s refresh.',
          runbook: 'Check /sys/class/powercap/intel-rapl:0 exists on the host and the Scaphandre container is privileged; keep its scrape interval at 3 s or more.',
        }),
        alertRule({
          alert: 'PeekStackHostEnergyStuck',
          expr: `changes(scaph_host_energy_microjoules{job="${JOB.scaphandre}"}[10m]) == 0`,
          for: '5m',
          severity: 'warning',
          summary: 'Scaphandre\'s energy counter on host {{ $labels.host }} stopped moving',
          description: 'scaph_host_energy_microjoules on host {{ $labels.host }} made {{ $value }} steps in 10 min, for 5 min: Scaphandre is stalled or RAPL stopped counting.',
          runbook: 'Restart the Scaphandre container; if the counter still does not move, check RAPL on the host (energy_uj).',
        }),
        alertRule({
          alert: 'PeekStackHostPowerHigh',
          expr: `host:scaph_host_power:watts > ${promNumber(t.powerWatts)}`,
          for: '15m',
          severity: 'warning',
          summary: 'Host {{ $labels.host }} draws {{ $value | humanize }} W',
          description: `Host {{ $labels.host }} has drawn {{ $value | humanize }} W for 15 min, above its ${promNumber(t.powerWatts)} W threshold.`,
          runbook: 'See "Power per process" on the power dashboard for what draws it; move or throttle the workload.',
        }),
        alertRule({
          alert: 'PeekStackDailyEnergyOverBudget',
          // The energy records the panels read (src/energy/rules.ts): integrated power, right through a
          // RAPL counter wrap, and only the time measured (no extrapolation on a host younger than a day).
          // Not increase() of scaph_host_energy_microjoules: it is the sum of the sockets' counters,
          // which drops when one socket wraps, and increase() counts the other sockets again (+50 % through
          // 11 wraps in 16 h, test/rules/energy-budget.rules.test.yml; +33 % on a 3-minute-old host with one).
          expr: `sum by (host) (sum_over_time(${ENERGY_RECORDS.hostKwh}[1d])) > ${promNumber(t.dailyEnergyKwh)}`,
          severity: 'warning',
          summary: 'Host {{ $labels.host }} used {{ $value | humanize }} kWh in 24 h',
          description: `Host {{ $labels.host }} used {{ $value | humanize }} kWh over the last 24 h (measured during {{ with printf "sum(sum_over_time(${ENERGY_RECORDS.hostMeasuredSeconds}{host=%q}[1d])) / 3600" $labels.host | query }}{{ . | first | value | printf "%.1f" }}{{ end }} h of them), above its ${promNumber(t.dailyEnergyKwh)} kWh daily budget.`,
          runbook: 'See "Host energy over the range" on the power dashboard for when it was spent; move batch work or raise the budget.',
        }),
      ],
    },
  ],
  dashboards: () => [toDashboardDefinition(powerDashboard())],
  metrics: SCAPHANDRE_METRICS,
};
