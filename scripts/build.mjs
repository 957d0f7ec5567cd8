#!/usr/bin/env node
/**
 * `npm run build`: compiles the library with tsc into dist/ (dist/src: what the package exports; the CLI
 * is dist/src/cli), then bundles the two programs with esbuild:
 *
 * - dist/bin/cli.bundle.js, the `peekstack` command (from src/cli/cli.ts), without cdktf: its `synth`
 *   requires dist/bin/synth-fleet.js (from src/cli/synth-fleet.ts), so `list`, `validate` and `--help`
 *   do not even parse cdktf's code;
 * - dist/bin/main.bundle.js, the app `npm run synth` and cdktf-cli run (from src/cli/main.ts), all in one file;
 * - dist/bin/peekstack.js and dist/bin/main.js, the programs: small launchers (src/cli/bin/) that load
 *   those bundles with V8's code cache (src/cli/fast/cached-load.ts, also on its own as dist/bin/cached-load.js
 *   for the second synthesis thread), which this script fills by running each program once,
 *
 * and records a hash of every input in dist/.build-stamp, which `npm run synth` compares to skip
 * the build when nothing changed (scripts/synth.mjs).
 *
 * Why bundles: loading cdktf, zod and yaml from node_modules is hundreds of files, most of the time of
 * a small synthesis; one minified file loads in a fraction of that. Modules stay lazy inside a bundle
 * (esbuild initializes a CommonJS module, and a module reached by `require()`, on first use).
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP_FILE = join(ROOT, 'dist', '.build-stamp');

/** What the build writes into dist/bin (besides source maps and code caches). */
const PROGRAM_FILES = ['peekstack.js', 'main.js', 'cli.bundle.js', 'main.bundle.js', 'synth-fleet.js', 'cached-load.js'];

/** Everything the build reads: sources, compiler and bundler settings, locked dependencies, this script. */
function inputFiles() {
  const files = ['tsconfig.json', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'src/cli/fast/cdktf/fast-resolve.js', 'src/cli/fast/cdktf/snake-case-memo.js', 'src/cli/fast/cdktf/stable-stringify.js'].map((file) => join(ROOT, file));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  walk(join(ROOT, 'src'));
  return files.sort();
}

/** A hash of the build's inputs (names and contents): equal hashes, equal builds. */
export function inputsHash() {
  const hash = createHash('sha256');
  for (const file of inputFiles()) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** True when dist/ was built from the inputs as they are now (and the bundles exist). */
export function isUpToDate() {
  if (!PROGRAM_FILES.every((file) => existsSync(join(ROOT, 'dist', 'bin', file)))) return false;
  try {
    return readFileSync(STAMP_FILE, 'utf8') === inputsHash();
  } catch {
    return false;
  }
}

/**
 * cdktf records a complete stack trace (Error.stackTraceLimit raised to the maximum) for every token
 * it creates, only to print it if that token later fails to resolve. Capturing and formatting those
 * traces was more than half of the time of building a fleet's stacks, and their strings a fifth of
 * its memory (200 hosts, profiled).
 * The bundles skip the capture unless PEEKSTACK_DEBUG is set; nothing synthesized depends on it.
 */
const skipTokenStackTraces = {
  name: 'skip-token-stack-traces',
  setup(build) {
    build.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, (args) => ({
      contents: `${readFileSync(args.path, 'utf8')}
;if (!process.env.PEEKSTACK_DEBUG) exports.captureStackTrace = function captureStackTrace() { return []; };\n`,
      loader: 'js',
    }));
  },
};

/**
 * A plugin that appends `patchFile` to the cdktf module matched by `filter`, where it runs in that
 * module's scope. If the module lacks any of the `needs` texts (another cdktf than the one the patch
 * was written for), the module is bundled as it is, with a warning: the programs then take the plain
 * path (src/cli/fast/door.ts checks the cdktf version at run time).
 */
function appendToCdktfModule(name, filter, patchFile, needs) {
  return {
    name,
    setup(build) {
      build.onLoad({ filter }, (args) => {
        const original = readFileSync(args.path, 'utf8');
        const missing = needs.filter((text) => !original.includes(text));
        if (missing.length > 0) {
          return { contents: original, loader: 'js', warnings: [{ text: `${args.path} is not the module ${relative(ROOT, patchFile)} was written for (missing: ${missing.join(', ')}): not patched` }] };
        }
        return { contents: `${original}\n${readFileSync(patchFile, 'utf8')}`, loader: 'js' };
      });
    },
  };
}

/**
 * cdktf's resolve() makes a context object, two closures and a copy of its options for every key
 * and array element of every stack it resolves: about 40 % of synthesizing a collector stack. The
 * bundles that synthesize replace it with src/cli/fast/cdktf/fast-resolve.js, the same walk without
 * those allocations where no token is met (see that file). Checked against stock
 * cdktf by test/cli/fast/cdktf-fast-resolve.test.ts and, byte for byte on whole fleets, test/cli/synth-fleet.test.ts.
 * On another cdktf, the module is bundled unpatched (appendToCdktfModule).
 */
export const FAST_RESOLVE_FILE = join(ROOT, 'src', 'cli', 'fast', 'cdktf', 'fast-resolve.js');
const fastResolve = appendToCdktfModule('cdktf-fast-resolve', /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/, FAST_RESOLVE_FILE, [
  'exports.resolve = resolve;', 'const resolvable_1 = ', 'const encoding_1 = ', 'const token_map_1 = ', 'const token_1 = ', 'const errors_1 = ', 'const tokenMap = ', 'function isConstruct(x)', 'function resolveNumberToken(x, context)',
]);

