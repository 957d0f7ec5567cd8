/**
 * vitest setup file of `npm test` (vitest.config.mts only): every test file outside test/real/ runs
 * its worker, and whatever the worker starts (promtool, the compiled CLI), 10 nice levels below
 * the real-binary files (nice 10 under a plain `npm test`, 19 under `nice -n 10 npm test`).
 *
 * Why: the real-binary files run side by side with the CPU-bound ones (see real-tests-first.mts and
 * `maxWorkers` in vitest.config.mts). They hold power and energy to 1-2 % of a simulation, and a
 * scrape or a counter write delayed by a busy CPU reads late: those processes must get the CPU when
 * they wake. Ten levels down a process gets about a tenth of the CPU share of one ten levels up when
 * both want the CPU: the synth and render tests still use every idle cycle, and yield as soon as a
 * real binary wants one. Not straight to 19: on a machine shared with other work at nice 10, a
 * nice-19 worker gets a seventh of its share, and the CPU-bound tests with a time limit
 * (input-size.test.ts, the property tests) would miss it. A worker runs one file (`isolate`,
 * vitest's default), so the priority ends with it.
 */
import { getPriority, setPriority } from 'node:os';
import { expect } from 'vitest';
import { isRealBinaryTest } from './test-layers';
import { REPO_ROOT } from '../real/tools';

/** How many nice levels the CPU-bound files step down (see above); Linux stops at 19. */
const YIELD_NICE_LEVELS = 10;
const LOWEST_PRIORITY = 19;

const testFile = expect.getState().testPath;
if (testFile && !isRealBinaryTest(REPO_ROOT, testFile)) setPriority(Math.min(LOWEST_PRIORITY, getPriority() + YIELD_NICE_LEVELS));
