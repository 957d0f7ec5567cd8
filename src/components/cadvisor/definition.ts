import { toDashboardDefinition } from '../../dashboards/definition';
import { containersDashboard } from './dashboard';
import { JOB } from '../../core/labels';
import { CADVISOR_METRICS } from './metrics';
import { alertRule } from '../alert';
import { ComponentDefinition } from '../definition';

/** cAdvisor: per-container CPU, memory and network; the containers dashboard; restart and OOM alerts. */
export const CADVISOR_COMPONENT: ComponentDefinition = {
  name: 'cadvisor',
  jobName: JOB.cadvisor,
  ruleGroups: [],
  alerts: () => [
    {
      name: 'peekstack-container-alerts',
      rules: [
        alertRule({
          alert: 'PeekStackContainerRestarting',
          // A restart gives the container a new start time; Docker keeps the name.
          expr: `changes(container_start_time_seconds{job="${JOB.cadvisor}", name!=""}[15m]) > 2`,
          severity: 'warning',
          summary: 'Container {{ $labels.name }} on host {{ $labels.host }} keeps restarting',
          description: 'Container {{ $labels.name }} on host {{ $labels.host }} started {{ $value }} times in 15 min.',
          runbook: 'Read its last logs (docker logs --tail 100 {{ $labels.name }}) for the crash, and its exit code (docker inspect).',
        }),
        alertRule({
          alert: 'PeekStackContainerOomKilled',
          expr: `increase(container_oom_events_total{job="${JOB.cadvisor}", name!=""}[10m]) > 0`,
          severity: 'warning',
          summary: 'Container {{ $labels.name }} on host {{ $labels.host }} ran out of memory',
          description: 'The kernel OOM-killed a process of container {{ $labels.name }} on host {{ $labels.host }} ({{ $value | humanize }} events in 10 min).',
          runbook: 'Raise the container\'s memory limit or fix its leak; the containers dashboard shows its working set.',
        }),
      ],
    },
  ],
  dashboards: () => [toDashboardDefinition(containersDashboard())],
  metrics: CADVISOR_METRICS,
};
