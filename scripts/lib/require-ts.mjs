/**
 * A `require` for the measurement scripts that loads the project's TypeScript (the test harness under
 * test/, the library under src/) by transpiling each .ts file on require with the project's own
 * `typescript`, to CommonJS like tsconfig.json's output: no extra dependency, no build of test/.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A CommonJS `require` rooted at the repository, with the .ts hook installed. */
export const require = createRequire(path.join(repo, 'package.json'));

const ts = require('typescript');
const Module = require('node:module');
Module._extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
  });
  module._compile(outputText, filename);
};
