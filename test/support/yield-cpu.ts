/**
 * vitest setup file of `npm test` (vitest.config.mts only): every test file outside test/real/ runs
 * its worker, and whatever the worker starts (promtool, the compiled CLI), at the lowest CPU
 * priority.
 *
 * Why: the real-binary files run side by side with the CPU-bound ones (see real-tests-first.mts and
 * `maxWorkers` in vitest.config.mts). They hold power and energy to 1-2 % of a simulation, and a
 * scrape or a counter write delayed by a busy CPU reads late: those processes must get the CPU when
 * they wake. At nice 19 the synth and render tests still use every idle cycle, and yield as soon as
 * a real binary wants one. A worker runs one file (`isolate`, vitest's default), so the priority
 * ends with it.
 */
import { setPriority } from 'node:os';
import { expect } from 'vitest';
import { isRealBinaryTest } from './test-layers';
import { REPO_ROOT } from '../real/tools';

/** The lowest priority Linux gives (nice 19). */
const LOWEST_PRIORITY = 19;

const testFile = expect.getState().testPath;
if (testFile && !isRealBinaryTest(REPO_ROOT, testFile)) setPriority(LOWEST_PRIORITY);
