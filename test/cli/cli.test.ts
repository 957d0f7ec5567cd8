import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeFailure, loadFleetFile } from '../../src/config';
import { PeekStackValidationError } from '../../src/core/errors';
import { synthFleet } from '../../src/cli/synth-fleet';
import { VALID_FLEET } from '../config/helpers';

/** The programs as shipped (bundles behind launchers, scripts/build.mjs): `npm test` builds before running vitest. */
const CLI = resolve(__dirname, '..', '..', 'dist', 'bin', 'peekstack.js');
const MAIN = resolve(__dirname, '..', '..', 'dist', 'bin', 'main.js');
const EXAMPLE = resolve(__dirname, '..', '..', 'stacks', 'fleet.example.yaml');
const work = mkdtempSync(join(tmpdir(), 'peekstack-cli-'));

function run(args: string[], env: Record<string, string> = {}, script = CLI) {
  const { PEEKSTACK_FLEET: _f, PEEKSTACK_OUT: _o, CDKTF_OUTDIR: _c, ...base } = process.env;
  const result = spawnSync(process.execPath, [script, ...args], { cwd: work, encoding: 'utf8', env: { ...base, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** Every file under `dir` with its content and mtime, to prove a directory was not touched. */
function snapshot(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else result[path] = `${statSync(path).mtimeMs}:${readFileSync(path, 'utf8')}`;
    }
  };
  walk(dir);
  return result;
}

const NO_TRACE = /^\s+at .+\(.+:\d+:\d+\)$/m;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (npm test does) first`);
});

describe('peekstack list / validate', () => {
  it('lists the default fleet\'s stacks, one per line', () => {
    expect(run(['list'])).toEqual({ code: 0, stdout: 'hub\ncollector-local\ninterface\n', stderr: '' });
  });

  it('takes the fleet from PEEKSTACK_FLEET, and --fleet over it', () => {
    expect(run(['list'], { PEEKSTACK_FLEET: EXAMPLE }).stdout).toBe('hub\ncollector-web-1\ncollector-db-1\ncollector-gpu-1\ncollector-ops\ninterface\n');
    expect(run(['list', '--fleet', EXAMPLE], { PEEKSTACK_FLEET: '/nonexistent.yaml' }).code).toBe(0);
  });

  it('validate prints a summary of hosts, stacks, endpoints and ports', () => {
    const { code, stdout } = run(['validate', '--fleet', EXAMPLE]);
    expect(code).toBe(0);
    expect(stdout).toContain('4 host(s), 6 stack(s)');
    expect(stdout).toMatch(/STACK.*\n-+.*\nhub\s+ops\s+unix:\/\/\/var\/run\/docker\.sock.*18427 fleet store, 9093 alertmanager\s/);
    expect(stdout).toMatch(/collector-db-1\s+db-1\s+tcp:\/\/db-1\.example\.net:2376\s+db-1\.example\.net, 192\.0\.2\.12\s+19090 prometheus, 9101 node_exporter/);
    expect(stdout).toMatch(/interface\s+ops\s+unix:\/\/\/var\/run\/docker\.sock.*13000 grafana/);
  });

  it('validate shows the Alertmanager pair: the peer\'s host as a row of the hub stack, the gossip port on both, the hub counted once', () => {
    const paired = file('paired.yaml', readFileSync(EXAMPLE, 'utf8').replace('\nalerting:\n', '\nalerting:\n  peerHost: db-1\n'));
    const { code, stdout, stderr } = run(['validate', '--fleet', paired]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('4 host(s), 6 stack(s)');
    expect(stdout).toMatch(/\nhub\s+ops\s+\S+\s+ops\.example\.net, 192\.0\.2\.10\s+18427 fleet store, 9093 alertmanager, 9094 alertmanager gossip\s/);
    expect(stdout).toMatch(/\nhub\s+db-1\s+tcp:\/\/db-1\.example\.net:2376\s+db-1\.example\.net, 192\.0\.2\.12\s+9093 alertmanager \(peer\), 9094 alertmanager gossip\s+s3:\/\/example-peekstack-state\/peekstack\/hub\.tfstate/);
  });

  it('invalid fleet: exit 2, one file:line:col message per problem on stderr, no stack trace', () => {
    const bad = file('bad.yaml', VALID_FLEET.replace('nodeExporter: 9101', 'nodeExporter: 70000').replace('  host: ops\n', '  host: nope\n'));
    const { code, stdout, stderr } = run(['validate', '--fleet', bad]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      `${bad}:12:21: hosts[1].ports.nodeExporter: found 70000; allowed: an integer from 1 to 65535 (a TCP port)`,
    ]);
    // Cross-field checks follow once the fields themselves are valid.
    const second = run(['validate', '--fleet', file('bad2.yaml', VALID_FLEET.replace('  host: ops\n', '  host: nope\n'))]);
    expect(second.stderr).toMatch(/bad2\.yaml:18:9: interface\.host: found "nope"; allowed: the name of a host in this fleet/);
    expect(second.stderr).not.toMatch(NO_TRACE);
  });

  it('YAML syntax error and missing file: exit 2', () => {
    const syntax = run(['list', '--fleet', file('syntax.yaml', 'hosts:\n  - name: a\n   docker: x\n')]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/syntax\.yaml:3:1: found invalid YAML; allowed: YAML syntax/);
    const missing = run(['list', '--fleet', 'nope.yaml']);
    expect(missing).toMatchObject({ code: 2, stderr: 'nope.yaml: found no such file; allowed: a readable fleet file (YAML); choose one with --fleet or PEEKSTACK_FLEET\n' });
  });

  it('usage errors exit 2; --help on each command exits 0', () => {
    expect(run([]).code).toBe(2);
    expect(run(['deploy']).code).toBe(2);
    expect(run(['list', '--flet', 'x']).code).toBe(2);
    expect(run(['list', 'extra']).code).toBe(2);
    for (const command of ['validate', 'synth', 'list']) {
      const help = run([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: peekstack ${command}`));
    }
    expect(run(['--help']).stdout).toMatch(/Exit codes: 0 ok, 2 invalid input, 1 anything else/);
  });
});

