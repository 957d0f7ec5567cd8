/**
 * The CLI's fast path (src/cli/fast/: cdktf patches, resolve-once, token registry) runs only on the
 * cdktf it was written for; on any other, or with PEEKSTACK_PLAIN_SYNTH set, the CLI synthesizes the
 * plain way (a whole Fleet, cdktf's App.synth()). Both write the same bytes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { FAST_PATH_CDKTF_VERSION, fastPathUsable, loadedCdktfVersion } from '../../../src/cli/fast/door';

const ROOT = resolve(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'bin', 'main.js');
const EXAMPLE = join(ROOT, 'stacks', 'fleet.example.yaml');
const work = mkdtempSync(join(tmpdir(), 'peekstack-fast-path-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file under `dir`, by relative path, with its text. */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

let counter = 0;
function synth(plain: boolean, stacks: string[]): Record<string, string> {
  const out = join(work, `out-${counter++}`);
  const env = { ...process.env, PEEKSTACK_PLAIN_SYNTH: plain ? '1' : '' };
  const run = spawnSync(process.execPath, [MAIN, '--fleet', EXAMPLE, '--out', out, ...stacks], { encoding: 'utf8', env });
  expect(run.status, run.stderr).toBe(0);
  return filesOf(out);
}

describe('the fast path and its door', () => {
  it('is taken only on the cdktf it was written for, and not with PEEKSTACK_PLAIN_SYNTH', () => {
    expect(loadedCdktfVersion()).toBe(FAST_PATH_CDKTF_VERSION);
    expect(fastPathUsable({}, FAST_PATH_CDKTF_VERSION)).toBe(true);
    expect(fastPathUsable({ PEEKSTACK_PLAIN_SYNTH: '1' }, FAST_PATH_CDKTF_VERSION)).toBe(false);
    expect(fastPathUsable({}, '0.22.0')).toBe(false);
  });

  it.each([
    ['the whole example fleet', []],
    ['one collector', ['collector-web-1']],
    ['the interface and the hub', ['interface', 'hub']],
  ])('%s: the fast and the plain path write the same bytes (stacks and manifest)', (_name, stacks) => {
    const fast = synth(false, stacks);
    const plain = synth(true, stacks);
    expect(Object.keys(fast).length).toBeGreaterThan(1);
    expect(Object.keys(plain).sort()).toEqual(Object.keys(fast).sort());
    for (const [file, text] of Object.entries(fast)) expect(plain[file], file).toBe(text);
  });
});
