import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The shipped app loads its bundle with V8's code cache (stacks/cached-load.ts) and writes the cache
 * only when it had none or V8 refused it. A cache that V8 refuses on every run costs a compile and a
 * cache write each time (a fifth of the default synthesis): this proves a run accepts the cache the
 * previous run wrote, also after a large-fleet synthesis, whose garbage collections between chunks
 * once left V8's flags changed (stacks/token-registry.ts).
 */

const DIST_BIN = resolve(__dirname, '..', '..', '..', 'dist', 'bin');
const DEFAULT_FLEET = resolve(__dirname, '..', '..', '..', 'stacks', 'fleet.default.yaml');
const work = mkdtempSync(join(tmpdir(), 'peekstack-code-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A private copy of the app (launcher and bundle), so that no other test's run writes its cache. */
function privateApp(): { main: string; cache: string } {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const file of ['main.js', 'main.bundle.js']) copyFileSync(join(DIST_BIN, file), join(bin, file));
  return { main: join(bin, 'main.js'), cache: join(bin, 'main.bundle.js.v8cache') };
}

let outdirs = 0;
function synth(main: string, fleet: string, env: Record<string, string> = {}): void {
  const run = spawnSync(process.execPath, [main, '--fleet', fleet, '--out', join(work, `out-${outdirs++}`)], { encoding: 'utf8', env: { ...process.env, ...env } });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
}

/** The cache file's identity: a rewrite changes its mtime (and, from another process, its inode). */
function cacheState(cache: string): string {
  const stat = statSync(cache);
  return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
}

describe('the app’s code cache', () => {
  it('is written by the first run and accepted, not rewritten, by the next ones', () => {
    const { main, cache } = privateApp();
    expect(existsSync(cache)).toBe(false);
    synth(main, DEFAULT_FLEET);
    expect(existsSync(cache)).toBe(true);
    const written = cacheState(cache);
    synth(main, DEFAULT_FLEET);
    synth(main, DEFAULT_FLEET);
    expect(cacheState(cache)).toBe(written);
  });

  it('written by a synthesis that collects garbage between chunks, is accepted by the next runs', () => {
    const { main, cache } = privateApp();
    rmSync(cache, { force: true });
    const fleet = join(work, 'three-hosts.yaml');
    writeFileSync(
      fleet,
      `hosts:\n${['a', 'b', 'c'].map((name) => `  - name: ${name}\n    docker: { host: "unix:///var/run/docker.sock" }\n    addresses: [${name}.example.net]\n`).join('')}interface:\n  host: a\n`,
    );
    // Chunks of one collector, the heap collected after each (above 0 MB): this run, the one that
    // writes the cache (it had none), collects garbage between chunks.
    const collecting = { PEEKSTACK_SYNTH_CHUNK: '1', PEEKSTACK_SYNTH_THREADS: '1', PEEKSTACK_GC_ABOVE_MB: '0' };
    synth(main, fleet, collecting);
    const written = cacheState(cache);
    synth(main, DEFAULT_FLEET);
    synth(main, fleet, collecting);
    expect(cacheState(cache)).toBe(written);
    expect(readFileSync(cache).length).toBeGreaterThan(0);
  });
});
