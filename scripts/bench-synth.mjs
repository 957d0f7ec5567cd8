#!/usr/bin/env node
/**
 * Synthesis benchmark, as ratios against the framework's floor: scripts/bench/floor-app.js, the
 * smallest cdktf app with the same packages (one stack, one container), run alternately with each
 * measured command in the same loop, so that a shared, noisy machine slows both alike. Prints, per
 * command, the median wall time of both, their ratio, the target ratio of issue 12, and the median
 * peak RSS; then the growth of a full synthesis with the fleet's size.
 *
 * Fleets of 1, 10, 100, 1000 and 10,000 hosts are generated in a temp directory. Build first
 * (`npm run build`); `npm run synth` is measured with nothing changed since that build.
 *
 * Usage: node scripts/bench-synth.mjs [--quick-runs 15] [--runs 5] [--heavy-runs 5] [--sizes 1,10,100,1000,10000]
 *   --quick-runs  runs of the default-fleet commands (well under a second each, where the machine's
 *                 noise weighs most: more runs for a steadier median)
 *   --runs        runs of each other command (and of the floor beside it)
 *   --heavy-runs  runs of the commands on fleets of 1000 hosts or more
 *   --sizes       fleet sizes of the growth table (full synthesis; 10,000 runs once)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'dist', 'bin', name);
const floorApp = join(root, 'scripts', 'bench', 'floor-app.js');
const { values } = parseArgs({
  options: {
    'quick-runs': { type: 'string', default: '15' },
    runs: { type: 'string', default: '5' },
    'heavy-runs': { type: 'string', default: '5' },
    sizes: { type: 'string', default: '1,10,100,1000,10000' },
  },
});
const quickRuns = Number(values['quick-runs']);
const runs = Number(values.runs);
const heavyRuns = Number(values['heavy-runs']);
const sizes = values.sizes.split(',').map(Number);
for (const file of [bin('main.js'), bin('peekstack.js')]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run "npm run build" first`);
    process.exit(1);
  }
}
if (!existsSync('/usr/bin/time')) {
  console.error('/usr/bin/time is missing (Debian package "time"): it measures the peak RSS');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'peekstack-bench-'));

/** A fleet of `n` hosts: unix, ssh and tcp endpoints in turn, Grafana on the first host. */
function fleetYaml(n) {
  const hosts = Array.from({ length: n }, (_, i) => {
    const name = `host-${i}`;
    const docker = [
      `{ host: "unix:///var/run/docker.sock" }`,
      `{ host: "ssh://deploy@${name}.example.net" }`,
      `{ host: "tcp://${name}.example.net:2376", certPath: "/etc/peekstack/certs/${name}" }`,
    ][i % 3];
    return `  - name: ${name}\n    docker: ${docker}\n    addresses: [${name}.example.net, 10.${Math.floor(i / 62500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}]\n`;
  });
  return `hosts:\n${hosts.join('')}interface:\n  host: host-0\n`;
}

const fleets = new Map();
/** The generated fleet file of `n` hosts. */
function fleet(n) {
  if (!fleets.has(n)) {
    const file = join(work, `fleet-${n}.yaml`);
    writeFileSync(file, fleetYaml(n));
    fleets.set(n, file);
  }
  return fleets.get(n);
}

function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs `command` once under /usr/bin/time: wall seconds and peak RSS (MB). */
function runOnce(command, cwd = work) {
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-v', ...command], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
  const kilobytes = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
  return { seconds, megabytes: kilobytes / 1024 };
}

const floorCommand = () => [process.execPath, floorApp, join(work, 'floor-out')];

/**
 * Measures `command` `n` times, each run right after a run of the floor app.
 * @returns medians of both, and the ratio of the medians
 */
function measure(command, n, cwd) {
  const floor = [];
  const samples = [];
  for (let i = 0; i < n; i++) {
    floor.push(runOnce(floorCommand()));
    samples.push(runOnce(command, cwd));
  }
  const seconds = median(samples.map((s) => s.seconds));
  const floorSeconds = median(floor.map((s) => s.seconds));
  return { seconds, floorSeconds, ratio: seconds / floorSeconds, megabytes: median(samples.map((s) => s.megabytes)) };
}

