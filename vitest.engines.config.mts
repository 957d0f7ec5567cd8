import { defineConfig } from 'vitest/config';
import base, { ENGINE_TEST_FILES, SETUP_FILES } from './vitest.config.mjs';

/**
 * The second part of `npm test`: the tests on real Docker Engines, after the rest, one file at a time
 * (each starts its own engines), with their run time reported on their own.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ENGINE_TEST_FILES,
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    // The install of the tools only: the engines' sockets stay under the plain /tmp (run-temp-dir.ts).
    globalSetup: ['test/global-setup.ts'],
    // Alone after the rest: no CPU to yield to the real-binary files (test/support/yield-cpu.ts).
    setupFiles: SETUP_FILES,
  },
});
