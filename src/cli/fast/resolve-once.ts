import { Aspects, DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Tokenization } from 'cdktf';
import { deepMerge } from 'cdktf/lib/util';
import { IConstruct } from 'constructs';

/**
 * Each element of a stack resolved once in a synthesis instead of twice, for {@link synthesizeStacks}
 * (src/synthesize.ts).
 *
 * Why: cdktf 0.21 resolves every element of a stack when it prepares the stack (to find the
 * cross-stack references), then again when it writes it (`TerraformStack.toTerraform()`), and then
 * resolves the merged result a third time. The second and third passes were a fifth of a 1000-host
 * synthesis (profiled). Here the preparing pass keeps what it resolved, and the written JSON is made
 * from it. The only token that resolves otherwise while preparing is a reference, which registers
 * the cross-stack output and remote state and then resolves as it will later, so an element's
 * resolution is the same in both passes; the elements that preparation adds (those outputs and
 * remote states) are resolved when the stack is written, as cdktf does.
 *
 * Not where an Aspect is registered on the stack, above it or below it: aspects run after
 * preparation and may change elements; such a stack is written by cdktf's own `toTerraform()`.
 */

/** The resolver cdktf's own passes use (cdktf/lib/_tokens.js). */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** What preparation kept for writing: each element's resolution (until its stack is written), and the stacks prepared so. */
export interface KeptResolutions {
  readonly elements: Map<TerraformElement, unknown>;
  readonly stacks: Set<TerraformStack>;
}

/** An empty {@link KeptResolutions}, for one synthesis. */
export function keptResolutions(): KeptResolutions {
  return { elements: new Map(), stacks: new Set() };
}

/** `value` resolved in `stack` as cdktf resolves it (preparing or not). */
function resolveIn(stack: TerraformStack, value: unknown, preparing = false): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing, resolver: RESOLVER });
}

/** The Terraform elements of `node` in the order cdktf walks them (depth first, a nested stack left out): cdktf's `terraformElements`, which it does not export. */
function elementsOf(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) elementsOf(child, into);
  return into;
}

/** True when an Aspect is registered on `stack`, on a scope above it, or on a construct in it. */
function hasAspects(stack: TerraformStack): boolean {
  if (stack.node.scopes.some((scope) => Aspects.of(scope).all.length > 0)) return true;
  const below = (node: IConstruct): boolean => node.node.children.some((child) => Aspects.of(child).all.length > 0 || below(child));
  return below(stack);
}

/**
 * `stack.prepareStack()`, the same steps in the same order, keeping each element's resolution in
 * `resolved` (unless aspects may change the elements before they are written).
 */
export function prepareKeepingResolutions(stack: TerraformStack, kept: KeptResolutions): void {
  if (hasAspects(stack)) {
    stack.prepareStack();
    return;
  }
  stack.ensureBackendExists();
  for (const element of elementsOf(stack)) kept.elements.set(element, resolveIn(stack, element.toTerraform(), true));
  kept.stacks.add(stack);
}

/** The private state of a stack that `toTerraform()` reads (cdktf 0.21.0). */
interface StackInternals {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: string;
}

/**
 * `TerraformStack.toTerraform()` of cdktf 0.21.0, the same JSON, with the elements' resolutions
 * taken from `resolved` (and removed from it) where preparation kept them. The merged result is
 * resolved again only when the stack has raw overrides, the one part that is not resolved yet:
 * resolving resolved values gives them back unchanged.
 */
function toTerraformFrom(stack: TerraformStack, resolved: KeptResolutions['elements']): Record<string, unknown> {
  const { rawOverrides, cdktfVersion } = stack as unknown as StackInternals;
  const overridden = Object.keys(rawOverrides);
  const metadata = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: 'local', // replaced by the backend's own metadata
    cloud: undefined, // idem
    ...(overridden.length > 0 ? { overrides: { stack: overridden } } : {}),
  };
  const elements = elementsOf(stack);
  for (const element of elements) deepMerge(metadata, resolveIn(stack, element.toMetadata()));
  const outputs: Record<string, unknown> = {};
  for (const element of elements) {
    if (!TerraformOutput.isTerraformOutput(element)) continue;
    // The output's construct path as nested keys, its id at the end: {"a": {"b": "<id>"}}.
    const nested = element.node.path.split('/').reduceRight<unknown>((inner, part) => ({ [part]: inner }), element.friendlyUniqueId);
    deepMerge(outputs, nested);
  }
  const tf: Record<string, unknown> = { '//': resolveIn(stack, { metadata, outputs }) };
  for (const element of elements) {
    const kept = resolved.has(element);
    deepMerge(tf, kept ? resolved.get(element) : resolveIn(stack, element.toTerraform()));
    if (kept) resolved.delete(element);
  }
  if (overridden.length === 0) return tf;
  deepMerge(tf, rawOverrides);
  return resolveIn(stack, tf) as Record<string, unknown>;
}

/**
 * Runs `write` (the stack's synthesizer) with the stack's `toTerraform()` made from the resolutions
 * kept by {@link prepareKeepingResolutions}, when it kept them (else cdktf's own: aspects, or a stack
 * cdktf prepared itself).
 */
export function writingFromResolutions(stack: TerraformStack, kept: KeptResolutions, write: () => void): void {
  if (!kept.stacks.has(stack)) {
    write();
    return;
  }
  Object.defineProperty(stack, 'toTerraform', { value: () => toTerraformFrom(stack, kept.elements), configurable: true, writable: true });
  try {
    write();
  } finally {
    delete (stack as { toTerraform?: unknown }).toTerraform;
    kept.stacks.delete(stack);
  }
}
