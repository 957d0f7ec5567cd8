/**
 * "PeekStack / Fleet": the whole fleet at once, on the fleet store (Grafana's "PeekStack fleet"
 * datasource, its default): fleet power now, energy per host as a ranking, the containers that used
 * the most energy across the fleet, which hosts report, and each host's power over time.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { HOST_LABEL, JOB } from '../core/labels';
import { ENERGY_RECORDS } from '../components/energy/definition';
import { HOST_ENERGY_COVERAGE } from '../components/scaphandre/dashboard';
import { buildDashboard, CO2E_UNIT, HOST, MICRO, rankingPanel, statPanel, timeseriesPanel } from '../dashboards/shared';
import { fleetPlatformPowerPanels } from '../components/platform-power/panels';
import { expectedHostsVector, FLEET_RECORDS } from '../hub/fleet-rules';

/** Stable uid: Grafana links and provisioning refer to the dashboard by it. */
export const FLEET_DASHBOARD_UID = 'peekstack-fleet';

/** One series per selected host whose collector's Prometheus writes to the store: its own `up`, scraped by itself. */
const REPORTING = `count by (${HOST_LABEL}) (up{job="${JOB.prometheus}", ${HOST}})`;

/**
 * Each host's energy over the range, kWh: the sum of its collector's per-evaluation energy records
 * (src/energy/rules.ts), as on the power dashboard. Only measured time counts: a fleet younger than
 * the range, or a host down for part of it, adds nothing for the time without records (mean power ×
 * the range read 80× too much on a 4-minute-old fleet at a 6 h range). The store keeps every record:
 * it deduplicates to one sample per `-dedup.minScrapeInterval`, the fleet's finest scrape interval,
 * and a collector evaluates its rules at its own scrape interval, on a fixed grid (one per slot).
 */
const HOST_ENERGY_KWH = `sum by (host) (sum_over_time(${ENERGY_RECORDS.hostKwh}{${HOST}}[$__range]))`;

/** Hosts the fleet file lists, one series each with its `host` label: the fleet rules' own list. */
const fleetHosts = expectedHostsVector;

/** Options of {@link fleetDashboard}. */
export interface FleetDashboardOptions {
  /**
   * Add the row of what vmalert on the hub records (fleet:*, host:remote_write_lag_seconds).
   * @default false
   */
  readonly hubRecords?: boolean;
}

/** The row of vmalert's records: the fleet as the hub sees it in the store. */
function hubRecordsRow() {
  return {
    title: 'Fleet rules (vmalert on the hub)',
    panels: [
      statPanel({
        title: 'Share of the fleet reporting',
        description: 'Hosts of the fleet file with a sample in the store in the last 5 minutes, over all of them (vmalert on the hub). Under 67 % fires PeekStackFleetHostsMissing.',
        unit: units.PercentUnit,
        instant: true,
        decimals: 0,
        queries: [{ expr: FLEET_RECORDS.hostsReportingRatio, legend: 'reporting' }],
      }),
      statPanel({
        title: 'Fleet power, 15-minute mean',
        description: 'Each host\'s energy records over its measured seconds, summed over the fleet (vmalert on the hub): what the fleet power budget is checked against.',
        unit: units.Watt,
        instant: true,
        queries: [{ expr: FLEET_RECORDS.power, legend: 'fleet' }],
      }),
      statPanel({
        title: 'Fleet energy, last 24 hours',
        description: 'The sum of every host\'s energy records over the last 24 hours (vmalert on the hub): what the fleet energy budget is checked against.',
        unit: units.KiloWattHour,
        instant: true,
        decimals: 3,
        queries: [{ expr: FLEET_RECORDS.dailyEnergy, legend: 'fleet' }],
      }),
      timeseriesPanel({
        title: 'Remote write lag per host',
        description: 'Seconds since each host\'s newest sample in the store, as vmalert on the hub measures it (the store holds back queries\' last 30 s, so a healthy host reads up to about 30 s). Above 2 minutes for 10 minutes fires PeekStackRemoteWriteLagging.',
        unit: units.Seconds,
        min: 0,
        queries: [{ expr: `${FLEET_RECORDS.remoteWriteLag}{${HOST}}`, legend: '{{host}}' }],
      }),
    ],
  };
}

