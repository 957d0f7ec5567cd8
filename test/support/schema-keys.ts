/**
 * The key paths a zod (v4, `zod/mini` or classic) schema accepts, read from the schema itself: what
 * the fleet-file reference (docs/fleet-file.md) is checked against, so the two cannot drift.
 *
 * A path is the keys from the root joined with ".", with "[]" after a list's key:
 * `hosts[].docker.host`, `alerting.receivers[].secretVariable`. Every variant of a union contributes
 * its keys (a state backend's `bucket` and `path` are both under `backend`).
 */

/** The parts of zod's internal definition this walk reads (stable across zod 4's classic and mini APIs). */
interface ZodDef {
  readonly type: string;
  readonly shape?: Record<string, ZodLike>;
  readonly innerType?: ZodLike;
  readonly element?: ZodLike;
  readonly options?: readonly ZodLike[];
  readonly in?: ZodLike;
  readonly out?: ZodLike;
  readonly left?: ZodLike;
  readonly right?: ZodLike;
  readonly getter?: () => ZodLike;
}
export interface ZodLike {
  readonly _zod: { readonly def: ZodDef };
}

/** Wrappers whose keys are their inner schema's. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional', 'success']);

/** A key path the schema accepts, and whether its mapping requires it (in at least one variant of a union). */
export interface SchemaKey {
  readonly path: string;
  readonly required: boolean;
}

/** Wrappers that make a key optional. */
const OPTIONAL = new Set(['optional', 'default', 'prefault', 'catch']);

/** Every key path `schema` accepts, in the order the schema declares them (each once). */
export function schemaKeys(schema: ZodLike): SchemaKey[] {
  const keys = new Map<string, boolean>();
  const walk = (node: ZodLike, prefix: string, depth: number): void => {
    if (depth > 50) throw new Error(`schema deeper than 50 levels at "${prefix}": a recursive schema?`);
    const def = node._zod.def;
    if (WRAPPERS.has(def.type)) return walk(def.innerType!, prefix, depth + 1);
    switch (def.type) {
      case 'object':
        for (const [key, child] of Object.entries(def.shape!)) {
          // A key a schema declares only to refuse it (z.never()) is not one the file may write.
          if (refusesEverything(child)) continue;
          const path = prefix === '' ? key : `${prefix}.${key}`;
          const listed = path + (isList(child) ? '[]' : '');
          keys.set(listed, (keys.get(listed) ?? false) || !OPTIONAL.has(child._zod.def.type));
          walk(child, path, depth + 1);
        }
        return;
      case 'array':
        return walk(def.element!, `${prefix}[]`, depth + 1);
      case 'union':
        for (const option of def.options!) walk(option, prefix, depth + 1);
        return;
      case 'intersection':
        walk(def.left!, prefix, depth + 1);
        return walk(def.right!, prefix, depth + 1);
      case 'pipe':
        return walk(def.in!, prefix, depth + 1);
      case 'lazy':
        return walk(def.getter!(), prefix, depth + 1);
      default:
        return; // a leaf: string, number, boolean, enum, literal, unknown...
    }
  };
  walk(schema, '', 0);
  return [...keys].map(([path, required]) => ({ path, required }));
}

function unwrap(node: ZodLike): ZodLike {
  let current = node;
  while (WRAPPERS.has(current._zod.def.type)) current = current._zod.def.innerType!;
  return current;
}

function isList(node: ZodLike): boolean {
  return unwrap(node)._zod.def.type === 'array';
}

function refusesEverything(node: ZodLike): boolean {
  return unwrap(node)._zod.def.type === 'never';
}
