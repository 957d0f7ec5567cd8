/**
 * "PeekStack / Power": host power and energy (Scaphandre, job `scaphandre`), the RAPL domain
 * breakdown (node_exporter `rapl` collector, job `node`), idle and active power with each container's
 * share (power-split records), power per process and per container,
 * and what the PeekStack collector itself costs in power and CPU.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { CADVISOR_COMPONENT_LABEL } from '../../core/labels';
import { ENERGY_RECORDS, raplPackageEnergyKwh } from '../energy/definition';
import { powerSplitRow } from '../power-split/dashboard';
import { buildDashboard, CO2E_UNIT, HOST, MICRO, statPanel, timeseriesPanel } from '../../dashboards/shared';
import { platformPowerPanels } from '../platform-power/panels';

/** Stable uid: Grafana links and provisioning refer to the dashboard by it. */
export const POWER_DASHBOARD_UID = 'peekstack-power';

const RATE = '[$__rate_interval]';
// Scaphandre --containers copies the Docker label `peekstack.component` of our own containers
// to the processes inside them; cAdvisor whitelists the same label under the same name.
const STACK = `${CADVISOR_COMPONENT_LABEL}!=""`;
const COMPONENT = CADVISOR_COMPONENT_LABEL;

/**
 * Power of the RAPL zones of `counter` per host, in watts (rate() of joules), right across a counter
 * wrap. RAPL counters wrap at `max_energy_range_uj`, one zone at a time, and rate() takes a wrap for a
 * reset to zero: it loses the wrapped zone's energy between its last reading before the wrap and the
 * wrap, and stops its extrapolation where the fresh (small) counter would reach zero, so the points
 * whose rate window holds a wrap dipped (package power −6 %, the rest of the package −17 % over those
 * points, single points to −30 %, with the wrap just before a scrape: test/real/energy-coverage.test.ts). A zone whose counter went backwards in the rate window, or between the window's first
 * reading and the one before it (`offset $__interval`: at least one scrape interval back), takes its
 * rate from the window before; when that window holds the wrap, the current window is clean.
 */
export function raplWatts(counter: string): string {
  const c = `${counter}{${HOST}}`;
  const wrapped = `resets(${c}${RATE}) > 0 or resets(${c}${RATE} offset $__interval) > 0`;
  return `sum by (host) ((rate(${c}${RATE}) unless (${wrapped})) or (rate(${c}${RATE} offset $__rate_interval) unless resets(${c}${RATE} offset $__rate_interval) > 0) or rate(${c}${RATE}))`;
}

// RAPL counters in joules: rate() is joules per second, i.e. watts.
const PACKAGE_W = raplWatts('node_rapl_package_joules_total');
const CORE_W = raplWatts('node_rapl_core_joules_total');

/** Share of the range whose host power was measured (the energy records' coverage), per host. */
export const HOST_ENERGY_COVERAGE = `sum by (host) (sum_over_time(${ENERGY_RECORDS.hostMeasuredSeconds}{${HOST}}[$__range])) / $__range_s`;

