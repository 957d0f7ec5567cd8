/**
 * The power dashboard's "Idle and active power" row: host power split into idle power, each
 * container's share of the active power and the active power no container accounts for, from the
 * power split records (definition.ts).
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { HOST, statPanel, timeseriesPanel, type PanelBuilder } from '../../dashboards/shared';
import { IDLE_SMOOTHING, IDLE_WINDOW, POWER_SPLIT_RECORDS as R } from './records';

/** The row, for the power dashboard (src/components/scaphandre/dashboard.ts). */
export function powerSplitRow(): { readonly title: string; readonly panels: readonly PanelBuilder[] } {
  return {
    title: 'Idle and active power',
    panels: [
      timeseriesPanel({
        title: 'Host power: idle, containers, unattributed',
        description: `Host power (Scaphandre) split as Kepler does: idle power (the lowest ${IDLE_SMOOTHING} mean over the last ${IDLE_WINDOW}) apart, never given to containers; each container gets the active power (host − idle) in proportion to its share of the host's busy CPU time (cAdvisor over node_exporter); unattributed is the active power of CPU time outside any container (host processes, the kernel). Stacked: the top is the host power.`,
        unit: units.Watt,
        width: 24,
        stacked: true,
        min: 0,
        queries: [
          { expr: `sum by (host) (${R.idleWatts}{${HOST}})`, legend: '{{host}} idle' },
          { expr: `sum by (host, name) (${R.containerActiveWatts}{${HOST}})`, legend: '{{host}} {{name}}' },
          { expr: `sum by (host) (${R.unattributedWatts}{${HOST}})`, legend: '{{host}} unattributed' },
        ],
      }),
      statPanel({
        title: 'Idle power',
        description: `The host's idle power: the lowest ${IDLE_SMOOTHING} mean of its power over the last ${IDLE_WINDOW}. On a host younger than that, or busy all along, it is the lowest power seen so far (too high).`,
        unit: units.Watt,
        width: 12,
        queries: [{ expr: `sum by (host) (${R.idleWatts}{${HOST}})`, legend: '{{host}}' }],
      }),
      statPanel({
        title: "Containers' share of the busy CPU time",
        description:
          "CPU time of all containers (cAdvisor) over the host's busy CPU time (node_exporter). Above 100 % the two disagree (read at different moments): the containers then share the whole active power and none is unattributed.",
        unit: units.PercentUnit,
        width: 12,
        decimals: 1,
        queries: [{ expr: `sum by (host) (${R.containersCpuRatio}{${HOST}})`, legend: '{{host}}' }],
      }),
    ],
  };
}
