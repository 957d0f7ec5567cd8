import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Loads the bundled programs with V8's code cache (Node 20 has no module compile cache; this is
 * what `v8-compile-cache` does). Compiling the 1.8 MB synthesis bundle, and then each function it
 * runs, was a quarter of the time of `npm run synth` on the default fleet: with the code cache V8
 * takes both from the cache file written beside the bundle (`<bundle>.v8cache`).
 *
 * The cache is written at the end of a run when it was missing or V8 rejected it (another Node,
 * another bundle), so it also holds the functions that run used; `npm run build` makes it by running
 * each program once. Writing it is best effort: a read-only install simply runs without.
 */

const loaded = new Map<string, unknown>();

/** The exports of the CommonJS bundle at `file`, compiled from its code cache when it has one. */
export function loadCached(file: string): unknown {
  if (loaded.has(file)) return loaded.get(file);
  const cacheFile = `${file}.v8cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // A hashbang is only valid at the very start of a script, not inside the module wrapper.
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => writeCache(cacheFile, () => script.createCachedData()));
  }
  const module = new Module(file);
  module.filename = file;
  module.loaded = true;
  const realRequire = createRequire(file);
  // A bundle requires its siblings (cli.bundle.js requires ./synth-fleet): through the cache too.
  const require = Object.assign((id: string) => (id.startsWith('./') ? loadCached(join(dirname(file), id.endsWith('.js') ? id : `${id}.js`)) : realRequire(id)), realRequire);
  loaded.set(file, module.exports);
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, dirname(file));
  loaded.set(file, module.exports);
  return module.exports;
}

/** Writes the cache beside its bundle, atomically (a concurrent run reads a whole file or none). */
function writeCache(cacheFile: string, data: () => Buffer): void {
  const temporary = join(dirname(cacheFile), `.${basename(cacheFile)}.${process.pid}`);
  try {
    writeFileSync(temporary, data());
    renameSync(temporary, cacheFile);
  } catch {
    // Read-only install, full disk: run without a cache next time too.
  }
}
