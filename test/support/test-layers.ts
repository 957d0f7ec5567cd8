/**
 * Which test files make the fast layer (`npm run test:unit`, vitest.unit.config.mts): every test
 * file that starts no process, read from the files themselves so that a new or moved test is
 * classified without a list to keep up to date.
 *
 * A file is left out when it sits in test/real/ or test/deployed/ (real binaries, real Docker
 * engines), or when it or a helper it imports from test/ (followed through relative imports)
 * imports node's child_process: promtool, amtool, vmauth, openssl, npm, or the compiled CLI run as
 * its own node process (which also needs `npm run build` first). `npm test` runs every file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SPAWNS = /\bfrom\s+['"](?:node:)?child_process['"]|\brequire\(\s*['"](?:node:)?child_process['"]\s*\)/;
const RELATIVE_IMPORT = /\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
const SLOW_FOLDERS = ['real', 'deployed'];

/** Every `*.test.ts` under `testDir`, relative to `root`, with `/` separators, sorted. */
function testFiles(root: string, testDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.test.ts')) found.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(testDir);
  return found.sort();
}

/** The file a relative import names, as TypeScript would find it (`x`, `x.ts`, `x/index.ts`). */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.mts`, `${base}.cts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Whether `file`, or a file under `testDir` it imports (transitively), imports child_process. */
function startsProcesses(file: string, testDir: string, seen = new Map<string, boolean>()): boolean {
  const known = seen.get(file);
  if (known !== undefined) return known;
  seen.set(file, false); // an import cycle adds nothing
  const text = readFileSync(file, 'utf8');
  let spawns = SPAWNS.test(text);
  for (const match of text.matchAll(RELATIVE_IMPORT)) {
    if (spawns) break;
    const target = resolveImport(file, match[1]);
    // Only test helpers are followed: the library under test starts no process when imported.
    if (target !== undefined && !relative(testDir, target).startsWith('..')) spawns = startsProcesses(target, testDir, seen);
  }
  seen.set(file, spawns);
  return spawns;
}

/** The test files that start no process, relative to `root` (the repository). */
export function unitTestFiles(root: string): string[] {
  const testDir = join(root, 'test');
  const seen = new Map<string, boolean>();
  return testFiles(root, testDir).filter((file) => {
    const [, folder] = file.split('/');
    if (SLOW_FOLDERS.includes(folder) && file.split('/').length > 2) return false;
    return !startsProcesses(join(root, file), testDir, seen);
  });
}

/**
 * Whether `file` (absolute, or relative to `root`) runs real binaries against wall-clock windows:
 * the files in test/real/, which `npm test` starts first and at normal CPU priority
 * (real-tests-first.mts, yield-cpu.ts).
 */
export function isRealBinaryTest(root: string, file: string): boolean {
  return relative(root, resolve(root, file)).split('\\').join('/').startsWith('test/real/');
}

/** The test files `npm run test:unit` leaves to `npm test`. */
export function processTestFiles(root: string): string[] {
  const unit = new Set(unitTestFiles(root));
  return testFiles(root, join(root, 'test')).filter((file) => !unit.has(file));
}
