import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base, { SETUP_FILES } from './vitest.config.mjs';
import { unitTestFiles } from './test/support/test-layers.js';

/**
 * `npm run test:unit`: the fast layer, every test file that starts no process (no real binary, no
 * promtool, no compiled CLI; see test/support/test-layers.ts for the rule), without the global
 * setup that fetches the real binaries, in one module cache per worker. `npm test` (vitest.config.mts) still runs every file.
 */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  test: {
    ...base.test,
    include: unitTestFiles(root),
    // Not the real binaries' install (no test here runs one); one temp folder for the run.
    globalSetup: ['test/support/run-temp-dir.ts'],
    // One module cache per worker instead of one per file: cdktf and the providers load once, not
    // 33 times (32 s -> 16 s here). Files that would leak state into each other still run isolated
    // in `npm test`, so a unit-only failure points at such a leak.
    isolate: false,
    // Not `npm test`'s lanes and priority (vitest.config.mts): with one module cache per worker,
    // vitest's default worker count loads cdktf fewest times, and a lowered priority would outlive
    // the file that asked for it.
    maxWorkers: undefined,
    setupFiles: SETUP_FILES,
  },
});
