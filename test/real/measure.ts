/**
 * Accuracy assertions and measured numbers for the real-binary tests. Each measured value is also
 * printed (`[measured] ...`), so a run shows the errors docs/real-tests.md publishes.
 */
import { expect } from 'vitest';

/** Assert `actual` is within `fraction` of `expected`, with a readable message. */
export function expectWithin(actual: number | undefined, expected: number, fraction: number, what: string): void {
  expect(actual, `${what} missing`).toBeDefined();
  const rel = Math.abs((actual as number) - expected) / expected;
  expect(rel, `${what}: got ${actual}, expected ${expected} ± ${fraction * 100} % (off by ${(rel * 100).toFixed(3)} %)`).toBeLessThanOrEqual(fraction);
}

/** Prints a measured value, with its relative error when the true value is given. */
export function measured(what: string, value: number, truth?: number): void {
  const error = truth === undefined ? '' : ` (truth ${Number(truth.toPrecision(8))}, error ${(((value - truth) / truth) * 100).toFixed(3)} %)`;
  console.log(`[measured] ${what}: ${Number(value.toPrecision(8))}${error}`);
}
