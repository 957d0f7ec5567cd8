import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIP } from 'node:net';
import { ipVersion } from '../src/names';

/** ipVersion asks node's isIP only when a string could be an address: it must answer as isIP always does. */
describe('ipVersion', () => {
  it('answers as node:net isIP on addresses, names and near misses', () => {
    const samples = ['127.0.0.1', '10.0.0.255', '256.1.1.1', '1.2.3', '01.2.3.4', '::', '::1', '2001:db8::1', '::ffff:192.0.2.1', 'fe80::1%eth0', '[::1]', '1:2:3:4:5:6:7:8:9', 'localhost', 'web-1.example.net', '', '1e5', '1.2.3.4:80', 'a:b'];
    for (const text of samples) expect(ipVersion(text), text).toBe(isIP(text));
  });

  it('answers as node:net isIP on generated strings of address characters', () => {
    const text = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.%[]x-'.split('')), maxLength: 45 });
    fc.assert(fc.property(text, (candidate) => ipVersion(candidate) === isIP(candidate)), { numRuns: 3000 });
  });
});
