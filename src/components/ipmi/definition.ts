/**
 * The IPMI add-on's pure part (no cdktf): its port, paths, recording rules and dashboard. The
 * construct (ipmi-exporter.ts) adds the container and the scrape target.
 *
 * Platform power from the BMC: DCMI's "Current Power" is what the whole machine draws at the
 * power supply's input as the BMC measures it (most BMCs average it over a second or so), so it
 * covers what RAPL leaves out (power supply losses, fans, disks, NICs, accelerators).
 */
import type { DashboardDefinition } from '../../dashboards/definition';
import { toDashboardDefinition } from '../../dashboards/definition';
import { buildDashboard, HOST, statPanel, timeseriesPanel } from '../../dashboards/shared';
import type { RuleGroup } from '../../core/rule-group';
import { platformSourceRuleGroup } from '../energy/platform';
import { PLATFORM_RECORDS } from '../platform-power/definition';
import { IPMI_JOB } from './metrics';

/** Port the exporter serves on, inside the collector's private network (its upstream default). */
export const IPMI_EXPORTER_PORT = 9290;

/** The BMC device of the kernel's OpenIPMI driver (`ipmi_devintf`), mapped into the container in-band. */
export const IPMI_DEVICE = '/dev/ipmi0';

/** Where the exporter finds the file PeekStack uploads. */
export const IPMI_EXPORTER_PATHS = { config: '/etc/ipmi_exporter/ipmi.yml' } as const;

/** The `source` label of the IPMI platform records. */
export const IPMI_SOURCE = 'ipmi';

/** The series the exporter writes the BMC's power to. */
export const IPMI_POWER_METRIC = 'ipmi_dcmi_power_consumption_watts';

/** Name of the rule group (in `ipmi.rules.yml`). */
export const IPMI_RULE_GROUP = 'peekstack-platform-ipmi';

/** The platform power, energy and coverage records of the IPMI source. */
export function ipmiRuleGroup(input: { readonly scrapeIntervalSeconds: number; readonly evaluationIntervalSeconds: number }): RuleGroup {
  return platformSourceRuleGroup({
    source: IPMI_SOURCE,
    groupName: IPMI_RULE_GROUP,
    wattsSelector: `${IPMI_POWER_METRIC}{job="${IPMI_JOB}"}`,
    scrapeIntervalSeconds: input.scrapeIntervalSeconds,
    evaluationIntervalSeconds: input.evaluationIntervalSeconds,
  });
}

/** Stable uid of the platform power (IPMI) dashboard. */
export const IPMI_DASHBOARD_UID = 'peekstack-platform-ipmi';

/** The platform power dashboard of the IPMI source: power now and over time, energy and its coverage. */
export function ipmiPowerDashboard(): DashboardDefinition {
  const sel = `{${HOST}, source="${IPMI_SOURCE}"}`;
  return toDashboardDefinition(
    buildDashboard({
      uid: IPMI_DASHBOARD_UID,
      title: 'PeekStack / Platform power (IPMI)',
      description:
        'Whole-machine power from the BMC over IPMI (DCMI): power supply, fans, disks, NICs and accelerators included, which RAPL (CPU packages and DRAM) leaves out. Shown apart from RAPL, never summed with it.',
      tags: ['peekstack', 'ipmi', 'power'],
      rows: [
        {
          title: 'Platform power (BMC)',
          panels: [
            statPanel({
              title: 'Platform power now',
              description: `${PLATFORM_RECORDS.power}{source="ipmi"}: the BMC's DCMI "Current Power", W.`,
              unit: 'watt',
              queries: [{ expr: `sum by (host) (${PLATFORM_RECORDS.power}${sel})`, legend: '{{host}}' }],
            }),
            statPanel({
              title: 'Platform energy over the range',
              description: 'Sum of the per-evaluation platform energy records over the range, kWh: only the time the BMC was read counts (see the share measured).',
              unit: 'kwatth',
              instant: true,
              decimals: 4,
              queries: [{ expr: `sum by (host) (sum_over_time(${PLATFORM_RECORDS.energyKwh}${sel}[$__range]))`, legend: '{{host}}' }],
            }),
            statPanel({
              title: 'Platform energy measured: share of the range',
              description: 'Seconds of the range whose platform power was read, over the range: the coverage of the energy figure.',
              unit: 'percentunit',
              instant: true,
              decimals: 3,
              queries: [{ expr: `sum by (host) (sum_over_time(${PLATFORM_RECORDS.measuredSeconds}${sel}[$__range])) / $__range_s`, legend: '{{host}}' }],
            }),
            timeseriesPanel({
              title: 'Platform power',
              description: 'The BMC\'s whole-machine power per host, W.',
              unit: 'watt',
              width: 24,
              queries: [{ expr: `sum by (host) (${PLATFORM_RECORDS.power}${sel})`, legend: '{{host}}' }],
            }),
          ],
        },
      ],
    }),
  );
}
