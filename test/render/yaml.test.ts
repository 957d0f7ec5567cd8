import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { toYaml } from '../../src/render/yaml';

/** What toYaml writes, rendered anew by the library with the same options (no memo). */
const direct = (document: unknown) => stringify(document, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });

describe('toYaml', () => {
  it('writes strings double-quoted and long lines unfolded, with the header as comments', () => {
    const text = toYaml({ a: '$2a$10$abc', b: 'x'.repeat(300), n: 3 }, 'one\ntwo');
    expect(text).toBe(`# one\n# two\na: "$2a$10$abc"\nb: "${'x'.repeat(300)}"\nn: 3\n`);
  });

  it('gives the same text from the memo as rendered anew, and a changed document is rendered anew', () => {
    const document = { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '5m' }] }] };
    const first = toYaml(document, 'h');
    expect(toYaml(structuredClone(document), 'h')).toBe(first);
    document.groups[0].rules[0].expr = 'up == 1';
    expect(toYaml(document, 'h')).toContain('"up == 1"');
    expect(toYaml(document, 'other header')).toMatch(/^# other header\n/);
  });

  it('keeps apart documents that JSON would confuse: a number and its string, NaN and null, a Date and its ISO string, a hole and null', () => {
    const pairs: [unknown, unknown][] = [
      [{ v: 1 }, { v: '1' }],
      [{ v: Number.NaN }, { v: null }],
      [{ v: new Date(0) }, { v: new Date(0).toISOString() }],
      [{ v: [undefined] }, { v: [null] }],
    ];
    for (const [a, b] of pairs) {
      expect(toYaml(a)).toBe(direct(a));
      expect(toYaml(b)).toBe(direct(b));
      // Twice: the second call may come from the memo.
      expect(toYaml(a)).toBe(direct(a));
      expect(toYaml(b)).toBe(direct(b));
    }
  });
});
