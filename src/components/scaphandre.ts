import { buildPeekStackDashboard, POWER_DASHBOARD_UID } from '../../dashboards';
import { JOB } from '../labels';
import { SCAPHANDRE_METRICS } from '../metric-catalog';
import { ComponentDefinition } from './definition';

/**
 * Scaphandre: host, socket, domain and per-process power from RAPL; the power dashboard. Its alert
 * catches a silent failure of a power monitor: Scaphandre up but reading no power (no RAPL on the
 * machine, or scraped at or under its 2 s refresh).
 */
export const SCAPHANDRE_COMPONENT: ComponentDefinition = {
  name: 'scaphandre',
  jobName: JOB.scaphandre,
  ruleGroups: [
    {
      name: 'peekstack-scaphandre-power',
      rules: [{ record: 'host:scaph_host_power:watts', expr: 'sum by (host) (scaph_host_power_microwatts) / 1e6' }],
    },
    {
      name: 'peekstack-scaphandre-health',
      rules: [
        {
          alert: 'PeekStackNoPowerReading',
          expr: `(up{job="${JOB.scaphandre}"} == 1) unless on (host) scaph_host_power_microwatts`,
          for: '5m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Scaphandre on host {{ $labels.host }} answers but reports no host power',
            description: 'No RAPL powercap on the machine, or Scaphandre scraped at or under its 2 s refresh.',
          },
        },
      ],
    },
  ],
  dashboards: () => [buildPeekStackDashboard(POWER_DASHBOARD_UID)],
  metrics: SCAPHANDRE_METRICS,
};
