import { stringify } from 'yaml';
import { LruCache } from '../core/lru-cache';
import { plainYaml } from './plain-yaml';

/**
 * Serializes a config document the way every PeekStack file is written: no line folding (long
 * regexes and Terraform tokens must stay on one line, or they would no longer resolve) and strings
 * double-quoted so that values such as bcrypt hashes (`$2a$...`) or `host:port` are never re-typed
 * by a YAML reader.
 *
 * Written by {@link plainYaml} when the document is inside its subset (what PeekStack renders:
 * names as keys, one-line strings, numbers, booleans, null), else by `yaml`, the same text either
 * way. What `yaml` writes is memoized: every host of a fleet renders the same rule files, and the
 * interface's documents are large. The key is the document as JSON, so only documents JSON describes
 * exactly (plain objects and arrays, strings, finite numbers, booleans, null) are memoized;
 * anything else is rendered each time.
 */
export function toYaml(document: unknown, header?: string): string {
  const text = plainYaml(document) ?? memoizedYaml(document);
  return header ? `${header.split('\n').map((line) => `# ${line}`.trimEnd()).join('\n')}\n${text}` : text;
}

/** `yaml`'s text of `document`, from the memo when it was written before. */
function memoizedYaml(document: unknown): string {
  const key = plainJsonKey(document);
  const cached = key === undefined ? undefined : rendered.get(key);
  if (cached !== undefined) return cached;
  const text = stringify(document, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
  if (key !== undefined) rendered.set(key, text);
  return text;
}

/**
 * Characters kept, keys and texts together: room for the documents `yaml` writes in a chunk of 100
 * collector stacks and for the interface's, and at most some 16 MB of memory.
 */
const MEMO_CHARACTERS = 8_000_000;
const rendered = new LruCache<string, string>(MEMO_CHARACTERS, (key, text) => key.length + text.length);

/** `document` as JSON when JSON describes it exactly (same JSON, same YAML), else undefined: a key to keep its YAML by. */
export function plainJsonKey(document: unknown): string | undefined {
  // Checked by a walk of its own, then serialized natively: a replacer function called for every
  // value made the key cost as much as the YAML it saved.
  return isPlainJson(document, false) ? JSON.stringify(document) : undefined;
}

/**
 * True when JSON.stringify writes `value` as YAML reads it: strings, booleans, finite numbers, null,
 * arrays of those, objects with the plain prototype (a Date, a Map or a class instance may be
 * written otherwise). Undefined is left out of an object by both, but written as null in an array.
 */
function isPlainJson(value: unknown, inArray: boolean): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'undefined':
      return !inArray;
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], true)) return false;
        return true;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key], false)) return false;
      return true;
    }
    default:
      return false;
  }
}
