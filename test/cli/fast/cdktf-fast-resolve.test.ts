import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join, resolve as resolvePath } from 'node:path';
import { App, DefaultTokenResolver, Fn, IResolveContext, Lazy, StringConcat, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { buildFleetApp } from '../../../src/fleet/fleet';
import { loadFleetFile } from '../../../src/config';
import { cdktfModuleFile, patchedCdktfModule, stockCdktfModule } from '../../support/patched-cdktf';

/**
 * The programs' bundles replace cdktf's resolve() with src/cli/fast/cdktf/fast-resolve.js (appended to
 * cdktf's module by scripts/build.mjs). Here both run side by side on the same values, the patched
 * module compiled exactly as the build makes it: same result, or the same error, every time.
 */

type ResolveFn = (obj: unknown, options: { scope: unknown; prefix?: string[]; resolver: unknown; preparing: boolean; previousContext?: unknown }) => unknown;

const ROOT = resolvePath(__dirname, '..', '..', '..');
const cdktfResolveFile = cdktfModuleFile('cdktf/lib/tokens/private/resolve.js');
const stock = stockCdktfModule<{ resolve: ResolveFn }>(cdktfResolveFile).resolve;
/** cdktf's module with the fast resolve appended, as the bundles have it. */
const fast = patchedCdktfModule<{ resolve: ResolveFn }>(cdktfResolveFile, 'fast-resolve.js').resolve;

const app = new App({ outdir: join(ROOT, '.vitest-unused-outdir') });
const stack = new TerraformStack(app, 'values');
new DockerProvider(stack, 'docker', {});
const container = new Container(stack, 'c', { name: 'c', image: 'img' });
const variable = new TerraformVariable(stack, 'v', { type: 'string' });

/** Runs a resolve and returns what it gave or the message it threw. */
function outcome(resolve: ResolveFn, value: unknown, preparing: boolean): { value?: unknown; error?: string } {
  try {
    return { value: resolve(value, { scope: stack, prefix: [], resolver: new DefaultTokenResolver(new StringConcat()), preparing }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Tokens and values of every kind resolve() treats apart. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.constantFrom('1e5', '2.5e+250', 'QUJDe+2w', '-1.8881545897087626e+289', 'TfToken[', '${not a token}', '%{ if x }', 'a $${escaped} b', '', 'String Map Token Value', 'Any Map Token Value'),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-123456789, 0, -0),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(new Date(0)),
  fc.constant(() => 1),
  fc.string().map((text) => Lazy.stringValue({ produce: () => text })),
  fc.integer().map((n) => Lazy.numberValue({ produce: () => n })),
  fc.string().map((text) => Lazy.anyValue({ produce: () => ({ text, nested: [text, 1] }) })),
  fc.constant(variable.stringValue),
  fc.constant(variable.numberValue),
  fc.constant(variable.listValue),
  fc.constant(container.name),
  fc.constant(Token.asString(container.networkData.get(0).ipAddress)),
  fc.string().map((text) => `${text}${variable.stringValue}${text}`),
  fc.constant(Fn.join(',', [variable.stringValue, 'x'])),
  fc.constant(Token.asString({ resolve: (context: IResolveContext) => context.resolve({ inner: variable.stringValue }) })),
  fc.constant(Token.asStringMap(variable.value)),
  // A number token inside a string (its encoded double), beside text.
  fc.string().map((text) => `${text}${variable.numberValue}`),
  // Function calls resolve their arguments with their own context flags (braces suppressed, escapes
  // handled): nested objects and lists under them must keep those flags.
  fc.string().map((text) => Fn.jsonencode({ a: [text, '${literal}', variable.stringValue, { b: variable.numberValue, c: [container.name] }] })),
  fc.string().map((text) => Fn.lookup({ a: variable.stringValue, b: { c: [text, container.name] } }, 'a', text)),
  fc.constant(Fn.merge([{ a: variable.stringValue }, { b: [container.name, { c: '${x}' }] }])),
  fc.constant(Fn.join('-', [variable.stringValue, Fn.upper(container.name), '%{ literal }'])),
);

/** A token that shows, once resolved, the flags its context had: suppressBraces, ignoreEscapes, warnEscapes, iteratorContext. */
const flagProbe = () =>
  Lazy.anyValue({ produce: (context: IResolveContext) => `${context.suppressBraces}|${context.ignoreEscapes}|${context.warnEscapes}|${context.iteratorContext}` });

/**
 * A token that sets context flags, as function calls and dynamic blocks do, then resolves `inner`
 * and a probe nested under objects and lists: the flags must reach every depth.
 */
const withFlags = (inner: unknown, flags: Partial<Record<'suppressBraces' | 'ignoreEscapes' | 'warnEscapes', boolean>>, iteratorContext?: string) =>
  Token.asAny({
    resolve: (context: IResolveContext) => {
      Object.assign(context, flags, iteratorContext ? { iteratorContext } : {});
      return context.resolve({ inner, deep: [{ probe: flagProbe(), reference: variable.stringValue, list: [flagProbe(), [container.name]] }] });
    },
  });

const tree = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('node'), fc.record({ suppressBraces: fc.boolean(), ignoreEscapes: fc.boolean(), warnEscapes: fc.boolean() }), fc.constantFrom(undefined, 'DYNAMIC_BLOCK', 'FOR_EXPRESSION')).map(([inner, flags, iterator]) => withFlags(inner, flags, iterator)),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constant(variable.stringValue), fc.constant('1e5')), tie('node'), { maxKeys: 4 }),
  ),
})).node;

describe('the programs’ cdktf resolve (src/cli/fast/cdktf/fast-resolve.js)', () => {
  it('is installed by the patched module, not stock resolve', () => {
    expect(fast).not.toBe(stock);
  });

  it('gives what stock resolve gives, or throws what it throws, on generated values', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (value, preparing) => {
        expect(outcome(fast, value, preparing)).toEqual(outcome(stock, value, preparing));
      }),
      { numRuns: 1500 },
    );
  });

  it('throws as stock does on a structure nested deeper than cdktf allows, and on a construct', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 205; i++) deep = { k: deep };
    expect(outcome(fast, deep, false).error).toMatch(/circular/i);
    expect(outcome(fast, deep, false)).toEqual(outcome(stock, deep, false));
    expect(outcome(fast, { c: container }, false)).toEqual(outcome(stock, { c: container }, false));
  });

  it('resolves every element of a whole fleet’s stacks as stock does', () => {
    const fleetApp = new App({ outdir: join(ROOT, '.vitest-unused-outdir') });
    const stacks = buildFleetApp(fleetApp, loadFleetFile(join(ROOT, 'stacks', 'fleet.example.yaml')));
    const all: TerraformStack[] = [stacks.hub!, ...stacks.collectors, stacks.interface];
    let elements = 0;
    for (const fleetStack of all) {
      for (const child of fleetStack.node.findAll()) {
        const element = child as unknown as { toTerraform?: () => unknown };
        if (typeof element.toTerraform !== 'function' || child === fleetStack) continue;
        const terraform = element.toTerraform();
        const options = () => ({ scope: fleetStack, prefix: [], resolver: new DefaultTokenResolver(new StringConcat()), preparing: true });
        expect(fast(terraform, options())).toEqual(stock(terraform, options()));
        elements++;
      }
    }
    expect(elements).toBeGreaterThan(100);
  });
});
