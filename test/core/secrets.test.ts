import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REDACTED, redactSecrets, redactUserinfo, type RedactScope } from '../../src/core/secrets';

/**
 * The user-information rule of src/secrets.ts is scanned by hand so that its time stays linear in
 * the text's length. Its meaning is the one of the backtracking expressions it replaced, kept here as
 * the reference: on short texts (where their square time does not matter) both must redact alike.
 */
const REFERENCE_USERINFO: Record<RedactScope, RegExp> = {
  value: /([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)([^\n]*)(@)/gi,
  line: /([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)(\S+)(@)/gi,
};
const referenceUserinfo = (text: string, scope: RedactScope) => text.replace(REFERENCE_USERINFO[scope], (_m, before: string, _s: string, at: string) => `${before}${REDACTED}${at}`);

/** Texts made of the characters the rule reacts to, so that URLs, near-URLs and "@"s are frequent. */
const urlish = fc.string({ unit: fc.constantFrom(...'ab1+.-:/@?# \n'.split(''), 'http://', 'u:p@', '://'), maxLength: 40 });

describe('user information in URLs', () => {
  it.each(['value', 'line'] as const)('redacts as the reference expression does (%s scope)', (scope) => {
    fc.assert(
      fc.property(urlish, (text) => {
        expect(redactUserinfo(text, scope)).toBe(referenceUserinfo(text, scope));
      }),
      { numRuns: 3000 },
    );
  });

  it('hides the password up to the last "@" of a line, and of a word in a printed line', () => {
    expect(redactSecrets('ssh://deploy:p@ss@host/x and more', 'value')).toBe(`ssh://deploy:${REDACTED}@host/x and more`);
    expect(redactSecrets('url smtp://u:pw@mail:25 then x@y', 'line')).toBe(`url smtp://u:${REDACTED}@mail:25 then x@y`);
    expect(redactSecrets('1abc://u:pw@h', 'line')).toBe(`1abc://u:${REDACTED}@h`);
  });

  it('reads each character a bounded number of times: 4 times the text, at most 10 times the work', () => {
    // Shapes that made the old expressions backtrack over the rest of the text at every position.
    const shapes = [(n: number) => 'a'.repeat(n), (n: number) => 'a://b:'.repeat(n / 6), (n: number) => 'a://'.repeat(n / 4), (n: number) => 'x://u:'.repeat(n / 6) + '\n@'];
    for (const shape of shapes) {
      // CPU time, not wall time: beside npm test's other files a long run is preempted more often
      // than a short one, which inflated the wall-time ratio (17x once, with linear code).
      const time = (text: string) => {
        const start = process.cpuUsage();
        redactSecrets(text, 'value');
        redactSecrets(text, 'line');
        const used = process.cpuUsage(start);
        return used.user + used.system;
      };
      // Both sizes outgrow a core's own cache (1 MiB of L2 here). A text that fits it runs faster per
      // character, the more so while other processes crowd the shared L3: 256 Ki against 1 Mi read
      // 12.7x under CI's parallel files, which is the cache, not the algorithm (4.0x from 1 to 4 Mi).
      const smallText = shape(1 << 20);
      const largeText = shape(1 << 22);
      time(smallText); // warm up
      // Small and large alternate, and the fastest run of each counts: a garbage collection or a cache
      // emptied by another process only ever adds time.
      let small = Infinity;
      let large = Infinity;
      for (let i = 0; i < 5; i++) {
        small = Math.min(small, time(smallText));
        large = Math.min(large, time(largeText));
      }
      // Linear: 4x; the square time of before was 16x. 10x leaves room for a noisy shared machine.
      expect(large / small, `shape ${shape(12)}`).toBeLessThan(10);
    }
  });
});