describe('peekstack synth', () => {
  it('writes every stack, or only the named ones', () => {
    const out = join(work, 'out-all');
    expect(run(['synth', '--fleet', EXAMPLE, '--out', out]).code).toBe(0);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['collector-db-1', 'collector-gpu-1', 'collector-ops', 'collector-web-1', 'hub', 'interface']);
    const some = join(work, 'out-some');
    expect(run(['synth', '--fleet', EXAMPLE, 'interface', 'collector-ops'], { PEEKSTACK_OUT: some }).code).toBe(0);
    expect(readdirSync(join(some, 'stacks')).sort()).toEqual(['collector-ops', 'interface']);
    expect(Object.keys(JSON.parse(readFileSync(join(some, 'manifest.json'), 'utf8')).stacks).sort()).toEqual(['collector-ops', 'interface']);
  });

  it('main.js is the same command: the compiled app synthesizes with --fleet and --out', () => {
    const out = join(work, 'out-main');
    const result = run(['--fleet', EXAMPLE, '--out', out], {}, MAIN);
    expect(result.code).toBe(0);
    expect(existsSync(join(out, 'stacks', 'interface', 'cdk.tf.json'))).toBe(true);
  });

  it('a failed synth leaves the previous output exactly as it was', () => {
    const out = join(work, 'out-keep');
    expect(run(['synth', '--out', out]).code).toBe(0);
    const before = snapshot(out);
    const bad = file('dup.yaml', VALID_FLEET.replace('name: db-1', 'name: web-1'));
    const result = run(['synth', '--fleet', bad, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/dup\.yaml:6:11: hosts\[1\]\.name: found "web-1"/);
    expect(run(['synth', '--fleet', EXAMPLE, '--out', out, 'no-such-stack']).code).toBe(2);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(work).filter((name) => name.includes('staging'))).toEqual([]);
  });

  it('--out inside a folder that does not exist: exit 2 naming the folder, nothing created', () => {
    const parent = join(work, 'no', 'such', 'parent');
    const result = run(['synth', '--out', join(parent, 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`peekstack synth: --out "${join(parent, 'out')}": found no folder "${parent}" to create it in; allowed: an output directory inside an existing folder (create "${parent}" first)\n`);
    expect(existsSync(join(work, 'no'))).toBe(false);
  });

  it('bad store input: exit 2 with file:line:col, nothing written, the secret never echoed', () => {
    const out = join(work, 'out-store');
    const secret = 'Sup3rS3cret-store-pass';
    const cases = [
      [`  kind: mimir\n  url: http://mimir.example.net\n  username: u\n`, /store-0\.yaml:21:8: store\.url: found "http:\/\/mimir\.example\.net"; allowed: .*https:\/\//],
      [`  kind: cassandra\n`, /store-1\.yaml:20:9: store\.kind: found "cassandra"/],
      [`  tenant: team-a\n`, /store-2\.yaml:20:11: store\.tenant: found a tenant without an external store/],
      [`  kind: mimir\n  url: https://mimir.example.net\n  username: u\n  password: ${secret}\n`, /store-3\.yaml:23:13: store\.password: found .*never shown\); allowed: no credentials in the fleet file/],
      [`  kind: mimir\n  url: https://u:${secret}@mimir.example.net\n  username: u\n`, /store-4\.yaml:21:8: store\.url: found "https:\/\/u:<redacted>@mimir\.example\.net"/],
    ] as const;
    cases.forEach(([store, message], index) => {
      const result = run(['synth', '--fleet', file(`store-${index}.yaml`, `${VALID_FLEET}store:\n${store}`), '--out', out]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr + result.stdout).not.toContain(secret);
      expect(result.stderr).not.toMatch(NO_TRACE);
      expect(existsSync(out)).toBe(false);
    });
  });

  it('anything else is exit 1, still without a stack trace', () => {
    const { exitCode, lines } = describeFailure(new Error('disk full'), 'f.yaml');
    expect({ exitCode, lines }).toEqual({ exitCode: 1, lines: ['error: disk full'] });
  });
});

describe('the shipped programs', () => {
  const BIN = resolve(__dirname, '..', '..', 'dist', 'bin');

  it('write exactly what the library writes (bundling and its cdktf patch change no byte)', () => {
    const bundled = join(work, 'out-bundled');
    const library = join(work, 'out-library');
    expect(run(['synth', '--fleet', EXAMPLE, '--out', bundled]).code).toBe(0);
    synthFleet(loadFleetFile(EXAMPLE), { outdir: library });
    const stacks = readdirSync(join(library, 'stacks'));
    expect(readdirSync(join(bundled, 'stacks')).sort()).toEqual([...stacks].sort());
    for (const stack of stacks) {
      expect(readFileSync(join(bundled, 'stacks', stack, 'cdk.tf.json'), 'utf8')).toBe(readFileSync(join(library, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    }
  });

  it('list, validate and --help run without the synthesis part (no cdktf loaded)', () => {
    // The CLI alone, without synth-fleet.js (cdktf, the providers, the constructs) beside it.
    const alone = mkdtempSync(join(tmpdir(), 'peekstack-cli-alone-'));
    for (const program of ['peekstack.js', 'cli.bundle.js']) copyFileSync(join(BIN, program), join(alone, program));
    const cli = join(alone, 'peekstack.js');
    expect(run(['list', '--fleet', EXAMPLE], {}, cli)).toEqual({ ...run(['list', '--fleet', EXAMPLE]), code: 0 });
    expect(run(['validate', '--fleet', EXAMPLE], {}, cli).code).toBe(0);
    expect(run(['--help'], {}, cli).code).toBe(0);
    // synth does need it: the copy is really missing its synthesis part.
    expect(run(['synth', '--fleet', EXAMPLE, '--out', join(alone, 'out')], {}, cli).stderr).toMatch(/synth-fleet/);
    expect(readFileSync(join(BIN, 'cli.bundle.js'), 'utf8')).not.toContain('cdktf.TerraformStack');
    expect(readFileSync(join(BIN, 'synth-fleet.js'), 'utf8')).toContain('cdktf.TerraformStack');
  });

  it('npm run synth does not rebuild when nothing changed', () => {
    const bundle = join(BIN, 'main.bundle.js');
    const before = statSync(bundle).mtimeMs;
    const result = spawnSync(process.execPath, [resolve(__dirname, '..', '..', 'scripts', 'synth.mjs'), '--fleet', EXAMPLE, '--out', join(work, 'out-npm')], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(existsSync(join(work, 'out-npm', 'stacks', 'interface', 'cdk.tf.json'))).toBe(true);
    expect(statSync(bundle).mtimeMs).toBe(before);
  });
});

describe('describeFailure', () => {
  it('turns a construct\'s validation error into an exit-2 message naming the fleet file', () => {
    expect(describeFailure(new PeekStackValidationError('Grafana.publishedPort', 0, 'a port'), 'f.yaml')).toEqual({
      exitCode: 2,
      lines: ['f.yaml: Grafana.publishedPort: found 0; allowed: a port'],
    });
  });
});
