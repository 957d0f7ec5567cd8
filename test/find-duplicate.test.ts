import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findDuplicate } from '../src/core/validate';

describe('findDuplicate', () => {
  it('answers the first repeat, in order, as a scan of earlier values would', () => {
    const values = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 10 });
    fc.assert(
      fc.property(values, (list) => findDuplicate(list) === list.find((value, index) => list.indexOf(value) !== index)),
      { numRuns: 2000 },
    );
    expect(findDuplicate(['x', 'y', 'y', 'x'])).toBe('y');
    expect(findDuplicate(['x', 'y'])).toBeUndefined();
  });
});
