import { defineConfig } from 'vitest/config';

/**
 * Tests that run a real Docker Engine (test/deployed/, and preflight's engine tests): run by
 * vitest.engines.config.mts after the rest, one file at a time, so three engines never load the
 * machine while the real-binary tests measure power and energy against their tolerances.
 */
export const ENGINE_TEST_FILES = ['test/deployed/**/*.test.ts', 'test/preflight/engines.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...ENGINE_TEST_FILES],
    setupFiles: ['test/setup.ts'],
    // Real-binary tests start processes and wait for scrapes; give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
