/**
 * The layers of the source, as .dependency-cruiser.cjs writes them (the one place they are written;
 * `npm run lint:boundaries` runs the same configuration in `npm test`): no import loop in src/ and
 * test/support/; config, renderers, the pure building blocks and the components' pure pieces load no
 * cdktf (type-only imports aside: they are erased); the library never imports the CLI.
 *
 * This file proves the configuration bites: the tree passes, and a copy of it with one deliberate
 * violation of each rule fails with each one named, while a type-only cdktf import stays allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ICruiseResult, IConfiguration } from 'dependency-cruiser' with { 'resolution-mode': 'import' };

const ROOT = resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the cruiser's configuration is CommonJS, read as the CLI reads it
const CONFIG = require(join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

/** Runs dependency-cruiser with the project's configuration over `src/` and `test/support/` of the tree at `base`. */
async function cruiseTree(base: string): Promise<ICruiseResult> {
  // dependency-cruiser is an ES module; this file compiles to CommonJS, so it is loaded with import().
  const { cruise } = await import('dependency-cruiser');
  const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
  const result = await cruise(
    ['src', 'test/support'],
    // A copy reaches node_modules through a symbolic link: keep its path so the cdktf rules recognise it.
    { ...CONFIG.options, baseDir: base, preserveSymlinks: true, ruleSet: { forbidden: CONFIG.forbidden }, validate: true },
    {},
    { tsConfig: extractTSConfig(join(base, 'tsconfig.test.json')) },
  );
  return result.output as ICruiseResult;
}

/** Each violation as `rule: from -> to` (a loop as its files, in order). */
function violations(result: ICruiseResult): string[] {
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.cycle ? [v.from, ...v.cycle.map((step) => step.name)].join(' -> ') : `${v.from} -> ${v.to}`}`);
}

/** The pure-file patterns of the configuration (the `from` of its cdktf rule). */
function purePatterns(): RegExp[] {
  const rule = CONFIG.forbidden!.find((r) => r.name === 'pure-loads-no-cdktf')!;
  const paths = (rule as { from: { path: string | string[] } }).from.path;
  return (Array.isArray(paths) ? paths : [paths]).map((p) => new RegExp(p));
}

describe('the layers of src/', () => {
  let tree: ICruiseResult;
  beforeAll(async () => {
    tree = await cruiseTree(ROOT);
  });

  it('the tree keeps every rule', () => {
    expect(tree.summary.totalCruised).toBeGreaterThan(150);
    expect(violations(tree)).toEqual([]);
  });

  it('the pure layer is the files the rules name, and they are many', () => {
    const pure = tree.modules.map((m) => m.source).filter((source) => purePatterns().some((p) => p.test(source)));
    expect(pure.length).toBeGreaterThan(60);
    expect(pure).toEqual(expect.arrayContaining(['src/render/web-config.ts', 'src/config/schema.ts', 'src/components/scaphandre/definition.ts', 'src/core/errors.ts']));
    expect(pure).not.toContain('src/components/scaphandre/scaphandre.ts');
  });

  describe('on a copy with deliberate violations', () => {
    let copy: string;
    let broken: ICruiseResult;
    beforeAll(async () => {
      copy = mkdtempSync(join(tmpdir(), 'peekstack-boundaries-'));
      for (const entry of ['src', 'test', 'tsconfig.json', 'tsconfig.test.json', 'package.json']) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
      // A loop of two files.
      writeFileSync(join(copy, 'src/core/loop-a.ts'), "import { b } from './loop-b';\nexport const a = (): number => b() + 1;\n");
      writeFileSync(join(copy, 'src/core/loop-b.ts'), "import { a } from './loop-a';\nexport const b = (): number => a() - 1;\n");
      // A renderer that loads cdktf, and one that only names a cdktf type (erased: allowed).
      appendFileSync(join(copy, 'src/render/web-config.ts'), "\nimport { Token } from 'cdktf';\nexport const isToken = (value: string): boolean => Token.isUnresolved(value);\n");
      appendFileSync(join(copy, 'src/render/rules.ts'), "\nimport type { App } from 'cdktf';\nexport type SomeApp = App;\n");
      // A renderer that reaches cdktf through a construct.
      appendFileSync(join(copy, 'src/render/yaml.ts'), "\nexport { DockerService } from '../constructs/docker-service';\n");
      // The library importing the CLI.
      appendFileSync(join(copy, 'src/collector/collector.ts'), "\nexport { chooseOutdir } from '../cli/options';\n");
      broken = await cruiseTree(copy);
    });
    afterAll(() => {
      // Removes the copy and the link to node_modules, not what it points to.
      if (copy) rmSync(copy, { recursive: true, force: true });
    });

    it('finds the loop', () => {
      expect(violations(broken)).toContain('no-cycle: src/core/loop-a.ts -> src/core/loop-b.ts -> src/core/loop-a.ts');
    });

    it('finds the cdktf import in a renderer, and lets the type-only one through', () => {
      expect(violations(broken)).toContain('pure-loads-no-cdktf: src/render/web-config.ts -> node_modules/cdktf/lib/index.js');
      expect(violations(broken).filter((v) => v.includes('src/render/rules.ts'))).toEqual([]);
    });

    it('finds the renderer that imports a construct', () => {
      expect(violations(broken)).toContain('pure-imports-only-pure: src/render/yaml.ts -> src/constructs/docker-service.ts');
    });

    it('finds the library importing the CLI', () => {
      expect(violations(broken)).toContain('library-never-imports-cli: src/collector/collector.ts -> src/cli/options.ts');
    });

    it('finds nothing else', () => {
      expect(violations(broken)).toHaveLength(4);
    });
  });
});