/**
 * cdktf converts every attribute name of every resource to snake case with three regular
 * expressions, each time: src/cli/fast/cdktf/snake-case-memo.js remembers the names it converted (about
 * 1 % of a 1000-host synthesis). Output byte for byte the same (test/cli/synth-fleet.test.ts).
 */
export const SNAKE_CASE_MEMO_FILE = join(ROOT, 'src', 'cli', 'fast', 'cdktf', 'snake-case-memo.js');
const snakeCaseMemo = appendToCdktfModule('cdktf-snake-case-memo', /[\\/]cdktf[\\/]lib[\\/]util\.js$/, SNAKE_CASE_MEMO_FILE, ['function snakeCase(str) {', 'newObject[snakeCase(key)] = value;']);

/**
 * cdktf writes every stack's JSON and the manifest with json-stable-stringify, whose walk cost 7 % of
 * a 1000-host synthesis. The bundles that synthesize take src/cli/fast/cdktf/stable-stringify.js in its
 * place: the same text (test/cli/fast/cdktf-stable-stringify.test.ts), one plain walk; not if cdktf depends
 * on another version than the one that file was written for.
 */
export const STABLE_STRINGIFY_FILE = join(ROOT, 'src', 'cli', 'fast', 'cdktf', 'stable-stringify.js');
const STABLE_STRINGIFY_VERSION = '1.3.0';
const stableStringify = {
  name: 'cdktf-stable-stringify',
  setup(build) {
    build.onResolve({ filter: /^json-stable-stringify$/ }, (args) => {
      const manifest = createRequire(join(args.resolveDir, 'index.js')).resolve('json-stable-stringify/package.json');
      const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
      if (version !== STABLE_STRINGIFY_VERSION) {
        // Another cdktf: its own json-stable-stringify stays (the programs take the plain path).
        return { warnings: [{ text: `${relative(ROOT, STABLE_STRINGIFY_FILE)} was written for json-stable-stringify ${STABLE_STRINGIFY_VERSION}, and ${relative(ROOT, args.importer)} uses ${version}: not replaced` }] };
      }
      return { path: STABLE_STRINGIFY_FILE };
    });
  },
};

/** In the `peekstack` bundle, `require('./synth-fleet')` stays a require of the bundle beside it. */
const synthFleetBesideIt = {
  name: 'synth-fleet-beside-it',
  setup(build) {
    build.onResolve({ filter: /^\.\/synth-fleet$/ }, (args) => (args.kind === 'require-call' ? { path: './synth-fleet', external: true } : undefined));
  },
};

/** Compiles and bundles; throws on a compiler or bundler error. */
export async function build() {
  const hash = inputsHash();
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status})`);
  const { build: bundle } = await import('esbuild');
  mkdirSync(join(ROOT, 'dist', 'bin'), { recursive: true });
  const common = {
    absWorkingDir: ROOT,
    outdir: 'dist/bin',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    // `peekstack preflight`'s engine client, required when preflight runs: ssh2 (under docker-modem)
    // has native optional parts a bundle cannot hold. A runtime dependency of the package.
    external: ['dockerode'],
  };
  // The default fleet is found from the program (src/cli/options.ts), bundled in dist/bin/ or compiled in dist/src/cli/.
  await Promise.all([
    bundle({ ...common, entryPoints: { 'cli.bundle': 'src/cli/cli.ts' }, plugins: [synthFleetBesideIt] }),
    bundle({ ...common, entryPoints: { 'main.bundle': 'src/cli/main.ts', 'synth-fleet': 'src/cli/synth-fleet.ts' }, plugins: [skipTokenStackTraces, fastResolve, snakeCaseMemo, stableStringify] }),
    bundle({ ...common, entryPoints: { peekstack: 'src/cli/bin/peekstack.ts', main: 'src/cli/bin/main.ts', 'cached-load': 'src/cli/fast/cached-load.ts' }, sourcemap: false }),
  ]);
  chmodSync(join(ROOT, 'dist', 'bin', 'peekstack.js'), 0o755);
  warmCodeCaches();
  writeFileSync(STAMP_FILE, hash);
}

/**
 * Runs each program once on the default fleet so that it writes its bundle's code cache
 * (src/cli/fast/cached-load.ts): `validate` for the CLI, a synthesis for the app and for the CLI's synth part.
 */
function warmCodeCaches() {
  const bin = join(ROOT, 'dist', 'bin');
  for (const file of readdirSync(bin)) if (file.endsWith('.v8cache')) rmSync(join(bin, file));
  const scratch = mkdtempSync(join(tmpdir(), 'peekstack-build-'));
  try {
    const fleet = join(ROOT, 'stacks', 'fleet.default.yaml');
    for (const args of [
      [join(bin, 'main.js'), '--fleet', fleet, '--out', join(scratch, 'app')],
      [join(bin, 'peekstack.js'), 'validate', '--fleet', fleet],
      [join(bin, 'peekstack.js'), 'synth', '--fleet', fleet, '--out', join(scratch, 'cli')],
    ]) {
      const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${run.status}):\n${run.stderr}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  build().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
