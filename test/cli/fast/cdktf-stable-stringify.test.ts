import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

type Stringify = (value: unknown, options?: { space?: number | string; cycles?: boolean }) => string | undefined;
/** The stand-in the bundles use (plain JavaScript, loaded as the bundler loads it). */
const stableStringify = createRequire(__filename)(resolve(__dirname, '..', '..', '..', 'src', 'cli', 'fast', 'cdktf', 'stable-stringify.js')) as Stringify;

/** The package cdktf 0.21.0 writes stacks with, from cdktf's own dependencies. */
const packageStringify = createRequire(require.resolve('cdktf'))('json-stable-stringify') as Stringify;

/** Values as cdktf hands them over, and more: empty collections, undefined, keys that look like numbers, toJSON. */
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('10', '2', '01', '-1', 'a', 'B', '_', 'é', '𝔸', '__proto__x'));
const leaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.date({ noInvalidDate: true }),
  fc.constant({ toJSON: () => ({ b: 1, a: [undefined, 2] }) }),
);
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), tie('array')),
  object: fc.dictionary(key, tie('any'), { maxKeys: 6 }),
  array: fc.array(tie('any'), { maxLength: 5 }),
})).any;

describe('src/cli/fast/cdktf/stable-stringify.js writes what json-stable-stringify writes', () => {
  it.each([[{ space: 2 }], [{ space: 4 }], [{ space: '\t' }], [{ space: 0 }], [undefined]])('generated values, options %j', (options) => {
    fc.assert(
      fc.property(value, (v) => {
        expect(stableStringify(v, options)).toBe(packageStringify(v, options));
      }),
      { numRuns: 2000 },
    );
  });

  it('empty objects and arrays on two lines, keys sorted as strings, undefined left out of objects and null in arrays', () => {
    const v = { b: {}, a: [], 10: [undefined, 1], 2: { z: undefined, y: 1 } };
    const text = stableStringify(v, { space: 2 });
    expect(text).toBe(packageStringify(v, { space: 2 }));
    expect(text).toBe('{\n  "10": [\n    null,\n    1\n  ],\n  "2": {\n    "y": 1\n  },\n  "a": [\n  ],\n  "b": {\n  }\n}');
  });

  it('refuses a circular object as the package does, and an option it does not take', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = { back: circular };
    expect(() => packageStringify(circular, { space: 2 })).toThrow(TypeError);
    expect(() => stableStringify(circular, { space: 2 })).toThrow(new TypeError('Converting circular structure to JSON'));
    expect(() => stableStringify({}, { space: 2, cycles: true })).toThrow(/takes the "space" option only, not "cycles"/);
  });
});
