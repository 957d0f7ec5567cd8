#!/usr/bin/env node
/**
 * Synthesis benchmark: generates fleets of 1, 10 and 100 hosts in a temp directory, synthesizes each
 * with the compiled app (`node dist/stacks/main.js --fleet F --out D`, build first with `npm run build`)
 * five times, and prints a markdown table of the median wall time and median peak RSS.
 *
 * Peak RSS comes from `/usr/bin/time -v` when present; otherwise from a preload that reports
 * process.resourceUsage().maxRSS at exit. Targets (issue 4): 1 host < 1 s; 100 hosts < 5 s and
 * < 500 MB; growth no worse than linear.
 *
 * Usage: node scripts/bench-synth.mjs [--runs 5] [--sizes 1,10,100] [--no-time (use the preload meter)]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist', 'stacks', 'main.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, sizes: { type: 'string', default: '1,10,100' }, 'no-time': { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const sizes = values.sizes.split(',').map(Number);
if (!existsSync(main)) {
  console.error(`${main} is missing: run "npm run build" first`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'peekstack-bench-'));
const timeBinary = !values['no-time'] && existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// Fallback meter: a preload that writes the process's peak RSS (kB) to a file at exit.
const meter = join(work, 'max-rss.cjs');
writeFileSync(meter, `process.on('exit', () => require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n`);

/** A fleet of `n` hosts: unix, ssh and tcp endpoints in turn, Grafana on the first host. */
function fleetYaml(n) {
  const hosts = Array.from({ length: n }, (_, i) => {
    const name = `host-${i}`;
    const docker = [
      `{ host: "unix:///var/run/docker.sock" }`,
      `{ host: "ssh://deploy@${name}.example.net" }`,
      `{ host: "tcp://${name}.example.net:2376", certPath: "/etc/peekstack/certs/${name}" }`,
    ][i % 3];
    return `  - name: ${name}\n    docker: ${docker}\n    addresses: [${name}.example.net, 10.0.${Math.floor(i / 250)}.${(i % 250) + 1}]\n`;
  });
  return `hosts:\n${hosts.join('')}interface:\n  host: host-0\n`;
}

function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One synthesis: wall seconds and peak RSS in MB. */
function runOnce(fleet, out) {
  const rssFile = join(work, 'rss');
  const args = ['--fleet', fleet, '--out', out];
  const start = process.hrtime.bigint();
  const result = timeBinary
    ? spawnSync(timeBinary, ['-v', process.execPath, main, ...args], { cwd: work, encoding: 'utf8' })
    : spawnSync(process.execPath, ['--require', meter, main, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, BENCH_RSS_FILE: rssFile } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`synthesis failed (exit ${result.status}):\n${result.stderr}`);
  const kilobytes = timeBinary
    ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1])
    : Number(readFileSync(rssFile, 'utf8'));
  return { seconds, megabytes: kilobytes / 1024 };
}

const rows = [];
try {
  for (const n of sizes) {
    const fleet = join(work, `fleet-${n}.yaml`);
    writeFileSync(fleet, fleetYaml(n));
    const samples = Array.from({ length: runs }, () => runOnce(fleet, join(work, `out-${n}`)));
    const stacks = n + 1;
    rows.push({ n, stacks, seconds: median(samples.map((s) => s.seconds)), megabytes: median(samples.map((s) => s.megabytes)) });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`Synthesis of generated fleets, compiled app, median of ${runs} runs (peak RSS via ${timeBinary ? '/usr/bin/time -v' : 'process.resourceUsage()'}); node ${process.version}\n`);
// Linear growth shows as a flat (or falling) cost per host added since the previous size.
console.log('| hosts | stacks | wall time (s) | peak RSS (MB) | ms per added host | MB per added host |');
console.log('|------:|-------:|--------------:|--------------:|------------------:|------------------:|');
rows.forEach((row, index) => {
  const previous = rows[index - 1];
  const added = previous ? row.n - previous.n : 0;
  const ms = previous && added > 0 ? (((row.seconds - previous.seconds) * 1000) / added).toFixed(1) : '-';
  const mb = previous && added > 0 ? ((row.megabytes - previous.megabytes) / added).toFixed(2) : '-';
  console.log(`| ${row.n} | ${row.stacks} | ${row.seconds.toFixed(2)} | ${row.megabytes.toFixed(0)} | ${ms} | ${mb} |`);
});