/** Builds the power dashboard. */
export function powerDashboard(): dashboard.Dashboard {
  return buildDashboard({
    uid: POWER_DASHBOARD_UID,
    title: 'PeekStack / Power',
    description:
      'Host power and energy (Scaphandre), whole-machine power (ACPI meter, BMC; a model where nothing measures, marked estimated), RAPL domains (node_exporter), power per process and container, and the cost of the monitoring stack itself.',
    tags: ['peekstack', 'scaphandre', 'power'],
    rows: [
      {
        title: 'Host',
        panels: [
          statPanel({
            title: 'Host power',
            description: 'Power of the whole host measured by Scaphandre (RAPL), in watts.',
            unit: units.Watt,
            queries: [{ expr: `sum by (host) (scaph_host_power_microwatts{${HOST}}) / ${MICRO}`, legend: '{{host}}' }],
          }),
          statPanel({
            title: 'Host energy over the range',
            description:
              'Energy the host used over the selected range (kWh): Scaphandre host power integrated by the energy recording rule, which stays right when a RAPL counter wraps (the energy counter of a multi-socket host does not). Only measured time counts: see "Energy measured: share of the range".',
            unit: units.KiloWattHour,
            instant: true,
            decimals: 4,
            queries: [{ expr: `sum by (host) (sum_over_time(${ENERGY_RECORDS.hostKwh}{${HOST}}[$__range]))`, legend: '{{host}}' }],
          }),
          statPanel({
            title: 'Energy measured: share of the range',
            description:
              'The part of the selected range during which host power was measured (the energy, CO₂e and cost panels count only that time): under 100 % when the collector is younger than the range, or was down for part of it.',
            unit: units.PercentUnit,
            instant: true,
            decimals: 1,
            queries: [{ expr: HOST_ENERGY_COVERAGE, legend: '{{host}}' }],
          }),
          statPanel({
            title: 'Host CO₂e over the range',
            description: "Emissions of the host's energy over the range: kWh × PUE × the grid carbon intensity set in the fleet file (accounting).",
            unit: CO2E_UNIT,
            instant: true,
            decimals: 2,
            queries: [{ expr: `sum by (host) (sum_over_time(${ENERGY_RECORDS.hostCo2}{${HOST}}[$__range]))`, legend: '{{host}}' }],
          }),
          statPanel({
            title: 'Host electricity cost over the range',
            description: "What the host's energy cost over the range: kWh × PUE × the electricity price set in the fleet file (accounting), in its currency.",
            unit: units.NoUnit,
            instant: true,
            decimals: 4,
            queries: [{ expr: `sum by (host, currency) (sum_over_time(${ENERGY_RECORDS.hostCost}{${HOST}}[$__range]))`, legend: '{{host}} {{currency}}' }],
          }),
          statPanel({
            title: 'CPU package energy over the range',
            description:
              'Energy of the CPU packages over the range from the node_exporter RAPL counters: increase() per zone, or, for a zone whose counter wrapped in the range or that was first read inside it, its rate integrated by the energy recording rule (only measured time counts).',
            unit: units.KiloWattHour,
            instant: true,
            decimals: 4,
            queries: [{ expr: raplPackageEnergyKwh(HOST, '$__range'), legend: '{{host}}' }],
          }),
          statPanel({
            title: 'Monitoring stack share of host power',
            description: 'Power Scaphandre attributes to the PeekStack containers, as a share of the host power.',
            unit: units.PercentUnit,
            queries: [
              {
                expr: `sum by (host) (scaph_process_power_consumption_microwatts{${HOST}, ${STACK}}) / sum by (host) (scaph_host_power_microwatts{${HOST}})`,
                legend: '{{host}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Host and CPU package power',
            description:
              'Host power from Scaphandre and CPU package power from the node_exporter RAPL counters (right across a counter wrap: a zone that wrapped in the rate window shows the window before). Two readings of overlapping RAPL counters: compare them, do not add them.',
            unit: units.Watt,
            width: 24,
            min: 0,
            queries: [
              { expr: `sum by (host) (scaph_host_power_microwatts{${HOST}}) / ${MICRO}`, legend: '{{host}} host (Scaphandre)' },
              { expr: PACKAGE_W, legend: '{{host}} CPU packages (RAPL)' },
            ],
          }),
        ],
      },
      {
        title: 'Platform (whole machine)',
        panels: platformPowerPanels(),
      },
      {
        title: 'RAPL domains',
        panels: [
          timeseriesPanel({
            title: 'CPU package power by RAPL domain',
            description:
              'The core domain is part of the package domain, so the package is split into cores + rest of package (uncore: caches, memory controller, integrated GPU). Stacked, the top of the stack is the package power; DRAM and psys zones are outside this split.',
            unit: units.Watt,
            width: 24,
            stacked: true,
            min: 0,
            queries: [
              { expr: CORE_W, legend: '{{host}} cores' },
              { expr: `${PACKAGE_W} - ${CORE_W}`, legend: '{{host}} rest of package' },
            ],
          }),
        ],
      },
      powerSplitRow(),
      {
        title: 'Processes and containers',
        panels: [
          timeseriesPanel({
            title: 'Power per process (top 10)',
            description: 'Host power Scaphandre attributes to each executable in proportion to its CPU time, top 10 at each instant.',
            unit: units.Watt,
            min: 0,
            queries: [
              {
                expr: `topk(10, sum by (host, exe) (scaph_process_power_consumption_microwatts{${HOST}})) / ${MICRO}`,
                legend: '{{host}} {{exe}}',
              },
            ],
          }),
          statPanel({
            title: 'Energy per container over the range',
            description: 'Energy Scaphandre attributes to each Docker container over the range (kWh), from the energy recording rule.',
            unit: units.KiloWattHour,
            instant: true,
            decimals: 4,
            width: 12,
            queries: [{ expr: `sum by (host, container_names) (sum_over_time(${ENERGY_RECORDS.containerKwh}{${HOST}}[$__range]))`, legend: '{{host}} {{container_names}}' }],
          }),
          statPanel({
            title: 'CO₂e per container over the range',
            description: "Each container's emissions over the range: its kWh × PUE × the host's grid carbon intensity (fleet file accounting).",
            unit: CO2E_UNIT,
            instant: true,
            decimals: 2,
            width: 12,
            queries: [{ expr: `sum by (host, container_names) (sum_over_time(${ENERGY_RECORDS.containerCo2}{${HOST}}[$__range]))`, legend: '{{host}} {{container_names}}' }],
          }),
          statPanel({
            title: 'Electricity cost per container over the range',
            description: "Each container's energy cost over the range: its kWh × PUE × the host's electricity price (fleet file accounting), in its currency.",
            unit: units.NoUnit,
            instant: true,
            decimals: 4,
            width: 12,
            queries: [{ expr: `sum by (host, container_names, currency) (sum_over_time(${ENERGY_RECORDS.containerCost}{${HOST}}[$__range]))`, legend: '{{host}} {{container_names}} {{currency}}' }],
          }),
          timeseriesPanel({
            title: 'Power per container',
            description: 'Host power Scaphandre attributes to the processes of each Docker container.',
            unit: units.Watt,
            min: 0,
            queries: [
              {
                expr: `sum by (host, container_names) (scaph_process_power_consumption_microwatts{${HOST}, container_scheduler="docker"}) / ${MICRO}`,
                legend: '{{host}} {{container_names}}',
              },
            ],
          }),
        ],
      },
      {
        title: 'Cost of the monitoring stack',
        panels: [
          timeseriesPanel({
            title: 'Monitoring stack power',
            description: 'Power Scaphandre attributes to each PeekStack container (label peekstack.component). Stacked: the top is the whole stack.',
            unit: units.Watt,
            stacked: true,
            min: 0,
            queries: [
              {
                expr: `sum by (host, ${COMPONENT}) (scaph_process_power_consumption_microwatts{${HOST}, ${STACK}}) / ${MICRO}`,
                legend: `{{host}} {{${COMPONENT}}}`,
              },
            ],
          }),
          timeseriesPanel({
            title: 'Monitoring stack CPU (% of one core)',
            description: 'CPU used by each PeekStack container (cAdvisor), as a percentage of one core. Stacked: the top is the whole stack.',
            unit: units.Percent,
            stacked: true,
            min: 0,
            queries: [
              {
                expr: `sum by (host, ${COMPONENT}) (rate(container_cpu_usage_seconds_total{${HOST}, ${STACK}}${RATE})) * 100`,
                legend: `{{host}} {{${COMPONENT}}}`,
              },
            ],
          }),
        ],
      },
    ],
  });
}
