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
 * one after the other, 1,800 s in all. Eight lanes overlap those waits; the longest start first, and
 * the CPU-bound files fill the cores between them, 10 nice levels lower (yield-cpu.ts). What makes
 * that many lanes safe is that the exporters run in mount namespaces, not under proot
 * (test/real/mount-namespace/): a harness's collector now takes a few percent of a core, so eight at
 * once leave the CPU to the scrapes the 1 % energy checks time. On a machine busy with other work,
 * `npx vitest run --maxWorkers 1` runs one file at a time, in the same order.
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
    globalSetup: ['test/global-setup.ts', 'test/support/run-temp-dir.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
