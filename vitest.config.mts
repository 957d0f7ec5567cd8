import { defineConfig } from 'vitest/config';
import RealTestsFirst from './test/support/real-tests-first.mjs';

/**
 * Tests that run a real Docker Engine (test/deployed/, and preflight's engine tests): run by
 * vitest.engines.config.mts after the rest, one file at a time, so three engines never load the
 * machine while the real-binary tests measure power and energy against their tolerances.
 */
export const ENGINE_TEST_FILES = ['test/deployed/**/*.test.ts', 'test/preflight/engines.test.ts'];

/** The setup every configuration runs in each worker (cdktf's matchers). */
export const SETUP_FILES = ['test/setup.ts'];

/**
 * Test files at once in `npm test`. vitest's default on this 2-core machine is one (cores - 1): the
 * real-binary files, which mostly wait for wall-clock windows (see real-tests-first.mts), then ran
 * one after the other, 990 s in all. Five lanes start the five longest waits together; the
 * CPU-bound files follow, 10 nice levels lower (yield-cpu.ts). More lanes run more simulated hosts
 * at once: each collector of the harness (Scaphandre under proot above all) takes 15-30 % of a core,
 * and a Scaphandre starved of CPU reads its counters late and misses the 1 % energy checks. Seen on
 * this machine at load 13-35 from other suites: the five first files' seven Scaphandres did not all
 * answer their first /metrics within the harness's 30 s (docs/real-tests.md, Run time); there,
 * `npx vitest run --maxWorkers 1` runs one file at a time as before.
 */
const TEST_FILES_AT_ONCE = 8;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...ENGINE_TEST_FILES],
    setupFiles: [...SETUP_FILES, 'test/support/yield-cpu.ts'],
    maxWorkers: TEST_FILES_AT_ONCE,
    sequence: { sequencer: RealTestsFirst },
    // Real-binary tests start processes and wait for scrapes; give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
