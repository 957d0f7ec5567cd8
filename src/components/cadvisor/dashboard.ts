/**
 * "PeekStack / Containers": per-container CPU, memory and network from cAdvisor (job `cadvisor`),
 * filtered by a container-name regex and by Docker Compose project and service.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { buildDashboard, HOST, PROMETHEUS_DATASOURCE, timeseriesPanel } from '../../dashboards/shared';

/** Stable uid: Grafana links and provisioning refer to the dashboard by it. */
export const CONTAINERS_DASHBOARD_UID = 'peekstack-containers';

// cAdvisor keeps only whitelisted Docker labels (--store_container_labels=false), exported as
// `container_label_<label with . replaced by _>`.
const PROJECT_LABEL = 'container_label_com_docker_compose_project';
const SERVICE_LABEL = 'container_label_com_docker_compose_service';

/**
 * Selector shared by every panel. `name=~"$container"` (default `.+`) also drops the series of
 * the root cgroup, which has no name. The compose variables' "All" is `.*`, which matches the
 * empty label of containers not started by Compose.
 */
const CONTAINERS = `${HOST}, name=~"$container", ${PROJECT_LABEL}=~"$project", ${SERVICE_LABEL}=~"$service"`;
const RATE = '[$__rate_interval]';
const BY = 'by (host, name)';
const LEGEND = '{{host}} {{name}}';

function composeLabelVariable(name: string, label: string, title: string, extraMatchers: string): dashboard.QueryVariableBuilder {
  const query = `label_values(container_last_seen{${HOST}${extraMatchers}}, ${label})`;
  return new dashboard.QueryVariableBuilder(name)
    .label(title)
    .datasource(PROMETHEUS_DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}

function containerNameVariable(): dashboard.TextBoxVariableBuilder {
  return new dashboard.TextBoxVariableBuilder('container')
    .label('Container name (regex)')
    .description('Regular expression on the container name, e.g. `peekstack-.*`.')
    .defaultValue('.+')
    .current({ text: '.+', value: '.+' });
}

/** Builds the containers dashboard. */
export function containersDashboard(): dashboard.Dashboard {
  return buildDashboard({
    uid: CONTAINERS_DASHBOARD_UID,
    title: 'PeekStack / Containers',
    description: 'Per-container CPU, memory and network from cAdvisor, filtered by name and Compose project/service.',
    tags: ['peekstack', 'cadvisor'],
    extraVariables: [
      composeLabelVariable('project', PROJECT_LABEL, 'Compose project', ''),
      composeLabelVariable('service', SERVICE_LABEL, 'Compose service', `, ${PROJECT_LABEL}=~"$project"`),
      containerNameVariable(),
    ],
    rows: [
      {
        title: 'CPU',
        panels: [
          timeseriesPanel({
            title: 'CPU per container (% of one core)',
            description: 'CPU time used per second, as a percentage of one core (200 % = two cores busy), like `docker stats`.',
            unit: units.Percent,
            width: 24,
            min: 0,
            queries: [{ expr: `sum ${BY} (rate(container_cpu_usage_seconds_total{${CONTAINERS}}${RATE})) * 100`, legend: LEGEND }],
          }),
        ],
      },
      {
        title: 'Memory',
        panels: [
          timeseriesPanel({
            title: 'Memory working set per container',
            description: 'Working set: memory in use minus inactive page cache, what the OOM killer and memory limits act on.',
            unit: units.BytesIEC,
            min: 0,
            queries: [{ expr: `sum ${BY} (container_memory_working_set_bytes{${CONTAINERS}})`, legend: LEGEND }],
          }),
          timeseriesPanel({
            title: 'Memory page cache per container',
            description: 'Page cache charged to the container: file data the kernel can reclaim under pressure.',
            unit: units.BytesIEC,
            min: 0,
            queries: [{ expr: `sum ${BY} (container_memory_cache{${CONTAINERS}})`, legend: LEGEND }],
          }),
        ],
      },
      {
        title: 'Network',
        panels: [
          timeseriesPanel({
            title: 'Network received per container',
            description: 'Bytes received per second, all interfaces of the container. Containers on the host network report the host interfaces.',
            unit: units.BytesPerSecondSI,
            min: 0,
            queries: [{ expr: `sum ${BY} (rate(container_network_receive_bytes_total{${CONTAINERS}}${RATE}))`, legend: LEGEND }],
          }),
          timeseriesPanel({
            title: 'Network transmitted per container',
            description: 'Bytes sent per second, all interfaces of the container. Containers on the host network report the host interfaces.',
            unit: units.BytesPerSecondSI,
            min: 0,
            queries: [{ expr: `sum ${BY} (rate(container_network_transmit_bytes_total{${CONTAINERS}}${RATE}))`, legend: LEGEND }],
          }),
        ],
      },
    ],
  });
}