/** Builds the fleet dashboard for a fleet of `hostNames`. */
export function fleetDashboard(hostNames: readonly string[], options: FleetDashboardOptions = {}): dashboard.Dashboard {
  if (hostNames.length === 0) throw new Error('fleetDashboard: a fleet of at least one host');
  return buildDashboard({
    uid: FLEET_DASHBOARD_UID,
    title: 'PeekStack / Fleet',
    description: 'Every host at once, from the fleet store: power, energy ranking, top containers by energy, and which hosts report.',
    tags: ['peekstack', 'fleet', 'power'],
    rows: [
      {
        title: 'Fleet',
        panels: [
          statPanel({
            title: 'Fleet power now',
            description:
              'Sum of the host power Scaphandre measures (RAPL) on every selected host, in watts: each host\'s mean over the rate interval, so one late or missed scrape neither drops a host from the sum nor skews it.',
            unit: units.Watt,
            queries: [{ expr: `sum(avg_over_time(scaph_host_power_microwatts{${HOST}}[$__rate_interval])) / ${MICRO}`, legend: 'fleet' }],
          }),
          statPanel({
            title: 'Fleet energy over the range',
            description:
              'Energy of every selected host over the selected range, in kWh: Scaphandre host power integrated by each collector\'s energy records, which stay right through RAPL counter wraps (the energy counter does not). Only measured time counts: see "Energy measured: share of the range".',
            unit: units.KiloWattHour,
            instant: true,
            decimals: 3,
            queries: [{ expr: `sum(${HOST_ENERGY_KWH})`, legend: 'fleet' }],
          }),
          statPanel({
            title: 'Fleet CO₂e over the range',
            description: "Emissions of the selected hosts' energy over the range: the collectors' records of each host's kWh × PUE × its grid carbon intensity (fleet file accounting).",
            unit: CO2E_UNIT,
            instant: true,
            decimals: 1,
            queries: [{ expr: `sum(sum_over_time(${ENERGY_RECORDS.hostCo2}{${HOST}}[$__range]))`, legend: 'fleet' }],
          }),
          statPanel({
            title: 'Fleet electricity cost over the range',
            description: "What the selected hosts' energy cost over the range, per currency: the collectors' records of each host's kWh × PUE × its price (fleet file accounting).",
            unit: units.NoUnit,
            instant: true,
            decimals: 2,
            queries: [{ expr: `sum by (currency) (sum_over_time(${ENERGY_RECORDS.hostCost}{${HOST}}[$__range]))`, legend: '{{currency}}' }],
          }),
          statPanel({
            title: 'Energy measured: share of the range',
            description:
              'Per host, the part of the selected range during which its power was measured: the energy, CO₂e and cost panels count only that time. Under 100 % for a host younger than the range, or down for part of it.',
            unit: units.PercentUnit,
            instant: true,
            decimals: 1,
            queries: [{ expr: HOST_ENERGY_COVERAGE, legend: '{{host}}' }],
          }),
          statPanel({
            title: 'Hosts reporting',
            description: `Hosts whose collector writes to the fleet store now, out of the ${hostNames.length} of the fleet file.`,
            unit: units.Short,
            instant: true,
            queries: [
              { expr: `count(${REPORTING})`, legend: 'reporting' },
              { expr: `count(${fleetHosts(hostNames)})`, legend: 'in the fleet' },
            ],
          }),
          statPanel({
            title: 'Hosts not reporting',
            description:
              'Hosts of the fleet file with no data in the fleet store now (collector down, or its remote_write failing). Empty when every host reports. Read it with every host selected: an unselected host counts as not reporting.',
            unit: units.Short,
            instant: true,
            queries: [{ expr: `(${fleetHosts(hostNames)}) unless on (${HOST_LABEL}) ${REPORTING}`, legend: '{{host}}' }],
          }),
        ],
      },
      {
        title: 'Energy ranking',
        panels: [
          rankingPanel({
            title: 'Energy per host over the range',
            description: 'Energy each host used over the selected range (Scaphandre host power integrated by its collector\'s energy records, measured time only), largest first, in kWh.',
            unit: units.KiloWattHour,
            decimals: 3,
            queries: [{ expr: `sort_desc(${HOST_ENERGY_KWH})`, legend: '{{host}}' }],
          }),
          rankingPanel({
            title: 'Top containers by energy across the fleet',
            description:
              'Energy Scaphandre attributes to the processes of each Docker container over the selected range (the collectors\' per-container energy records, measured time only), the 10 largest across every host, in kWh.',
            unit: units.KiloWattHour,
            decimals: 4,
            queries: [
              {
                expr: `sort_desc(topk(10, sum by (host, container_names) (sum_over_time(${ENERGY_RECORDS.containerKwh}{${HOST}}[$__range]))))`,
                legend: '{{host}} {{container_names}}',
              },
            ],
          }),
        ],
      },
      {
        title: 'Platform (whole machine)',
        panels: fleetPlatformPowerPanels(),
      },
      {
        title: 'Power over time',
        panels: [
          timeseriesPanel({
            title: 'Power per host',
            description: 'Host power (Scaphandre) of each selected host, stacked: the top of the stack is the fleet power.',
            unit: units.Watt,
            width: 24,
            stacked: true,
            min: 0,
            queries: [{ expr: `sum by (host) (scaph_host_power_microwatts{${HOST}}) / ${MICRO}`, legend: '{{host}}' }],
          }),
        ],
      },
      ...(options.hubRecords ? [hubRecordsRow()] : []),
    ],
  });
}
