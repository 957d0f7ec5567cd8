import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli';
import { VALID_FLEET } from './helpers';

/**
 * Property: a secret written into a fleet file (under a secret-named key, or in a URL's user
 * information or query string, or in a keyword connection string) is refused, and never appears in
 * stdout, stderr or any file under --out, neither raw nor JSON-escaped. Runs the CLI in-process
 * (`runCli` with captured output; node's own streams and warnings are watched too).
 */

const work = mkdtempSync(join(tmpdir(), 'peekstack-secrets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Characters of a password written raw in a URL's user information: anything but a line break. */
const userinfoChar = fc.constantFrom(...'abcXYZ019-._~!$&\'()*+,;=%:@/?# "\\'.split(''));
/** Characters of a query value: any but the separators &, ; and #. */
const queryChar = fc.constantFrom(...'abcXYZ019-._~!$\'()*+,=%:@/? "'.split(''));
/** Characters of an unquoted libpq keyword value: no white space, no quote at the start. */
const keywordChar = fc.constantFrom(...'abcXYZ019-._~!$&()*+,;=%:@/?#'.split(''));

/** A secret of at least 8 characters, from `char`, or (under a key) any text at all. */
const secretOf = (char: fc.Arbitrary<string>) => fc.string({ unit: char, minLength: 8, maxLength: 24 });
const anySecret = fc.string({ unit: 'binary', minLength: 8, maxLength: 24 });

/** YAML's double-quoted scalars take JSON strings: one way to write any text. */
const y = (text: string) => JSON.stringify(text);

const SECRET_PARAMETERS = ['password', 'token', 'access_token', 'secret', 'key', 'sig', 'api_key', 'X-Amz-Signature', 'X-Amz-Security-Token', 'auth', 'client_secret', 'sslpassword'];
const SECRET_KEYS = ['password', 'token', 'secret', 'apiKey', 'privateKey', 'credentials', 'adminPassword', 'client_secret', 'passphrase'];

/** Where the backend goes: under `defaults`. */
const withBackend = (backend: string) => `defaults:\n  backend: ${backend}\n${VALID_FLEET}`;

/** One way of placing a secret in the fleet file: its text given the secret. */
const placement = fc.oneof(
  // URL user information.
  fc.tuple(fc.constantFrom('ssh://deploy:', 'tcp://admin:'), secretOf(userinfoChar)).map(([prefix, secret]) => ({
    secret,
    text: VALID_FLEET.replace('host: ssh://deploy@web-1.example.net', `host: ${y(`${prefix}${secret}@web-1.example.net${prefix.startsWith('tcp') ? ':2376' : ''}`)}`),
  })),
  secretOf(userinfoChar).map((secret) => ({ secret, text: withBackend(`{ type: pg, connStr: ${y(`postgres://ci:${secret}@db.example.net/state`)} }`) })),
  secretOf(userinfoChar).map((secret) => ({
    secret,
    text: withBackend(`{ type: http, address: ${y(`https://ci:${secret}@state.example.net/{stack}`)}, lockAddress: "https://state.example.net/{stack}/lock" }`),
  })),
  // Query strings.
  fc.tuple(fc.constantFrom(...SECRET_PARAMETERS), secretOf(queryChar), fc.constantFrom('pg', 'http', 's3')).map(([name, secret, type]) => {
    const url = (base: string) => y(`${base}?mode=1&${name}=${secret}`);
    const backend =
      type === 'pg'
        ? `{ type: pg, connStr: ${url('postgres://db.example.net/state')} }`
        : type === 'http'
          ? `{ type: http, address: "https://state.example.net/{stack}", lockAddress: ${url('https://state.example.net/{stack}/lock')} }`
          : `{ type: s3, bucket: state, endpoint: ${url('https://minio.example.net/')} }`;
    return { secret, text: withBackend(backend) };
  }),
  // libpq keyword connection strings, quoted or not.
  fc.tuple(secretOf(keywordChar), fc.boolean()).map(([secret, quoted]) => ({
    secret,
    text: withBackend(`{ type: pg, connStr: ${y(`host=db.example.net password=${quoted ? `'${secret}'` : secret} dbname=state`)} }`),
  })),
  // Any text under a secret-named key, anywhere: misplaced, misspelt, or the wrong type.
  fc.tuple(fc.constantFrom(...SECRET_KEYS), anySecret, fc.constantFrom('top', 'host', 'interface', 'defaults', 'credentials', 'exporter', 'store')).map(([key, secret, where]) => {
    const entry = `${key}: ${y(secret)}`;
    const text = {
      top: `${VALID_FLEET}${entry}\n`,
      host: VALID_FLEET.replace('    addresses: [ops.example.net]\n', `    addresses: [ops.example.net]\n    ${entry}\n`),
      interface: VALID_FLEET.replace('  host: ops\n', `  host: ops\n  ${entry}\n`),
      defaults: `defaults:\n  ${entry}\n${VALID_FLEET}`,
      credentials: `${VALID_FLEET}credentials: { source: variables, ${entry} }\n`,
      exporter: VALID_FLEET.replace('    addresses: [ops.example.net]\n', `    addresses: [ops.example.net]\n    exporters: { cadvisor: { ${entry} } }\n`),
      store: `${VALID_FLEET}store: { kind: mimir, url: "https://mimir.example.net", queryUrl: "https://mimir.example.net", auth: basic, username: ci, ${entry} }\n`,
    }[where];
    return { secret, text };
  }),
  anySecret.map((secret) => ({ secret, text: `${VALID_FLEET}credentials: ${y(secret)}\n` })),
  anySecret.map((secret) => ({ secret, text: `${VALID_FLEET}credentials: { source: ${y(secret)} }\n` })),
  secretOf(queryChar).map((secret) => ({ secret, text: `${VALID_FLEET}store: { kind: mimir, url: ${y(`https://mimir.example.net/push?mode=1&token=${secret}`)}, queryUrl: "https://mimir.example.net" }\n` })),
  secretOf(queryChar).map((secret) => ({ secret, text: VALID_FLEET.replace('certPath: /etc/certs/db-1', `certPath: ${y(`/etc/certs/db-1?token=${secret}`)}`) })),
);

/** Every file under `dir` (none when it does not exist), with its content. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path, 'utf8')];
  });
}

/** The secret, its JSON-escaped form, and every 10-character piece of either: none may be printed. */
function tracesOf(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  return forms.flatMap((form) => (form.length <= 10 ? [form] : Array.from({ length: form.length - 9 }, (_, i) => form.slice(i, i + 10))));
}

/** Runs the CLI in-process, capturing its io and anything written to the real streams meanwhile. */
function run(argv: string[]): { code: number; printed: string } {
  let printed = '';
  const capture = (text: string | Uint8Array) => ((printed += String(text)), true);
  const { stdout, stderr } = process;
  const saved = { out: stdout.write, err: stderr.write, warn: process.emitWarning };
  stdout.write = capture as typeof stdout.write;
  stderr.write = capture as typeof stderr.write;
  process.emitWarning = ((warning: string | Error) => capture(String(warning))) as typeof process.emitWarning;
  try {
    const code = runCli(argv, { out: capture, err: capture });
    return { code, printed };
  } finally {
    stdout.write = saved.out;
    stderr.write = saved.err;
    process.emitWarning = saved.warn;
  }
}

describe('secrets in the fleet file', () => {
  it('are refused, and never printed by validate or synth nor written under --out', () => {
    let index = 0;
    fc.assert(
      fc.property(placement, ({ secret, text }) => {
        const file = join(work, `fleet-${index}.yaml`);
        const out = join(work, `out-${index++}`);
        writeFileSync(file, text);
        const validate = run(['validate', '--fleet', file]);
        const synth = run(['synth', '--fleet', file, '--out', out]);
        expect(validate.code, validate.printed).toBe(2);
        expect(synth.code, synth.printed).toBe(2);
        const seen = [validate.printed, synth.printed, ...filesUnder(out)].join('\n');
        for (const trace of tracesOf(secret)) expect(seen).not.toContain(trace);
        rmSync(file);
      }),
      { numRuns: 300 },
    );
  });

  it('the same places without a secret are valid: the refusals above are for the secret, not the shape', () => {
    const clean = [
      withBackend('{ type: pg, connStr: "postgres://ci@db.example.net/state?sslmode=require" }'),
      withBackend('{ type: pg, connStr: "host=db.example.net user=ci dbname=state sslkey=/etc/pg/key.pem" }'),
      withBackend('{ type: http, address: "https://state.example.net/{stack}", lockAddress: "https://state.example.net/{stack}/lock?mode=1" }'),
      withBackend('{ type: s3, bucket: state, endpoint: "https://minio.example.net/?mode=1", key: "{stack}/state" }'),
      `${VALID_FLEET}credentials: { source: variables }\n`,
    ];
    clean.forEach((text, index) => {
      const file = join(work, `clean-${index}.yaml`);
      writeFileSync(file, text);
      const result = run(['validate', '--fleet', file]);
      expect(result.code, result.printed).toBe(0);
    });
  });
});
