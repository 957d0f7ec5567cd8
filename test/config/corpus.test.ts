import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The bad-input corpus: every file in test/config/corpus is a fleet file the CLI must refuse. Each
 * says what is expected in its leading comments (or, for files that are not UTF-8 text, in a
 * `<file>.expect` beside it):
 *
 *   # expect: LINE:COL [PATH]     the problem is reported as `<file>:LINE:COL: PATH: found ...`
 *   # says: TEXT                  that line contains TEXT (one or more)
 *   # never: TEXT                 TEXT appears nowhere in stdout or stderr (a secret)
 *
 * Both `validate` and `synth --out` run through the compiled CLI, all cases in one node process
 * (cli-batch.cjs; spawning one per case would cost ~0.7 s each); a few cases are also spawned as
 * `node dist/src/cli/cli.js` to show the batch prints exactly what the real command prints.
 */

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'cli.js');
const BATCH = join(__dirname, 'cli-batch.cjs');
const CORPUS = join(__dirname, 'corpus');

interface Expectation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path?: string;
  readonly says: readonly string[];
  readonly never: readonly string[];
}

interface Run {
  readonly argv: string[];
  readonly code: number | 'threw';
  readonly stdout: string;
  readonly stderr: string;
}

/** The expectation of a corpus file, from its sidecar or its leading comments. */
function expectationOf(file: string): Expectation {
  const sidecar = `${file}.expect`;
  const text = existsSync(sidecar) ? readFileSync(sidecar, 'utf8') : readFileSync(file, 'utf8');
  const at = /^# expect: (\d+):(\d+)(?: (\S+))?$/m.exec(text);
  if (!at) throw new Error(`${file}: no "# expect: LINE:COL" line`);
  const all = (tag: string) => [...text.matchAll(new RegExp(`^# ${tag}: (.*)$`, 'gm'))].map((match) => match[1]);
  return { file, line: Number(at[1]), column: Number(at[2]), path: at[3], says: all('says'), never: all('never') };
}

const cases = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => expectationOf(join(CORPUS, name)));

const work = mkdtempSync(join(tmpdir(), 'peekstack-corpus-'));
const outParent = join(work, 'out');
const outFor = (file: string) => join(outParent, file.split('/').pop()!.replace(/\.yaml$/, ''));
const runs = new Map<string, { validate: Run; synth: Run }>();

/** Runs the CLI for every argument list in one process (cli-batch.cjs). */
function batch(argvs: string[][]): Run[] {
  const runsFile = join(work, 'runs.json');
  const resultFile = join(work, 'results.json');
  writeFileSync(runsFile, JSON.stringify(argvs.map((argv) => ({ argv }))));
  const result = spawnSync(process.execPath, [BATCH, resultFile, CLI, runsFile], { cwd: work, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cli-batch failed: ${result.stderr}`);
  // Nothing may escape the capture: the batch itself prints nothing.
  expect(result.stdout + result.stderr).toBe('');
  return JSON.parse(readFileSync(resultFile, 'utf8')) as Run[];
}

/** A line that looks like a stack frame. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (npm test does) first`);
  mkdirSync(outParent);
  const argvs = cases.flatMap((c) => [
    ['validate', '--fleet', c.file],
    ['synth', '--fleet', c.file, '--out', outFor(c.file)],
  ]);
  const results = batch(argvs);
  cases.forEach((c, index) => runs.set(c.file, { validate: results[2 * index], synth: results[2 * index + 1] }));
}, 60_000);

describe('bad fleet files (test/config/corpus)', () => {
  it('holds at least 60 files, each with an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.map((c) => [c.file.split('/').pop()!, c] as const))('%s: exit 2, located, found and allowed, nothing leaked or written', (_name, c) => {
    const { validate, synth } = runs.get(c.file)!;
    for (const run of [validate, synth]) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      const prefix = `${c.file}:${c.line}:${c.column}:${c.path ? ` ${c.path}:` : ''}`;
      const lines = run.stderr.trimEnd().split('\n');
      const line = lines.find((candidate) => candidate.startsWith(prefix));
      expect(line, `no line starting with ${prefix} in:\n${run.stderr}`).toBeDefined();
      expect(line).toMatch(/: found .+; allowed: .+/);
      for (const text of c.says) expect(line).toContain(text);
      // Every line is a located problem of this file: no library warning, no stack trace, no raw control character.
      for (const other of lines) expect(other).toMatch(new RegExp(`^${c.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: .*found .+; allowed: .+`));
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stderr).not.toMatch(RAW_CONTROL);
      for (const secret of c.never) expect(run.stdout + run.stderr).not.toContain(secret);
    }
    expect(synth.stderr).toBe(validate.stderr);
    expect(existsSync(outFor(c.file))).toBe(false);
  });

  it('validate and synth give every file the same verdict: exit code, output and message', () => {
    for (const c of cases) {
      const { validate, synth } = runs.get(c.file)!;
      expect({ file: c.file, code: synth.code, stdout: synth.stdout, stderr: synth.stderr }).toEqual({ file: c.file, code: validate.code, stdout: validate.stdout, stderr: validate.stderr });
    }
  });

  it('synth wrote nothing at all: no output folder, no staging folder', () => {
    expect(readdirSync(outParent)).toEqual([]);
  });

  it('the batch prints what the real command prints (a sample spawned as node dist/src/cli/cli.js)', () => {
    const sample = ['yaml-collection-key-list', 'yaml-recursive-alias', 'secret-pg-keyword', 'yaml-utf16-bom', 'address-with-port'];
    for (const name of sample) {
      const c = cases.find((candidate) => candidate.file.endsWith(`/${name}.yaml`))!;
      const real = spawnSync(process.execPath, [CLI, 'validate', '--fleet', c.file], { cwd: work, encoding: 'utf8' });
      const { validate } = runs.get(c.file)!;
      expect({ code: real.status, stdout: real.stdout, stderr: real.stderr }).toEqual({ code: validate.code, stdout: validate.stdout, stderr: validate.stderr });
    }
  });
});

describe('a 10,000-host fleet', () => {
  it('an unknown interface host: one short line naming five hosts and the count', () => {
    const hosts = Array.from({ length: 10_000 }, (_, i) => `  - { name: h${i}, docker: { host: "unix:///var/run/docker.sock" }, addresses: [h${i}.example.net] }\n`);
    const file = join(work, 'huge.yaml');
    writeFileSync(file, `hosts:\n${hosts.join('')}interface: { host: grafana }\n`);
    const [run] = batch([['validate', '--fleet', file]]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${file}:10002:20: interface.host: found "grafana"; allowed: the name of a host in this fleet: "h0", "h1", "h2", "h3", "h4" and 9995 more (10000 in all)\n`,
    );
  });
});
