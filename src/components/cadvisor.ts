import { buildPeekStackDashboard, CONTAINERS_DASHBOARD_UID } from '../../dashboards';
import { JOB } from '../labels';
import { CADVISOR_METRICS } from '../metric-catalog';
import { ComponentDefinition } from './definition';

/** cAdvisor: per-container CPU, memory and network; the containers dashboard. */
export const CADVISOR_COMPONENT: ComponentDefinition = {
  name: 'cadvisor',
  jobName: JOB.cadvisor,
  ruleGroups: [],
  dashboards: () => [buildPeekStackDashboard(CONTAINERS_DASHBOARD_UID)],
  metrics: CADVISOR_METRICS,
};
