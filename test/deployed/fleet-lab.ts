/**
 * The deployed fleet: three engines (hub host with the interface, two collector hosts), a fleet file
 * whose hosts' Docker endpoints are those engines' sockets, the stacks synthesized from it by the
 * package's own CLI (`scripts/synth.mjs`, as `npm run synth`), images built offline, and the stacks
 * applied in apply order: hub, collectors, interface.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { startRaplSimulation, RaplSimulation } from '../real/rapl-simulator';
import { PrometheusEndpoint } from '../real/prometheus-api';
import { REPO_ROOT } from '../real/tools';
import { Applier, ApplyReport, StackJson } from './apply';
import { startLab, Lab } from './engines';
import { buildImages } from './images';
import type { UntypedJson } from '../support/untyped-json';

export interface Webhook {
  readonly url: string;
  readonly received: { at: number; body: UntypedJson }[];
  stop(): Promise<void>;
}

export interface FleetLab {
  readonly lab: Lab;
  readonly sims: Record<string, RaplSimulation>;
  readonly webhook: Webhook;
  readonly fleetFile: string;
  readonly outDir: string;
  readonly stacks: Record<string, StackJson>;
  /** Stack names in apply order. */
  readonly order: string[];
  readonly applier: Applier;
  readonly reports: Record<string, ApplyReport>;
  readonly timings: Record<string, number>;
  /** Collector hosts with their simulated package watts. */
  readonly collectors: readonly string[];
  prometheus(host: string): PrometheusEndpoint;
  /** Synthesizes the fleet file again (after an edit) and returns the stacks. */
  synth(fleetYaml?: string): Record<string, StackJson>;
  stop(): Promise<void>;
}

export const COLLECTOR_WATTS: Record<string, { package: number; core: number }> = {
  'col-a': { package: 50, core: 30 },
  'col-b': { package: 20, core: 12 },
};

async function startWebhook(address: string): Promise<Webhook> {
  const received: { at: number; body: UntypedJson }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        received.push({ at: Date.now(), body: JSON.parse(body) });
      } catch {
        received.push({ at: Date.now(), body });
      }
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${address}:${port}/hook`, received, stop: () => new Promise((r) => server.close(() => r())) };
}

export function fleetYaml(lab: Lab, webhookUrl: string, extra: { scrapeIntervalSeconds?: number } = {}): string {
  const host = (name: string, more: string[] = []) => [
    `  - name: ${name}`,
    '    docker:',
    `      host: "${lab.engine(name).endpoint}"`,
    `    addresses: ["${lab.engine(name).address}"]`,
    ...more,
  ];
  return [
    '# Written by test/deployed/fleet-lab.ts: each host is one engine of the lab.',
    ...(extra.scrapeIntervalSeconds ? ['defaults:', `  scrapeIntervalSeconds: ${extra.scrapeIntervalSeconds}`] : []),
    'hosts:',
    ...host('hub', ['    exporters:', '      scaphandre: { enabled: false }']),
    ...host('col-a'),
    // A daily energy budget that 20 W exceeds within seconds: PeekStackDailyEnergyOverBudget has no
    // `for`, so it fires at the first evaluation and travels Prometheus -> Alertmanager -> webhook.
    ...host('col-b', ['    alertThresholds:', '      dailyEnergyKwh: 0.0001']),
    'interface:',
    '  host: hub',
    'alerting:',
    // The Alertmanager pair: a second one on col-a, deployed by the hub stack on col-a's engine.
    '  peerHost: col-a',
    '  receivers:',
    '    - name: hook',
    '      type: webhook',
    `      url: ${webhookUrl}`,
    '  defaultReceiver: hook',
    '',
  ].join('\n');
}

export function readStacks(outDir: string): Record<string, StackJson> {
  const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
  const out: Record<string, StackJson> = {};
  for (const name of Object.keys(manifest.stacks)) out[name] = JSON.parse(readFileSync(path.join(outDir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  return out;
}

/** Hub first, then the collectors, then the interface (the order `peekstack list` prints). */
export function applyOrder(stacks: Record<string, StackJson>): string[] {
  const names = Object.keys(stacks);
  const rank = (n: string) => (n === 'hub' ? 0 : n.startsWith('collector-') ? 1 : n === 'interface' ? 2 : 3);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function synthesize(fleetFile: string, outDir: string): Record<string, StackJson> {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'synth.mjs'), '--fleet', fleetFile, '--out', outDir], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    timeout: 120_000,
  });
  return readStacks(outDir);
}

export async function startFleet(): Promise<FleetLab> {
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const sims: Record<string, RaplSimulation> = {};
  for (const [h, w] of Object.entries(COLLECTOR_WATTS)) sims[h] = await startRaplSimulation({ packageWatts: w.package, coreWatts: w.core });
  let lab: Lab | undefined;
  let webhook: Webhook | undefined;
  try {
    lab = await startLab([{ name: 'hub' }, { name: 'col-a', powercapDir: sims['col-a'].powercapDir }, { name: 'col-b', powercapDir: sims['col-b'].powercapDir }]);
    timings.engines = (Date.now() - t0) / 1000;
    webhook = await startWebhook(lab.bridgeAddress);
    const fleetFile = path.join(lab.dir, 'fleet.yaml');
    const outDir = path.join(lab.dir, 'cdktf.out');
    writeFileSync(fleetFile, fleetYaml(lab, webhook.url));
    let t = Date.now();
    const stacks = synthesize(fleetFile, outDir);
    timings.synth = (Date.now() - t) / 1000;
    const order = applyOrder(stacks);
    const imageNames = Object.values(stacks).flatMap((s) => Object.values(s.resource?.docker_image ?? {}).map((i) => String(i.name)));
    timings.images = buildImages(lab, imageNames).seconds;
    const applier = new Applier();
    const reports: Record<string, ApplyReport> = {};
    t = Date.now();
    for (const name of order) reports[name] = await applier.apply(name, stacks[name]);
    timings.apply = (Date.now() - t) / 1000;
    const theLab = lab;
    const theWebhook = webhook;
    return {
      lab,
      sims,
      webhook,
      fleetFile,
      outDir,
      stacks,
      order,
      applier,
      reports,
      timings,
      collectors: Object.keys(COLLECTOR_WATTS),
      prometheus(host) {
        const stack = `collector-${host}`;
        return {
          address: theLab.engine(host).address,
          port: 19090,
          caPem: applier.output(stack, 'prometheus_ca_certificate'),
          serverName: theLab.engine(host).address,
          username: applier.output(stack, 'prometheus_username'),
          password: applier.output(stack, 'prometheus_password'),
        };
      },
      synth(yaml) {
        if (yaml !== undefined) writeFileSync(fleetFile, yaml);
        return synthesize(fleetFile, outDir);
      },
      async stop() {
        await theWebhook.stop().catch(() => undefined);
        await theLab.stop();
        for (const s of Object.values(sims)) await s.stop();
      },
    };
  } catch (e) {
    await webhook?.stop().catch(() => undefined);
    await lab?.stop();
    for (const s of Object.values(sims)) await s.stop();
    throw e;
  }
}
