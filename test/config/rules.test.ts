import { describe, expect, it } from 'vitest';
import { Testing, TerraformStack } from 'cdktf';
import { Collector } from '../../src/collector/collector';
import { parseFleet } from '../../src/config';
import { decodeFleetBytes } from '../../src/config/decode';
import { validateDockerEndpoint } from '../../src/core/docker-endpoint';
import { describeValue, escapeControl, listSome, quote } from '../../src/core/errors';
import { urlHost } from '../../src/core/names';
import { containsSecret, isSecretName, redactSecrets } from '../../src/core/secrets';
import { closestKey } from '../../src/config/suggest';
import { addressProblem } from '../../src/core/validate';
import { VALID_FLEET } from './helpers';

/**
 * The shared rules behind the corpus: addresses, Docker endpoints, secrets, and how values are
 * shown. Each is one function used by the fleet schema and the constructs alike.
 */

const GOOD_ADDRESSES = ['web-1', 'web-1.example.net', 'a.b-c.d', 'localhost', '192.0.2.11', '0.1.2.3', '255.255.255.255', '::1', '2001:db8::5', 'x'.repeat(63) + '.example', 'xn--bcher-kva.example'];
const BAD_ADDRESSES = [
  '', '256.1.1.1', '1.2.3.4.5', '1.2.3', ':::', '::', '0.0.0.0', '-web', 'web-', 'a..b', '.web', 'web.', 'web:19090', '[::1]', 'https://web',
  'u@web', 'web 1', 'web_1', 'x'.repeat(64), `${'a'.repeat(60)}.`.repeat(4) + 'abcdefghij', 'fe80::1%eth0', '01.2.3.4', '1.2.3.4:80', 'wéb',
];

/** Whether Collector accepts `address`. */
function collectorAccepts(address: string): boolean {
  const stack = new TerraformStack(Testing.app(), 's');
  try {
    new Collector(stack, 'c', { hostName: 'a', addresses: [address] });
    return true;
  } catch {
    return false;
  }
}

/** Whether the fleet file accepts `address` as web-1's first address. */
function fleetAccepts(address: string): boolean {
  try {
    parseFleet(VALID_FLEET.replace('addresses: [web-1.example.net, 192.0.2.11]', `addresses: [${JSON.stringify(address)}]`), 'f.yaml');
    return true;
  } catch {
    return false;
  }
}

describe('addresses', () => {
  it('accepts DNS names, IPv4 dotted quads and IPv6; refuses the rest, saying why', () => {
    for (const address of GOOD_ADDRESSES) expect({ address, problem: addressProblem(address) }).toEqual({ address, problem: undefined });
    for (const address of BAD_ADDRESSES) expect({ address, problem: addressProblem(address) }).toEqual({ address, problem: expect.any(String) });
    expect(addressProblem('web:19090')).toMatch(/a port \(":19090"\)/);
    expect(addressProblem('256.1.1.1')).toMatch(/"256"/);
  });

  it('the fleet file and Collector accept exactly the same addresses (one rule)', () => {
    for (const address of [...GOOD_ADDRESSES, ...BAD_ADDRESSES]) {
      expect({ address, file: fleetAccepts(address) }).toEqual({ address, file: collectorAccepts(address) });
    }
  });

  it('only a real IPv6 address gets brackets in a URL', () => {
    expect(urlHost('2001:db8::5')).toBe('[2001:db8::5]');
    expect(urlHost('web-1')).toBe('web-1');
  });
});

describe('Docker endpoints', () => {
  const refuses = (host: string, certPath?: string) => () => validateDockerEndpoint('docker', { host, certPath });
  it('accepts the three schemes with hosts by the address rule and ports 1-65535', () => {
    for (const host of ['unix:///var/run/docker.sock', 'ssh://deploy@web-1', 'ssh://deploy@192.0.2.1:22', 'ssh://deploy@[2001:db8::1]:2222']) expect(refuses(host)).not.toThrow();
    for (const host of ['tcp://db:1', 'tcp://db:65535', 'tcp://[::1]:2376']) expect(refuses(host, '/certs')).not.toThrow();
  });

  it.each([
    ['tcp://db:0', /the port "0"/],
    ['tcp://db:65536', /the port "65536"/],
    ['tcp://db', /no port/],
    ['ssh://deploy@web:99999', /the port "99999"/],
    ['ssh://web', /no user name/],
    ['ssh://deploy@256.0.0.1', /"256"/],
    ['tcp://u@db:2376', /a user name/],
    ['unix://relative.sock', /not absolute/],
  ])('refuses %s', (host, message) => {
    expect(refuses(host, '/certs')).toThrow(message);
  });

  it('never shows an ssh password, even one with spaces', () => {
    expect(refuses('ssh://deploy:pa ss Zq9@web-1')).toThrow(/"ssh:\/\/deploy:<redacted>@web-1"/);
    expect(refuses('ssh://deploy:pa ss Zq9@web-1')).not.toThrow(/pa ss|Zq9/);
  });
});

