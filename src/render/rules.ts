import { toYaml } from './yaml';

/** A rule file shipped with every collector. */
export interface RenderedRuleFile {
  readonly fileName: string;
  readonly content: string;
}

/**
 * PeekStack's recording and alerting rules, loaded by every collector's Prometheus. Recording rules
 * give watts in one place (Scaphandre speaks microwatts, RAPL joules); the alerts catch the two
 * silent failures of a power monitor: an exporter gone, and Scaphandre up but reading no power (no
 * RAPL on the machine, or scrapes at or under its 2 s refresh).
 */
export function renderPeekStackRules(): RenderedRuleFile {
  return {
    fileName: 'peekstack.rules.yml',
    content: toYaml(
      {
        groups: [
          {
            name: 'peekstack-power',
            rules: [
              { record: 'host:scaph_host_power:watts', expr: 'sum by (host) (scaph_host_power_microwatts) / 1e6' },
              { record: 'host:node_rapl_package_power:watts_rate1m', expr: 'sum by (host) (rate(node_rapl_package_joules_total[1m]))' },
            ],
          },
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
              {
                alert: 'PeekStackNoPowerReading',
                expr: '(up{job="scaphandre"} == 1) unless on (host) scaph_host_power_microwatts',
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
      },
      'Rendered by PeekStack CDK: recording and alerting rules of every collector.',
    ),
  };
}
