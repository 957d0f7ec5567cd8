import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadFleetFile } from '../../src/config';
import { plainYaml } from '../../src/render/plain-yaml';
import { toYaml } from '../../src/render/yaml';
import { synthFleet } from '../../src/cli/synth-fleet';

/** What `yaml` writes with toYaml's options (src/render/yaml.ts): the reference. */
const byYaml = (document: unknown) => stringify(document, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });

/** Names as PeekStack's files have them: the keys plainYaml writes itself. */
const nameKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_./-]{0,12}$/).filter((key) => !/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL)$/.test(key));
/** Strings of the characters configs hold (no line break, no control character). */
const plainText = fc.string({ unit: fc.constantFrom(...'aZ09 _-.:/#@&*!|>\'"%`?,[]{}$\\=+~^()<>éλ✓\u2028'.split('')), maxLength: 16 });
const plainScalar = fc.oneof(plainText, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constantFrom(-0, 1e21, 1.5e-7, 0.1));

/** Documents inside the subset: plainYaml must write them itself. */
const insideDocument = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, plainScalar, tie('map'), tie('seq')),
  map: fc.dictionary(nameKey, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  seq: fc.array(tie('value'), { maxLength: 4 }),
})).map as fc.Arbitrary<Record<string, unknown>>;

/** Anything a document might hold, most of it outside the subset. */
const anyKey = fc.oneof(nameKey, fc.constantFrom('true', 'Null', 'FALSE', 'a b', '1x', '-x', 'x:', '', 'a: b', '#c', '? q', '---', '"q"', 'k'.repeat(1030), '10', '0x1f', '.inf'));
const anyScalar = fc.oneof(
  plainScalar,
  fc.string({ unit: fc.constantFrom(...'a \n\t\r\u0000\u0007\u001b\u0085\u00a0\u2029\ud800#:"\\'.split('')), maxLength: 12 }),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, undefined, new Date(0), '---', '... x', '%YAML', ' lead', 'trail ', 'a\n\nb', ' \n '),
);
const anyDocument = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, anyScalar, tie('map'), tie('seq')),
  map: fc.dictionary(anyKey, tie('value'), { maxKeys: 5 }),
  seq: fc.array(tie('value'), { maxLength: 4 }),
})).value;

describe('plainYaml writes what yaml writes', () => {
  it('documents inside the subset: written, and byte for byte as yaml writes them', () => {
    fc.assert(
      fc.property(insideDocument, (document) => {
        const text = plainYaml(document);
        expect(text).toBeDefined();
        expect(text).toBe(byYaml(document));
      }),
      { numRuns: 3000 },
    );
  });

  it('anything else: left to yaml (undefined), or written as yaml writes it', () => {
    let written = 0;
    fc.assert(
      fc.property(anyDocument, (document) => {
        const text = plainYaml(document);
        if (text !== undefined) {
          written++;
          expect(text).toBe(byYaml(document));
        }
      }),
      { numRuns: 3000 },
    );
    // The generator reaches both sides of the line.
    expect(written).toBeGreaterThan(100);
  });

  it.each([
    ['a string with a line break', { a: 'one\ntwo' }],
    ['a control character', { a: 'bell\u0007' }],
    ['an unpaired surrogate', { a: '\ud800' }],
    ['a key YAML reads as a boolean', { true: 1 }],
    ['a key with a space', { 'a b': 1 }],
    ['NaN', { a: Number.NaN }],
    ['a Date', { a: new Date(0) }],
    ['undefined in a list', { a: [undefined] }],
    ['a list at the top', [1, 2]],
    ['an object met twice (yaml writes an anchor and an alias)', (() => {
      const tls = { ca_file: '/etc/ca.crt' };
      return { email: { tls_config: tls }, webhook: { tls_config: tls } };
    })()],
    ['an empty object met twice', (() => {
      const empty = {};
      return { one: empty, two: { three: empty } };
    })()],
    ['a list met twice', (() => {
      const list = ['a'];
      return { one: list, two: [list] };
    })()],
  ])('leaves %s to yaml', (_, document) => {
    expect(plainYaml(document)).toBeUndefined();
  });

  it('toYaml of a document holding one object twice writes the anchor and alias yaml writes', () => {
    const tls = { ca_file: '/etc/ca.crt' };
    const document = { receivers: [{ name: 'mail', tls_config: tls }, { name: 'hook', tls_config: tls }] };
    expect(toYaml(document)).toBe(byYaml(document));
    expect(toYaml(document)).toContain('tls_config: &a1');
  });

  it('nested blocks: a list of maps of lists, a list of lists, empty collections, values left out', () => {
    const document = {
      scrape_configs: [{ job_name: 'node', static_configs: [{ targets: ['a:1', 'b:2'], labels: { host: 'h' } }], relabel_configs: [] }],
      matrix: [[1, [2, 3]], [], {}],
      empty: {},
      gone: undefined,
      only_gone: { x: undefined },
    };
    const text = plainYaml(document);
    expect(text).toBe(byYaml(document));
    expect(text).toContain('scrape_configs:\n  - job_name: "node"\n    static_configs:\n      - targets:\n          - "a:1"');
    expect(text).toContain('matrix:\n  - - 1\n    - - 2\n      - 3\n  - []\n  - {}\n');
    expect(text).not.toContain('gone:\n');
    expect(text).toContain('only_gone: {}\n');
  });
});

describe('every YAML file of a synthesis is what yaml writes for its content', () => {
  const work = mkdtempSync(join(tmpdir(), 'peekstack-plain-yaml-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the example fleet: each uploaded .yml parsed and written again by yaml gives the same text', () => {
    const outdir = join(work, 'out');
    synthFleet(loadFleetFile(resolve(__dirname, '..', '..', 'stacks', 'fleet.example.yaml')), { outdir });
    let checked = 0;
    for (const stack of readdirSync(join(outdir, 'stacks'))) {
      const tf = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      for (const container of Object.values<{ upload?: { file: string; content?: string }[] }>(tf.resource?.docker_container ?? {})) {
        for (const upload of container.upload ?? []) {
          if (!/\.ya?ml$/.test(upload.file) || upload.content === undefined) continue;
          // The header is comments; the rest is the document.
          const body = upload.content.replace(/^(?:#.*\n)*/, '');
          expect(body, `${stack} ${upload.file}`).toBe(byYaml(parse(body)));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
