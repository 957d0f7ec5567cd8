/**
 * Block YAML for the plain documents PeekStack renders, written exactly as `yaml`'s stringify writes
 * them with toYaml's options (src/render/yaml.ts): no line folding, string values double-quoted,
 * keys plain, two spaces of indent, sequences indented under their key.
 *
 * Why: `yaml` builds a node tree for every document before writing it, and every host's
 * prometheus.yml and web configs are documents of their own: that was an eighth of a 1000-host
 * synthesis (profiled). This writes the text in one walk, for the subset that covers what PeekStack
 * renders, and answers `undefined` for anything outside it, which toYaml then gives to `yaml`:
 *
 * - the document is an object, and every object has the plain prototype;
 * - keys are names: a letter or `_`, then letters, digits, `_`, `.`, `/` or `-`, at most 1024
 *   characters, and not a word the YAML core schema reads as a boolean or null;
 * - strings hold no line break and nothing JSON writes as a `\u` escape (control characters,
 *   unpaired surrogates): then `yaml`'s double-quoted form is JSON's;
 * - numbers are finite; booleans, null; `undefined` only as an object's value (left out, as `yaml`
 *   leaves it out);
 * - no object or array is met twice (`yaml` writes the second as an alias of the first).
 *
 * test/render/plain-yaml.test.ts compares it with `yaml` on generated documents, inside the subset
 * and out of it, and on every file a synthesis of the example fleet renders.
 */

/** Keys `yaml` writes plain: a name that the core schema does not read as another type. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./-]{0,1023}$/;
const NOT_A_STRING = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL)$/;

/** Returned by the writers below when a value is outside the subset. */
const OUTSIDE = Symbol('outside the subset');

/** The text of `document`, as `yaml` writes it, or undefined when it is outside the subset. */
export function plainYaml(document: unknown): string | undefined {
  if (!isPlainObject(document)) return undefined;
  const lines: string[] = [];
  if (writeMap(document, '', lines, new Set([document])) === OUTSIDE) return undefined;
  return lines.length === 0 ? '{}\n' : `${lines.join('\n')}\n`;
}

/**
 * Notes `value` as met when it is an object or array; OUTSIDE when it was met before: `yaml` writes
 * one object met twice once with an anchor (`&a1`) and then an alias (`*a1`), empty ones included.
 */
function firstMeeting(value: unknown, seen: Set<object>): void | typeof OUTSIDE {
  if (typeof value !== 'object' || value === null) return;
  if (seen.has(value)) return OUTSIDE;
  seen.add(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A scalar's text, `{}` or `[]` for an empty collection, undefined for a collection to write as a block; OUTSIDE when neither. */
function inlineText(value: unknown): string | undefined | typeof OUTSIDE {
  switch (typeof value) {
    case 'string': {
      const json = JSON.stringify(value);
      // yaml escapes these otherwise than JSON (\x.., \0, \e, ...) or breaks the line there.
      return json.includes('\\u') || json.includes('\\n') ? OUTSIDE : json;
    }
    case 'number':
      if (!Number.isFinite(value)) return OUTSIDE;
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
      if (!isPlainObject(value)) return OUTSIDE;
      // An object whose values are all undefined is written empty, as yaml leaves those pairs out.
      for (const key of Object.keys(value)) if (value[key] !== undefined) return undefined;
      return '{}';
    default:
      return OUTSIDE;
  }
}

/** Writes the pairs of a non-empty object at `indent`, a line each (a block value on the lines below its key). */
function writeMap(map: Record<string, unknown>, indent: string, lines: string[], seen: Set<object>): void | typeof OUTSIDE {
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    if (!PLAIN_KEY.test(key) || NOT_A_STRING.test(key)) return OUTSIDE;
    const text = inlineText(value);
    if (text === OUTSIDE || firstMeeting(value, seen) === OUTSIDE) return OUTSIDE;
    if (text !== undefined) {
      lines.push(`${indent}${key}: ${text}`);
      continue;
    }
    lines.push(`${indent}${key}:`);
    if (writeBlock(value, `${indent}  `, lines, seen) === OUTSIDE) return OUTSIDE;
  }
}

/** Writes the items of a non-empty array at `indent`, each after `- ` (a block item starts on the dash's line). */
function writeSeq(items: readonly unknown[], indent: string, lines: string[], seen: Set<object>): void | typeof OUTSIDE {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) return OUTSIDE; // yaml writes a hole or undefined as null; JSON-like documents have neither
    const text = inlineText(item);
    if (text === OUTSIDE || firstMeeting(item, seen) === OUTSIDE) return OUTSIDE;
    if (text !== undefined) {
      lines.push(`${indent}- ${text}`);
      continue;
    }
    // The item's block, two spaces further in, with its first line's indent turned into the dash.
    const first = lines.length;
    if (writeBlock(item, `${indent}  `, lines, seen) === OUTSIDE) return OUTSIDE;
    lines[first] = `${indent}- ${lines[first].slice(indent.length + 2)}`;
  }
}

/** Writes a non-empty object or array as a block at `indent`; `seen`: the objects and arrays met so far. */
function writeBlock(value: unknown, indent: string, lines: string[], seen: Set<object>): void | typeof OUTSIDE {
  return Array.isArray(value) ? writeSeq(value, indent, lines, seen) : writeMap(value as Record<string, unknown>, indent, lines, seen);
}
