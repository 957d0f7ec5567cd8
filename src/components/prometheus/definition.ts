import { JOB } from '../../core/labels';
import { PROMETHEUS_METRICS, SCRAPE_METRICS } from './metrics';
import { alertRule } from '../alert';
import { ComponentDefinition } from '../definition';
import { DELIVERY_ALERTS } from './delivery-alerts';

/**
 * Prometheus itself: its self-scrape, the series it writes for every target, and the availability
 * alerts (a target down, a failed config reload, failing rules), plus the delivery alerts
 * (Alertmanager, remote_write) of delivery.ts.
 */
export const PROMETHEUS_COMPONENT: ComponentDefinition = {
  name: 'prometheus',
  jobName: JOB.prometheus,
  ruleGroups: [],
  alerts: () => [
    {
      name: 'peekstack-health',
      rules: [
        alertRule({
          alert: 'PeekStackTargetDown',
          expr: 'up == 0',
          for: '5m',
          severity: 'warning',
          summary: 'PeekStack job {{ $labels.job }} on host {{ $labels.host }} is down',
          description: 'Prometheus on host {{ $labels.host }} cannot scrape {{ $labels.instance }} (job {{ $labels.job }}): its data and alerts are missing.',
          runbook: 'docker ps -a on the host: restart the exporter\'s container; the Prometheus targets page shows the scrape error.',
        }),
        alertRule({
          alert: 'PeekStackPrometheusConfigReloadFailed',
          expr: `prometheus_config_last_reload_successful{job="${JOB.prometheus}"} == 0`,
          for: '10m',
          severity: 'warning',
          summary: 'Prometheus on host {{ $labels.host }} failed to reload its configuration',
          description: 'The last configuration reload of Prometheus on host {{ $labels.host }} failed; it runs on the previous configuration.',
          runbook: 'Read Prometheus\'s log for the reload error and run promtool check config on the deployed prometheus.yml.',
        }),
        alertRule({
          alert: 'PeekStackRuleEvaluationFailures',
          expr: `increase(prometheus_rule_evaluation_failures_total{job="${JOB.prometheus}"}[10m]) > 0`,
          severity: 'warning',
          summary: 'Rules of group {{ $labels.rule_group }} fail on host {{ $labels.host }}',
          description: '{{ $value | humanize }} rule evaluations of {{ $labels.rule_group }} failed in 10 min on host {{ $labels.host }}: its alerts cannot fire.',
          runbook: 'Open the Prometheus rules page for the rule\'s last error (often many-to-many matching or a bad label).',
        }),
      ],
    },
    ...DELIVERY_ALERTS,
  ],
  dashboards: () => [],
  metrics: [...SCRAPE_METRICS, ...PROMETHEUS_METRICS],
};