const node = process.execPath;
const out = (name) => join(work, `out-${name}`);
/** Every figure of issue 12: command, runs, target ratio (and memory where it has one). */
const cases = [
  { name: '`npm run synth`, nothing changed', command: ['npm', 'run', '--silent', 'synth', '--', '--out', out('npm')], cwd: root, runs: quickRuns, target: 2.5 },
  { name: 'compiled default synth (`node dist/bin/main.js`)', command: [node, bin('main.js'), '--fleet', join(root, 'stacks', 'fleet.default.yaml'), '--out', out('main')], runs: quickRuns, target: 1.2 },
  { name: '`peekstack list` (default fleet)', command: [node, bin('peekstack.js'), 'list'], runs: quickRuns, target: 0.5 },
  { name: '`peekstack --help`', command: [node, bin('peekstack.js'), '--help'], runs: quickRuns, target: 0.5 },
  { name: '`peekstack validate` (default fleet)', command: [node, bin('peekstack.js'), 'validate'], runs: quickRuns, target: 1.0 },
  { name: 'synth one collector of 1000 hosts', command: [node, bin('peekstack.js'), 'synth', '--fleet', fleet(1000), '--out', out('one'), 'collector-host-500'], runs: heavyRuns, target: 3 },
  { name: 'synth the interface of 1000 hosts', command: [node, bin('peekstack.js'), 'synth', '--fleet', fleet(1000), '--out', out('ui'), 'interface'], runs: heavyRuns, target: 10 },
  { name: '`peekstack validate`, 1000 hosts', command: [node, bin('peekstack.js'), 'validate', '--fleet', fleet(1000)], runs: heavyRuns, target: 5 },
  { name: '`peekstack validate`, 10,000 hosts', command: [node, bin('peekstack.js'), 'validate', '--fleet', fleet(10000)], runs: heavyRuns, target: 40, maxMegabytes: 1024 },
  { name: 'full synth, 1000 hosts', command: [node, bin('main.js'), '--fleet', fleet(1000), '--out', out('full')], runs: heavyRuns, target: 25, maxMegabytes: 300 },
];

try {
  // `npm run synth` builds when an input changed: make sure this run measures the no-change path.
  runOnce(['npm', 'run', '--silent', 'synth', '--', '--out', out('npm')], root);
  const results = cases.map((c) => ({ ...c, ...measure(c.command, c.runs, c.cwd) }));
  const growth = sizes.map((n) => {
    const r = measure([node, bin('main.js'), '--fleet', fleet(n), '--out', out(`grow-${n}`)], n >= 10000 ? 1 : n >= 1000 ? heavyRuns : runs);
    rmSync(out(`grow-${n}`), { recursive: true, force: true });
    return { n, ...r };
  });

  console.log(`PeekStack synthesis benchmark: node ${process.version}, ${new Date().toISOString()}`);
  console.log('Each command alternates with the floor app (scripts/bench/floor-app.js); medians; ratio = command / floor.\n');
  console.log('| command | runs | median (s) | floor median (s) | ratio | target | peak RSS (MB) | met |');
  console.log('|---|---:|---:|---:|---:|---:|---:|:---:|');
  for (const r of results) {
    const memory = r.maxMegabytes ? ` (≤ ${r.maxMegabytes})` : '';
    const met = r.ratio <= r.target && (!r.maxMegabytes || r.megabytes <= r.maxMegabytes);
    console.log(`| ${r.name} | ${r.runs} | ${r.seconds.toFixed(2)} | ${r.floorSeconds.toFixed(2)} | ${r.ratio.toFixed(2)}× | ≤ ${r.target}× | ${r.megabytes.toFixed(0)}${memory} | ${met ? 'yes' : '**no**'} |`);
  }
  console.log('\nFull synthesis by fleet size (`node dist/bin/main.js --fleet F`); linear growth shows as a flat cost per added host.\n');
  console.log('| hosts | stacks | runs | median (s) | ratio to floor | peak RSS (MB) | ms per added host | MB per added host |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  growth.forEach((row, index) => {
    const previous = growth[index - 1];
    const added = previous ? row.n - previous.n : 0;
    const ms = previous && added > 0 ? (((row.seconds - previous.seconds) * 1000) / added).toFixed(1) : '-';
    const mb = previous && added > 0 ? ((row.megabytes - previous.megabytes) / added).toFixed(3) : '-';
    const n = row.n >= 10000 ? 1 : row.n >= 1000 ? heavyRuns : runs;
    // One collector per host, the interface and the hub (the generated fleets keep the embedded store).
    console.log(`| ${row.n} | ${row.n + 2} | ${n} | ${row.seconds.toFixed(2)} | ${row.ratio.toFixed(1)}× | ${row.megabytes.toFixed(0)} | ${ms} | ${mb} |`);
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
