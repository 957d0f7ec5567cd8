import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';

/**
 * The programs' bundles append patches (src/cli/fast/cdktf/*.js) to some of cdktf's modules
 * (scripts/build.mjs). These helpers load such a module both ways, side by side, so tests can
 * compare the patched module with the stock one.
 */

const ROOT = resolvePath(__dirname, '..', '..');

/** The file of cdktf's module `id` (such as "cdktf/lib/util.js"), as this project resolves it. */
export function cdktfModuleFile(id: string): string {
  return require.resolve(id, { paths: [ROOT] });
}

/** cdktf's module at `file` as it is, loaded by node (the stock side of a comparison). */
export function stockCdktfModule<T>(file: string): T {
  return createRequire(join(ROOT, 'package.json'))(file) as T;
}

/** cdktf's module at `file` with src/cli/fast/cdktf/`patch` appended, compiled as the build makes it (its requires are cdktf's own modules). */
export function patchedCdktfModule<T>(file: string, patch: string): T {
  const source = `${readFileSync(file, 'utf8')}\n${readFileSync(join(ROOT, 'src', 'cli', 'fast', 'cdktf', patch), 'utf8')}`;
  const module = new Module(file) as Module & { _compile(code: string, file: string): void; paths: string[] };
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(join(file, '..'));
  module._compile(source, file);
  return module.exports as T;
}
