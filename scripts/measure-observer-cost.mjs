#!/usr/bin/env node
/**
 * The observer's own cost: one collector at default settings on a real Docker Engine (the lab of
 * test/deployed/: its own network namespace, data root and socket; images built offline from the
 * Debian binaries), measured from the engine's cgroup accounting (cgroup v1 cgroupfs, or v2):
 *
 *   - CPU per container in cores: (cpuacct.usage at the end - at the start) / wall seconds;
 *   - memory per container in MiB, mean and max of the working set sampled every 5 s
 *     (memory.usage_in_bytes - total_inactive_file, what `docker stats` shows);
 *   - totals of the collector's containers, and of everything on the engine (hub and Grafana too).
 *
 * The default fleet's shape (stacks/fleet.default.yaml: one host with the hub and the interface on
 * it) with the host's Docker endpoint pointed at the lab's engine and a simulated 50 W RAPL tree
 * at /sys/class/powercap. Default settings: scrape interval 15 s, Scaphandre every 15 s.
 *
 * Usage: node scripts/measure-observer-cost.mjs [seconds, default 600] [warm-up seconds, default 60]
 *        PEEKSTACK_MEASURE_JSON=out.json ... also writes the numbers as JSON.
 * Needs root (namespaces, engine), like the deployed tests; run `npm run build` first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repo, require } from './lib/require-ts.mjs';

const { startLab } = require(path.join(repo, 'test/deployed/engines.ts'));
const { buildImages } = require(path.join(repo, 'test/deployed/images.ts'));
const { Applier } = require(path.join(repo, 'test/deployed/apply.ts'));
const { applyOrder, synthesize } = require(path.join(repo, 'test/deployed/fleet-lab.ts'));
const { startRaplSimulation } = require(path.join(repo, 'test/real/rapl-simulator.ts'));

const seconds = Number(process.argv[2] ?? 600);
const warmup = Number(process.argv[3] ?? 60);
if (!(seconds >= 60)) throw new Error(`seconds must be at least 60, got ${process.argv[2]}`);

const sim = await startRaplSimulation({ packageWatts: 50, coreWatts: 30 });
const lab = await startLab([{ name: 'local', powercapDir: sim.powercapDir }]);
const cleanup = async () => {
  await lab.stop();
  await sim.stop();
};
process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
try {
  const engine = lab.engine('local');
  const fleetFile = path.join(lab.dir, 'fleet.yaml');
  writeFileSync(
    fleetFile,
    readFileSync(path.join(repo, 'stacks', 'fleet.default.yaml'), 'utf8')
      .replace('unix:///var/run/docker.sock', engine.endpoint)
      .replace('addresses: [localhost, 127.0.0.1]', `addresses: [${engine.address}]`),
  );
  const stacks = synthesize(fleetFile, path.join(lab.dir, 'cdktf.out'));
  buildImages(lab, Object.values(stacks).flatMap((s) => Object.values(s.resource?.docker_image ?? {}).map((i) => String(i.name))));
  const applier = new Applier();
  for (const name of applyOrder(stacks)) await applier.apply(name, stacks[name]);
  const collectorNames = new Set(Object.values(stacks[Object.keys(stacks).find((n) => n.startsWith('collector-'))].resource.docker_container).map((c) => c.name));
  console.error(`[measure] applied ${applyOrder(stacks).join(', ')}; warming up ${warmup} s, then measuring ${seconds} s`);
  await new Promise((r) => setTimeout(r, warmup * 1000));

  const containers = (await engine.docker.listContainers()).map((c) => ({ id: c.Id, name: c.Names[0].slice(1) }));
  const cg = (id, controller, file) => {
    for (const p of [path.join('/sys/fs/cgroup', controller, engine.cgroupParent, id, file), path.join('/sys/fs/cgroup', engine.cgroupParent, id, file)]) {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        /* other layout */
      }
    }
    throw new Error(`no ${controller}/${file} for ${id}`);
  };
  const cpuNs = (id) => {
    try {
      return Number(cg(id, 'cpuacct', 'cpuacct.usage'));
    } catch {
      return Number(/usage_usec (\d+)/.exec(cg(id, 'cpu', 'cpu.stat'))[1]) * 1000;
    }
  };
  const workingSet = (id) => {
    try {
      const usage = Number(cg(id, 'memory', 'memory.usage_in_bytes'));
      const inactive = Number(/total_inactive_file (\d+)/.exec(cg(id, 'memory', 'memory.stat'))?.[1] ?? 0);
      return usage - inactive;
    } catch {
      const usage = Number(cg(id, 'memory', 'memory.current'));
      return usage - Number(/inactive_file (\d+)/.exec(cg(id, 'memory', 'memory.stat'))?.[1] ?? 0);
    }
  };
  const start = Object.fromEntries(containers.map((c) => [c.id, cpuNs(c.id)]));
  const mem = Object.fromEntries(containers.map((c) => [c.id, []]));
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    for (const c of containers) mem[c.id].push(workingSet(c.id));
    await new Promise((r) => setTimeout(r, 5000));
  }
  const wall = (Date.now() - t0) / 1000;
  const rows = containers
    .map((c) => {
      const m = mem[c.id];
      return {
        container: c.name,
        collector: collectorNames.has(c.name),
        cores: (cpuNs(c.id) - start[c.id]) / 1e9 / wall,
        memMeanMiB: m.reduce((a, b) => a + b, 0) / m.length / 2 ** 20,
        memMaxMiB: Math.max(...m) / 2 ** 20,
      };
    })
    .sort((a, b) => Number(b.collector) - Number(a.collector) || a.container.localeCompare(b.container));
  const total = (rs, label) => ({
    container: label,
    cores: rs.reduce((a, r) => a + r.cores, 0),
    memMeanMiB: rs.reduce((a, r) => a + r.memMeanMiB, 0),
    memMaxMiB: rs.reduce((a, r) => a + r.memMaxMiB, 0),
  });
  const lines = [
    `One collector at default settings (scrape 15 s), ${wall.toFixed(0)} s after ${warmup} s warm-up, Docker ${(await engine.docker.version()).Version}, ${new Date().toISOString()}:`,
    '',
    '| container | CPU (cores) | memory mean (MiB) | memory max (MiB) |',
    '|---|---:|---:|---:|',
    ...[...rows, total(rows.filter((r) => r.collector), '**collector total**'), total(rows, '**everything on the host** (with hub and Grafana stand-in)')].map(
      (r) => `| ${r.container}${r.collector === false ? ' (hub/interface)' : ''} | ${r.cores.toFixed(4)} | ${r.memMeanMiB.toFixed(1)} | ${r.memMaxMiB.toFixed(1)} |`,
    ),
  ];
  console.log(lines.join('\n'));
  if (process.env.PEEKSTACK_MEASURE_JSON) writeFileSync(process.env.PEEKSTACK_MEASURE_JSON, JSON.stringify({ seconds: wall, warmup, rows }, null, 2));
} finally {
  await cleanup();
}