describe('secrets', () => {
  it('names secrets word by word', () => {
    for (const name of ['password', 'sslpassword', 'token', 'access_token', 'apiKey', 'api-key', 'key', 'sig', 'X-Amz-Signature', 'client_secret', 'credentials', 'privateKey', 'passphrase']) {
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: true });
    }
    for (const name of ['sslkey', 'PasswordAuthentication', 'keepalive', 'host', 'source', 'certPath', 'monkey', 'mode']) {
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: false });
    }
  });

  it.each([
    ['postgres://ci:hunter2@db/state', 'postgres://ci:<redacted>@db/state'],
    ['ssh://u:p@ss/w?rd@host', 'ssh://u:<redacted>@host'],
    ['host=db password=hunter2 dbname=x', 'host=db password=<redacted> dbname=x'],
    ["host=db password='two words' dbname=x", 'host=db password=<redacted> dbname=x'],
    ['host=db password=a&b;c dbname=x', 'host=db password=<redacted> dbname=x'],
    ['https://s/x?mode=1&token=abc==&y=2', 'https://s/x?mode=1&token=<redacted>&y=2'],
    ['https://s/x?X-Amz-Signature=a b c', 'https://s/x?X-Amz-Signature=<redacted>'],
    ['/etc/certs?sig=abc', '/etc/certs?sig=<redacted>'],
    // Found by the property test: quotes in a query neither quote nor end the value.
    ['/etc/certs?token="" abc', '/etc/certs?token=<redacted>'],
  ])('redacts %s', (value, redacted) => {
    expect(redactSecrets(value, 'value')).toBe(redacted);
    expect(containsSecret(value)).toBe(true);
  });

  it('leaves secret-free values alone', () => {
    for (const value of ['postgres://ci@db/state?sslmode=require', 'host=db sslkey=/etc/key.pem', 'ssh://deploy@web-1:22', 'https://s/{stack}?mode=1', '-oPasswordAuthentication=no']) {
      expect(containsSecret(value)).toBe(false);
    }
  });
});

describe('values in messages', () => {
  it('shows .inf and .nan as YAML writes them', () => {
    expect([Infinity, -Infinity, NaN].map(describeValue)).toEqual(['.inf', '-.inf', '.nan']);
    expect(describeValue({ a: Infinity })).toBe('{"a":".inf"}');
  });

  it('cuts a self-containing value instead of failing', () => {
    const loop: unknown[] = [];
    loop.push(loop);
    expect(describeValue(loop)).toBe('["[recursive]"]');
  });

  it('escapes control, bidirectional and C1 characters, in values and keys', () => {
    expect(quote('a\u001b[2Jb\nok\u202e\u009b')).toBe('"a\\u001b[2Jb\\nok\\u202e\\u009b"');
    expect(describeValue({ 'k\u001b': 'v\u0085' })).toBe('{"k\\u001b":"v\\u0085"}');
    expect(escapeControl('tab\there')).toBe('tab\\there');
  });

  it('redacts values under secret-named keys inside a shown collection, and secrets inside strings', () => {
    expect(describeValue([{ host: 'a', password: 'hunter2' }])).toBe('[{"host":"a","password":"<redacted>"}]');
    expect(describeValue('postgres://u:hunter2@db')).toBe('"postgres://u:<redacted>@db"');
  });

  it('cuts long strings and says how long they were', () => {
    expect(quote('x'.repeat(300))).toBe(`"${'x'.repeat(60)}..." (300 characters)`);
  });

  it('lists the first five of a long list and the count', () => {
    expect(listSome(['a', 'b'])).toBe('"a", "b"');
    expect(listSome(Array.from({ length: 12 }, (_, i) => `h${i}`))).toBe('"h0", "h1", "h2", "h3", "h4" and 7 more (12 in all)');
  });
});

describe('fleet file bytes', () => {
  it('accepts UTF-8 with a byte order mark, which YAML allows', () => {
    const text = decodeFleetBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID_FLEET)]), 'f.yaml');
    expect(parseFleet(text, 'f.yaml').hosts).toHaveLength(3);
  });

  it('points at the first byte that is not UTF-8, counting characters', () => {
    expect(() => decodeFleetBytes(Buffer.from('a: é', 'latin1'), 'f.yaml')).toThrow(/^f\.yaml:1:4: found a byte that is not UTF-8 \(0xe9/);
    // "é" in UTF-8 is two bytes but one column.
    expect(() => decodeFleetBytes(Buffer.concat([Buffer.from('x: 1\na: é '), Buffer.from([0xff])]), 'f.yaml')).toThrow(/^f\.yaml:2:6: found a byte that is not UTF-8 \(0xff/);
  });
});

describe('did you mean', () => {
  it('suggests the allowed key a typo was meant to be, and nothing for unrelated keys', () => {
    const keys = ['hosts', 'defaults', 'interface', 'store', 'credentials'];
    expect(closestKey('credentails', keys)).toBe('credentials');
    expect(closestKey('Hosts', keys)).toBe('hosts');
    expect(closestKey('host', keys)).toBe('hosts');
    expect(closestKey('password', keys)).toBeUndefined();
    expect(closestKey('stor', ['store', 'port'])).toBe('store');
    expect(closestKey('x'.repeat(1000), keys)).toBeUndefined();
  });
});
