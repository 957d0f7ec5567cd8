import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { isRealBinaryTest } from './test-layers.js';

/**
 * The real-binary files whose wall-clock waits are longest, longest first, with what they wait for
 * (measured durations: docs/real-tests.md#run-time). A fresh clone has no timings in vitest's cache,
 * and file size says little (wrap.test.ts is among the smallest and waits 80 s): the longest waits
 * must start in the first lanes, or one of them starts late and ends the run. A real-binary file
 * not listed here runs after these, still before the rest.
 */
const LONGEST_WAITS = [
  'test/real/energy-coverage.test.ts', // ~220 s: a wrap 110 s in, a 120 s window, VictoriaMetrics' 30 s latency offset
  'test/real/fleet-store.test.ts', // ~185 s: 55 s to settle in the store, a 60 s outage, 35 s to settle again
  'test/real/power-split.test.ts', // ~140 s (serial run, 2026-12-07)
  'test/real/vmalert.test.ts', // ~135 s: heartbeats stopped and resumed twice
  'test/real/ipmi.test.ts', // ~130 s (serial run, 2026-12-07)
  'test/real/faults.test.ts', // ~120 s: three kills with 10 s of margin on each side, the store settling
  'test/real/platform-power.test.ts', // ~110 s (serial run, 2026-12-07)
  'test/real/energy-carbon.test.ts', // ~95 s (serial run, 2026-12-07)
  'test/real/wrap.test.ts', // ~80 s: a wrap 45 s in, in the middle of a 60 s window
  'test/real/energy-command.test.ts', // ~70 s: 66 s of data for a 60 s window, a `sleep 30` run
  'test/real/prometheus.test.ts', // ~65 s: 50 s of energy records, a step response
  'test/real/rules.test.ts', // ~60 s: a full minute of data for a [1m] rate
  'test/real/alertmanager-pair.test.ts', // ~50 s (serial run, 2026-12-07)
  'test/real/alerting.test.ts', // ~25 s: a target down past its 10 s `for`, then back
];

/**
 * `npm test`'s file order: the real-binary files (test/real/) first, the longest waits first, then
 * every other file in vitest's own order (slowest first when a previous run left its timings in the
 * cache, larger files first on a fresh clone).
 *
 * Why: the real-binary files spend most of their time waiting for windows of wall-clock time with a
 * fraction of a CPU, the others are CPU-bound. vitest.config.mts runs several files at once: started
 * first, the waits overlap from the beginning and the CPU-bound files fill the cores after them (at
 * a lower priority, test/support/yield-cpu.ts). In vitest's order the 80 s wait of wrap.test.ts, a
 * small file, came among the last and ended the run.
 */
export default class RealTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = (spec: TestSpecification) => spec.project.config.root;
    const rank = (spec: TestSpecification) => {
      const at = LONGEST_WAITS.indexOf(relative(root(spec), spec.moduleId).split('\\').join('/'));
      return at < 0 ? LONGEST_WAITS.length : at;
    };
    const real = sorted.filter((spec) => isRealBinaryTest(root(spec), spec.moduleId));
    // Array.prototype.sort is stable: the unlisted real files keep vitest's order among themselves.
    return [...[...real].sort((a, b) => rank(a) - rank(b)), ...sorted.filter((spec) => !real.includes(spec))];
  }
}
