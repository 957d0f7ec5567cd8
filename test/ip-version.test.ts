import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIP } from 'node:net';
import { ipVersion } from '../src/core/names';

/** ipVersion checks IPv4 itself and asks node only about a text that could be IPv6: it must answer as isIP always does. */
describe('ipVersion', () => {
  it('answers as node:net isIP on addresses, names and near misses', () => {
    const samples = ['127.0.0.1', '0.0.0.0', '255.255.255.255', '1.2.3.4\n', ' 1.2.3.4', '1.2.3.4.', '1..2.3', '1.2.3.04', '1.2.3.-1', '１.2.3.4', '10.0.0.255', '256.1.1.1', '1.2.3', '01.2.3.4', '::', '::1', '2001:db8::1', '::ffff:192.0.2.1', 'fe80::1%eth0', '[::1]', '1:2:3:4:5:6:7:8:9', 'localhost', 'web-1.example.net', '', '1e5', '1.2.3.4:80', 'a:b'];
    for (const text of samples) expect(ipVersion(text), text).toBe(isIP(text));
  });

  it('answers as node:net isIP on generated strings of address characters', () => {
    const text = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.%[]x-'.split('')), maxLength: 45 });
    fc.assert(fc.property(text, (candidate) => ipVersion(candidate) === isIP(candidate)), { numRuns: 3000 });
  });

  it('answers as node:net isIP on generated dotted quads, valid or nearly', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.integer({ min: 0, max: 255 }).map(String), fc.stringMatching(/^[0-9]{0,4}$/), fc.constantFrom('00', '01', '099', '255', '256', '-1', '+1', ' 1', '1 '));
    const quad = fc.oneof(fc.array(part, { minLength: 4, maxLength: 4 }), fc.array(part, { minLength: 3, maxLength: 5 })).map((parts) => parts.join('.'));
    let valid = 0;
    fc.assert(
      fc.property(quad, (candidate) => {
        if (isIP(candidate) === 4) valid++;
        return ipVersion(candidate) === isIP(candidate);
      }),
      { numRuns: 3000 },
    );
    expect(valid).toBeGreaterThan(100);
  });
});
