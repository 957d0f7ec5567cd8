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

/** Serves the stripped fixture on http://address:port/metrics. */
export async function startCadvisorFixture(address: string, port: number): Promise<CadvisorFixtureServer> {
  const body = stripTimestamps(readFileSync(CADVISOR_FIXTURE, 'utf8'));
  let count = 0;
  const server = http.createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    count++;
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
