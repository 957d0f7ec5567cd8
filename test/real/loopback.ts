/**
 * Loopback addresses for the harness: one distinct 127.x.y.z address per collector component, so
 * every process can listen on the port the production configuration names (8080, 9100, 9090)
 * without two of them clashing, and a hosts file that maps the container names the rendered
 * prometheus.yml scrapes to those addresses.
 *
 * Why not 127.0.0.2-5 as fixed addresses: vitest runs test files in parallel workers and other
 * engineers run the suite in the same machine; each harness picks its own random 127.a.b.0/24
 * block instead (Linux routes all of 127.0.0.0/8 to `lo`), and probes the ports before use.
 */
import * as net from 'node:net';

/** The name → port pairs the rendered configuration scrapes, and the component listening there. */
export interface LoopbackPlan {
  /** `peekstack-cadvisor:8080`, served by the fixture server. */
  readonly cadvisor: string;
  /** `peekstack-scaphandre:8080`. */
  readonly scaphandre: string;
  /** `host.docker.internal:9100`: node_exporter. */
  readonly node: string;
  /** `localhost:9090`: Prometheus scraping itself, and the address the tests query. */
  readonly prometheus: string;
  /** `peekstack-blackbox:9115`: blackbox_exporter. */
  readonly blackbox: string;
  /** `peekstack-alertmanager:9093`: where an alerting test runs Alertmanager. */
  readonly alertmanager: string;
}

/** Component → port it must listen on: the production ports, unchanged. */
export const COMPONENT_PORTS = { cadvisor: 8080, scaphandre: 8080, node: 9100, prometheus: 9090, blackbox: 9115, alertmanager: 9093 } as const;

/** Name the harness's Prometheus resolves to {@link LoopbackPlan.alertmanager}. */
export const HARNESS_ALERTMANAGER_NAME = 'peekstack-alertmanager';

/** Whether `port` can be bound on `address` right now. */
export function canListen(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Picks a 127.a.b.0/24 block whose .2-.7 addresses have their component's port free:
 * cadvisor .2, scaphandre .3, node .4, prometheus .5, blackbox .6, alertmanager .7.
 * @throws Error listing the busy address:port pairs when `attempts` random blocks were all busy.
 */
export async function allocateLoopback(attempts = 8): Promise<LoopbackPlan> {
  const busy: string[] = [];
  for (let i = 0; i < attempts; i++) {
    const prefix = `127.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 256)}`;
    const plan: LoopbackPlan = { cadvisor: `${prefix}.2`, scaphandre: `${prefix}.3`, node: `${prefix}.4`, prometheus: `${prefix}.5`, blackbox: `${prefix}.6`, alertmanager: `${prefix}.7` };
    const taken: string[] = [];
    for (const [component, address] of Object.entries(plan) as [keyof LoopbackPlan, string][]) {
      if (!(await canListen(address, COMPONENT_PORTS[component]))) taken.push(`${address}:${COMPONENT_PORTS[component]}`);
    }
    if (taken.length === 0) return plan;
    busy.push(...taken);
  }
  throw new Error(
    `harness: could not find free loopback ports for cAdvisor (8080), Scaphandre (8080), node_exporter (9100) ` +
      `and Prometheus (9090) after ${attempts} attempts; busy: ${busy.join(', ')}. Stop whatever listens there.`,
  );
}

/**
 * The /etc/hosts the harness's Prometheus sees (bound over /etc/hosts): the container
 * names of the rendered scrape targets resolve to the harness's loopback addresses. Go's resolver
 * reads /etc/hosts before DNS, so prometheus.yml stays exactly as rendered for production.
 */
export function hostsFile(plan: LoopbackPlan, names: { cadvisor: string; scaphandre: string; node: string; prometheus?: string; blackbox?: string }): string {
  return [
    '# Written by test/real/harness.ts: container names mapped to loopback for the real-binary tests.',
    `${plan.prometheus}\tlocalhost`,
    `${plan.cadvisor}\t${names.cadvisor}`,
    `${plan.scaphandre}\t${names.scaphandre}`,
    `${plan.node}\t${names.node}`,
    ...(names.prometheus ? [`${plan.prometheus}\t${names.prometheus}`] : []),
    ...(names.blackbox ? [`${plan.blackbox}\t${names.blackbox}`] : []),
    `${plan.alertmanager}\t${HARNESS_ALERTMANAGER_NAME}`,
    '',
  ].join('\n');
}
