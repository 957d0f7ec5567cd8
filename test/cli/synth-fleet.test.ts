import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { FleetSpec, loadFleetFile, parseFleet } from '../../src/config';
import { hubStackOf } from '../../src/config/spec';
import { buildFleetApp } from '../../src/fleet/fleet';
import { synthFleet } from '../../src/cli/synth-fleet';
import { VALID_FLEET } from '../config/helpers';

/**
 * `peekstack synth STACK ...` builds only what the named stacks need (stacks/app.ts buildFleetPart):
 * each stack written alone must be, byte for byte, the stack a synthesis of the whole fleet writes,
 * and have the same manifest entry.
 */

const work = mkdtempSync(join(tmpdir(), 'peekstack-synth-fleet-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fleet of `n` hosts with every kind of endpoint, exporter switches, per-host intervals, and Grafana in the middle. */
function bigFleet(n: number): string {
  const hosts = Array.from({ length: n }, (_, i) => {
    const name = `node-${i}`;
    const docker = [
      `{ host: "unix:///var/run/docker.sock" }`,
      `{ host: "ssh://deploy@${name}.example.net:2222", sshOpts: ["-o", "StrictHostKeyChecking=yes"] }`,
      `{ host: "tcp://${name}.example.net:2376", certPath: "/etc/peekstack/certs/${name}" }`,
    ][i % 3];
    const extra = [
      '',
      '    exporters: { cadvisor: { enabled: false } }\n',
      '    scrapeIntervalSeconds: 30\n    exporters: { scaphandre: { scrapeIntervalSeconds: 5 } }\n',
      '    ports: { prometheus: 19191, nodeExporter: 9191 }\n    backend: { type: s3, bucket: state, key: "fleet/{stack}.tfstate" }\n',
    ][i % 4];
    return `  - name: ${name}\n    docker: ${docker}\n    addresses: [${name}.example.net, "2001:db8::${(i + 1).toString(16)}"]\n${extra}`;
  });
  return `defaults:\n  retentionDays: 30\nhosts:\n${hosts.join('')}interface:\n  host: node-${Math.floor(n / 2)}\n`;
}

const FLEETS: Record<string, () => FleetSpec> = {
  'the example fleet (S3 state, colocated Grafana, per-host overrides)': () => loadFleetFile(resolve(__dirname, '..', '..', 'stacks', 'fleet.example.yaml')),
  'credentials from variables': () => parseFleet(`${VALID_FLEET}credentials: { source: variables }\n`, 'variables.yaml'),
  'a 24-host fleet': () => parseFleet(bigFleet(24), 'big.yaml'),
  'an existing store (Mimir) and no alerting: no hub': () => parseFleet(`${VALID_FLEET}store:\n  kind: mimir\n  url: https://mimir.example.net\n  tenant: team-a\n  username: team-a\n`, 'mimir.yaml'),
};

let counter = 0;
/** Synthesizes `stacks` (all when empty) into a fresh directory and returns it. */
function synth(fleet: FleetSpec, stacks: string[] = []): string {
  const outdir = join(work, `out-${counter++}`);
  synthFleet(fleet, { outdir, stacks });
  return outdir;
}

/** The reference: every stack in one cdktf App, written by cdktf's own App.synth(). */
function synthWhole(fleet: FleetSpec): string {
  const outdir = join(work, `whole-${counter++}`);
  const app = new App({ outdir });
  buildFleetApp(app, fleet);
  app.synth();
  return outdir;
}

const stackJson = (outdir: string, stack: string) => readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
const manifestOf = (outdir: string) => JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks;

/** A run of the shipped program succeeded quietly and wrote into `outdir` exactly the stacks and manifest of `reference`. */
function expectProgramWrote(run: { stderr: string; status: number | null }, outdir: string, reference: string): void {
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const stacks = readdirSync(join(reference, 'stacks')).sort();
  expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(stacks);
  for (const stack of stacks) expect(stackJson(outdir, stack), stack).toBe(stackJson(reference, stack));
  expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe(readFileSync(join(reference, 'manifest.json'), 'utf8'));
}

describe.each(Object.entries(FLEETS))('one stack at a time: %s', (_, load) => {
  const fleet = load();
  const full = synthWhole(fleet);
  const hub = hubStackOf(fleet);
  const names = [...(hub ? [hub] : []), ...fleet.hosts.map((host) => host.stackName), fleet.interface.stackName];
  // Every stack of the small fleets; of the big one, the hub, the first, Grafana's host, the last and the interface.
  const chosen = names.length <= 6 ? names : [...(hub ? [hub] : []), fleet.hosts[0].stackName, `collector-${fleet.interface.host}`, names[names.length - 2], fleet.interface.stackName];

  it('all of them together (synthFleet: the interface alone, then the collectors, then the hub) as cdktf writes them in one App', () => {
    const all = synth(fleet);
    for (const stack of names) expect(stackJson(all, stack), stack).toBe(stackJson(full, stack));
    expect(readFileSync(join(all, 'manifest.json'), 'utf8')).toBe(readFileSync(join(full, 'manifest.json'), 'utf8'));
  });

  it.each(chosen)('%s alone is byte-identical to the same stack of the full synthesis', (stack) => {
    const alone = synth(fleet, [stack]);
    expect(readdirSync(join(alone, 'stacks'))).toEqual([stack]);
    expect(stackJson(alone, stack)).toBe(stackJson(full, stack));
    expect(manifestOf(alone)).toEqual({ [stack]: manifestOf(full)[stack] });
  });

  it('several stacks together, the interface and the hub among them, are byte-identical too', () => {
    const some = [...new Set([names[0], names[names.length - 2], fleet.interface.stackName, ...(hub ? [hub, fleet.hosts[1].stackName] : [])])];
    const together = synth(fleet, some);
    expect(readdirSync(join(together, 'stacks')).sort()).toEqual([...some].sort());
    for (const stack of some) expect(stackJson(together, stack)).toBe(stackJson(full, stack));
  });
});

describe('a large fleet, in chunks and on two threads (the shipped program)', () => {
  it('writes every stack and the manifest exactly as cdktf writes the whole fleet in one App', () => {
    const text = bigFleet(45);
    const file = join(work, 'fleet-45.yaml');
    writeFileSync(file, text);
    const whole = synthWhole(parseFleet(text, file));
    const parts = join(work, 'out-parts');
    const program = resolve(__dirname, '..', '..', 'dist', 'bin', 'peekstack.js');
    // Chunks of 10 collectors; the interface alone first; two threads (npm test builds the program).
    const run = spawnSync(process.execPath, [program, 'synth', '--fleet', file, '--out', parts], {
      encoding: 'utf8',
      env: { ...process.env, PEEKSTACK_SYNTH_CHUNK: '10', PEEKSTACK_SYNTH_THREADS: '2' },
    });
    expectProgramWrote(run, parts, whole);
  });
});

describe('the shipped program (bundled, with its faster cdktf resolve) against stock cdktf', () => {
  const program = resolve(__dirname, '..', '..', 'dist', 'bin', 'main.js');
  const texts: Record<string, () => string> = {
    'the example fleet': () => readFileSync(resolve(__dirname, '..', '..', 'stacks', 'fleet.example.yaml'), 'utf8'),
    'credentials from variables': () => `${VALID_FLEET}credentials: { source: variables }\n`,
    'an existing store': () => `${VALID_FLEET}store:\n  kind: thanos\n  url: https://thanos.example.net/api/v1/receive\n  queryUrl: https://thanos-query.example.net\n  tenant: team-a\n  auth: bearer\n`,
  };
  it.each(Object.keys(texts))('%s: every stack and the manifest byte for byte', (name) => {
    const file = join(work, `program-${counter++}.yaml`);
    writeFileSync(file, texts[name]());
    const whole = synthWhole(loadFleetFile(file));
    const out = join(work, `program-out-${counter++}`);
    const run = spawnSync(process.execPath, [program, '--fleet', file, '--out', out], { encoding: 'utf8' });
    expectProgramWrote(run, out, whole);
  });
});

describe('what a collector alone carries from the interface', () => {
  it('the outputs the interface reads, as in the full synthesis (not only its own)', () => {
    const fleet = loadFleetFile(resolve(__dirname, '..', '..', 'stacks', 'fleet.example.yaml'));
    const outputs = Object.keys(JSON.parse(stackJson(synth(fleet, ['collector-db-1']), 'collector-db-1')).output);
    // Without the interface's reads these two would be missing, and the interface's remote state would read nothing.
    expect(outputs.filter((name) => name.startsWith('cross-stack-output-'))).toHaveLength(2);
  });
});
