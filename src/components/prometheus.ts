import { JOB } from '../labels';
import { PROMETHEUS_METRICS, SCRAPE_METRICS } from '../metric-catalog';
import { ComponentDefinition } from './definition';

/** Prometheus itself: its self-scrape, the series it writes for every target, and the target-down alert. */
export const PROMETHEUS_COMPONENT: ComponentDefinition = {
  name: 'prometheus',
  jobName: JOB.prometheus,
  ruleGroups: [
    {
      name: 'peekstack-health',
      rules: [
        {
          alert: 'PeekStackTargetDown',
          expr: 'up == 0',
          for: '5m',
          labels: { severity: 'warning' },
          annotations: { summary: 'PeekStack job {{ $labels.job }} on host {{ $labels.host }} is down' },
        },
      ],
    },
  ],
  dashboards: () => [],
  metrics: [...SCRAPE_METRICS, ...PROMETHEUS_METRICS],
};
