/**
 * Stands in for cAdvisor, which has no binary on this machine: serves cAdvisor's own golden
 * exposition file (`test/fixtures/cadvisor-metrics.prom`, from google/cadvisor's test data)
 * on /metrics. Its samples carry 2014 timestamps, which Prometheus would reject as out of bounds,
 * so they are stripped and Prometheus stamps each sample with the scrape time.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { REPO_ROOT } from './tools';

/** Where the fixture lives: `<repo>/test/fixtures/cadvisor-metrics.prom`. */
export const CADVISOR_FIXTURE = path.resolve(REPO_ROOT, 'test', 'fixtures', 'cadvisor-metrics.prom');

/**
 * Removes the trailing timestamp of every sample line of a text exposition. Label values may hold
 * spaces, so the value and timestamp are looked for after the closing `}` (or the metric name).
 */
export function stripTimestamps(exposition: string): string {
  return exposition
    .split('\n')
    .map((line) => {
      if (line === '' || line.startsWith('#')) return line;
      const close = line.lastIndexOf('}');
      const head = close >= 0 ? line.slice(0, close + 1) : line.slice(0, line.search(/\s/));
      const [value] = line.slice(head.length).trim().split(/\s+/);
      return `${head} ${value}`;
    })
    .join('\n');
}

/** A running fixture server. */
export interface CadvisorFixtureServer {
  readonly url: string;
  /** How many times /metrics was fetched (by Prometheus). */
  scrapes(): number;
  stop(): Promise<void>;
}

/** Options of {@link startCadvisorFixture}. */
export interface CadvisorFixtureOptions {
  /**
   * CPU seconds of simulated containers at the moment of the scrape, by container name: served as
   * their `container_cpu_usage_seconds_total` (cpu="total", as cAdvisor without per-CPU metrics),
   * beside the fixture's own series of that metric (e.g. a CpuSimulation's `containerCpuSeconds`).
   * @default - the fixture alone
   */
  readonly containerCpuSeconds?: () => Readonly<Record<string, number>>;
}

/** The fixture `body` with the simulated containers' CPU counters added after the fixture's own. */
function withContainerCpu(body: string, seconds: Readonly<Record<string, number>>): string {
  const metric = 'container_cpu_usage_seconds_total{';
  const lines = body.split('\n');
  const after = lines.map((line) => line.startsWith(metric)).lastIndexOf(true);
  if (after < 0) throw new Error(`the cAdvisor fixture has no ${metric.slice(0, -1)} to add containers beside`);
  const added = Object.entries(seconds).map(([name, value]) => `${metric}cpu="total",id="/system.slice/docker-${name}.scope",image="load",name="${name}"} ${value}`);
  return [...lines.slice(0, after + 1), ...added, ...lines.slice(after + 1)].join('\n');
}

/** Serves the stripped fixture on http://address:port/metrics. */
export async function startCadvisorFixture(address: string, port: number, opts: CadvisorFixtureOptions = {}): Promise<CadvisorFixtureServer> {
  const fixture = stripTimestamps(readFileSync(CADVISOR_FIXTURE, 'utf8'));
  let count = 0;
  const server = http.createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    count++;
    const body = opts.containerCpuSeconds ? withContainerCpu(fixture, opts.containerCpuSeconds()) : fixture;
    // The content type cAdvisor itself answers with (Prometheus text 0.0.4).
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cAdvisor fixture server: cannot listen on ${address}:${port}: ${err.message}`)));
    server.listen(port, address, resolve);
  });
  return {
    url: `http://${address}:${port}/metrics`,
    scrapes: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
