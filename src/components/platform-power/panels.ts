/**
 * The platform power panels of the power and Fleet dashboards: whole-machine power and energy by
 * source, where RAPL (and the GPUs) fall short of it, and the model's estimates, always titled
 * "estimated" and never summed with a measurement. Every query reads the records of definition.ts.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { HOST, type PanelBuilder, rankingPanel, statPanel, timeseriesPanel } from '../../dashboards/shared';
import { MEASURED_SOURCES, PLATFORM_RECORDS, POWER_SOURCE } from './definition';

const MODEL = `source="${POWER_SOURCE.model}"`;
/** Each host's platform energy over the dashboard's range, kWh, per source among `sources`. */
const energyOverRange = (sources: string) => `sum by (host, source) (sum_over_time(${PLATFORM_RECORDS.energyKwh}{${HOST}, ${sources}}[$__range]))`;
/** Share of the range each source was read (or estimated), per host. */
const coverage = (sources: string) => `sum by (host, source) (sum_over_time(${PLATFORM_RECORDS.measuredSeconds}{${HOST}, ${sources}}[$__range])) / $__range_s`;
/**
 * One measured reading per host: a host may have two platform meters (ACPI and the BMC over IPMI),
 * each the whole machine; summed over hosts, they would count it twice.
 */
const onePerHost = (expr: string) => `max by (host) (${expr})`;

/** The power dashboard's row: per host, by source. */
export function platformPowerPanels(): PanelBuilder[] {
  return [
    statPanel({
      title: 'Platform power (measured)',
      description: 'Power of the whole machine from its ACPI power meter or its BMC (IPMI), by source, in watts: power supply, fans, disks, NICs and accelerators included, which RAPL leaves out.',
      unit: units.Watt,
      queries: [{ expr: `sum by (host, source) (${PLATFORM_RECORDS.power}{${HOST}, ${MEASURED_SOURCES}})`, legend: '{{host}} {{source}}' }],
    }),
    statPanel({
      title: 'Platform energy over the range (measured)',
      description: 'Energy of the whole machine over the range (kWh), by source: its power integrated by the platform energy records. Only measured time counts: see "Platform power measured: share of the range".',
      unit: units.KiloWattHour,
      instant: true,
      decimals: 4,
      queries: [{ expr: energyOverRange(MEASURED_SOURCES), legend: '{{host}} {{source}}' }],
    }),
    statPanel({
      title: 'Platform power measured: share of the range',
      description: 'The part of the range during which each platform source was read: the platform energy counts only that time.',
      unit: units.PercentUnit,
      instant: true,
      decimals: 1,
      queries: [{ expr: coverage(MEASURED_SOURCES), legend: '{{host}} {{source}}' }],
    }),
    statPanel({
      title: 'Platform energy over the range (estimated)',
      description: 'ESTIMATED, not measured: energy over the range from the power model of the fleet file (power.model: idle + (max − idle) × f(CPU utilisation)), for hosts where nothing measures power. Only the time node_exporter was read counts.',
      unit: units.KiloWattHour,
      instant: true,
      decimals: 4,
      queries: [{ expr: energyOverRange(MODEL), legend: '{{host}} estimated' }],
    }),
    timeseriesPanel({
      title: 'Platform power and where RAPL falls short',
      description: 'Whole-machine power (ACPI meter, BMC) and what RAPL\'s CPU packages and the GPUs (DCGM, where present) do not account for: platform − (CPU packages + GPUs), i.e. DRAM, fans, disks, NICs, the power supply\'s loss. Read both, do not add them.',
      unit: units.Watt,
      width: 24,
      min: 0,
      queries: [
        { expr: `sum by (host, source) (${PLATFORM_RECORDS.power}{${HOST}, ${MEASURED_SOURCES}})`, legend: '{{host}} platform ({{source}})' },
        { expr: `sum by (host, source) (${PLATFORM_RECORDS.raplShortfall}{${HOST}})`, legend: '{{host}} not in RAPL + GPU ({{source}})' },
      ],
    }),
    timeseriesPanel({
      title: 'Platform power (estimated)',
      description: 'ESTIMATED, not measured: the power model of the fleet file (power.model) from node_exporter\'s CPU time, for hosts where nothing measures power. Shown apart from every measurement.',
      unit: units.Watt,
      width: 24,
      min: 0,
      queries: [{ expr: `sum by (host) (${PLATFORM_RECORDS.power}{${HOST}, ${MODEL}})`, legend: '{{host}} estimated' }],
    }),
  ];
}

/** The Fleet dashboard's row: the fleet's platform power, one reading per host, estimates apart. */
export function fleetPlatformPowerPanels(): PanelBuilder[] {
  return [
    statPanel({
      title: 'Fleet platform power now (measured)',
      description: 'Whole-machine power of the selected hosts that have a platform meter (ACPI or BMC), one reading per host, in watts. Hosts without one are not in it.',
      unit: units.Watt,
      queries: [{ expr: `sum(${onePerHost(`${PLATFORM_RECORDS.power}{${HOST}, ${MEASURED_SOURCES}}`)})`, legend: 'fleet (measured)' }],
    }),
    statPanel({
      title: 'Fleet platform power now (estimated)',
      description: 'ESTIMATED, not measured: the power model (power.model) of the selected hosts that have one, in watts. Never added to the measured figure.',
      unit: units.Watt,
      queries: [{ expr: `sum(${PLATFORM_RECORDS.power}{${HOST}, ${MODEL}})`, legend: 'fleet (estimated)' }],
    }),
    rankingPanel({
      title: 'Platform energy per host over the range (measured)',
      description: 'Whole-machine energy of each host with a platform meter over the range (its platform energy records, measured time only, one source per host), largest first, in kWh.',
      unit: units.KiloWattHour,
      decimals: 3,
      queries: [{ expr: `sort_desc(${onePerHost(energyOverRange(MEASURED_SOURCES))})`, legend: '{{host}}' }],
    }),
    rankingPanel({
      title: 'Platform energy per host over the range (estimated)',
      description: 'ESTIMATED, not measured: energy of each host with a power model over the range, largest first, in kWh.',
      unit: units.KiloWattHour,
      decimals: 3,
      queries: [{ expr: `sort_desc(${energyOverRange(MODEL)})`, legend: '{{host}} estimated' }],
    }),
  ];
}
