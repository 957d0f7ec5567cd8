import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cdktfModuleFile, patchedCdktfModule, stockCdktfModule } from '../../support/patched-cdktf';

/**
 * The programs' bundles append src/cli/fast/cdktf/snake-case-memo.js to cdktf's util module
 * (scripts/build.mjs): keysToSnakeCase must convert every key as stock cdktf does, the first time
 * and every time after, also past the memo's bound.
 */

type Util = { keysToSnakeCase(object: unknown): unknown; snakeCase(str: unknown): string };

const utilFile = cdktfModuleFile('cdktf/lib/util.js');
const stock = stockCdktfModule<Util>(utilFile);
const memoized = patchedCdktfModule<Util>(utilFile, 'snake-case-memo.js');

/** Keys as resources have them (camelCase attribute names) and as data has them (anything). */
const key = fc.oneof(fc.constantFrom('imageId', 'logOpts', 'max-size', 'networksAdvanced', 'HTTPServer', '__x__', 'a1B2', 'tags', 'environment', ''), fc.string(), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,12}$/));
const value = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node;

/** What keysToSnakeCase gives, or the message it throws (stock cdktf throws on a null inside). */
function outcome(util: Util, object: unknown): { value?: unknown; error?: string } {
  try {
    return { value: util.keysToSnakeCase(object) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('the programs’ cdktf snakeCase (src/cli/fast/cdktf/snake-case-memo.js)', () => {
  it('converts every key as stock cdktf does, the first time and again', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (object) => {
        const expected = outcome(stock, object);
        expect(outcome(memoized, object)).toEqual(expected);
        expect(outcome(memoized, object)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('still converts keys once it remembers as many as it keeps', () => {
    const many = Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`someKey${i}Name`, i]));
    expect(memoized.keysToSnakeCase(many)).toEqual(stock.keysToSnakeCase(many));
    expect(memoized.keysToSnakeCase({ lastKeyWithNoRoom: 1, someKey1Name: 2 })).toEqual({ last_key_with_no_room: 1, some_key1_name: 2 });
  });
});
