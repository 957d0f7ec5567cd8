import { buildPeekStackDashboard, SYSTEM_DASHBOARD_UID } from '../../dashboards';
import { JOB } from '../labels';
import { NODE_METRICS } from '../metric-catalog';
import { ComponentDefinition } from './definition';

/** node_exporter: the host's CPU, memory, disks, network and RAPL counters; the system dashboard. */
export const NODE_EXPORTER_COMPONENT: ComponentDefinition = {
  name: 'node-exporter',
  jobName: JOB.node,
  ruleGroups: [
    {
      name: 'peekstack-node-power',
      rules: [{ record: 'host:node_rapl_package_power:watts_rate1m', expr: `sum by (host) (rate(node_rapl_package_joules_total{job="${JOB.node}"}[1m]))` }],
    },
  ],
  dashboards: () => [buildPeekStackDashboard(SYSTEM_DASHBOARD_UID)],
  metrics: NODE_METRICS,
};
