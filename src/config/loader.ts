import { readFileSync } from 'node:fs';
import { Document, isScalar, LineCounter, Node, parseAllDocuments, parseDocument, visit } from 'yaml';
import type * as z from 'zod/mini';
import { describeValue, escapeControl, listSome, quote } from '../core/errors';
import { isSecretName, REDACTED } from '../core/secrets';
import { checkFleet, PathProblem } from './checks';
import { decodeFleetBytes } from './decode';
import { locate, Position } from './locate';
import { secretProblems } from './secret-scan';
import { controlCharacterProblem, extraDocumentProblem, structureProblems, syntaxProblem, YamlProblem } from './yaml-structure';
import { FleetConfigError, FleetProblem, formatPath } from './problems';
import { fleetFileSchemaFor } from './schema';
import { keysAllowedBy } from './schema-builders';
import { closestKey } from './suggest';
import { FleetSpec, toFleetSpec } from './spec';

/**
 * Reads a fleet file: YAML (with positions) -> zod (strict) -> cross-field checks -> defaults.
 * Throws one {@link FleetConfigError} listing every problem found, each with file, line and column.
 */

/** What a zod issue without its own message allows, in words. */
function allowedFor(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = String(issue.expected);
      const words: Record<string, string> = {
        object: 'a mapping (key: value)',
        array: 'a list',
        string: 'a string',
        number: 'a number',
        int: 'an integer',
        boolean: 'true or false',
      };
      return words[expected] ?? expected;
    }
    case 'invalid_value':
      return `one of ${listSome(issue.values.map(String))}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options) ? `one of ${listSome(issue.options.map(String))}` : 'one of the documented forms';
    default:
      return 'a valid value (see stacks/fleet.example.yaml)';
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** Keys of the schema named like secrets that hold none: a backend's S3 object `key`, the store's `auth` mode. */
const NOT_SECRETS: readonly (readonly [parent: string, key: string])[] = [
  ['backend', 'key'],
  ['store', 'auth'],
];

/**
 * Keys that name where a secret is kept (a Terraform variable): a value there that is not such a name
 * is often the secret itself, pasted in the wrong place, so it is never shown either.
 */
const SECRET_POINTERS: readonly string[] = ['secretVariable', 'passwordVariable', 'userVariable'];

/** Whether a value at `path` may be a secret: it sits under a key named like one (`password`, `token`, `credentials`...). */
function isSecretPath(path: readonly PropertyKey[]): boolean {
  if (SECRET_POINTERS.includes(String(path[path.length - 1]))) return true;
  return path.some(
    (part, index) => typeof part === 'string' && isSecretName(part) && !NOT_SECRETS.some(([parent, key]) => key === part && path[index - 1] === parent),
  );
}

/** How a value found where a string is expected reads in a message. */
function typeName(value: unknown): string {
  if (value === null) return 'an empty value (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true or false';
  return 'a string';
}

/** Whether `path` lies inside (or is) one of `prefixes`. */
function within(path: readonly PropertyKey[], prefixes: readonly (readonly PropertyKey[])[]): boolean {
  return prefixes.some((prefix) => prefix.length <= path.length && prefix.every((part, index) => part === path[index]));
}

/** Options of {@link parseFleet} and {@link loadFleetFile}. */
export interface FleetLoadOptions {
  /**
   * More checks on the typed fleet, each problem located in the file like the file's own: the CLI
   * passes the stacks' own checks on the props the Fleet gives them (fleetSettingsProblems of
   * src/fleet/settings.ts), so that `validate` refuses what building the stacks refuses.
   * @default - none: the stacks refuse at construction what these would find
   */
  readonly settingsChecks?: (fleet: FleetSpec) => PathProblem[];
}

/** Parses and validates fleet-file text; `fileName` is only used in messages. */
export function parseFleet(text: string, fileName: string, options: FleetLoadOptions = {}): FleetSpec {
  const lines = new LineCounter();
  const located = (problems: readonly YamlProblem[]): FleetProblem[] => problems.map((p) => ({ file: fileName, path: '', ...p }));
  // `logLevel: 'error'`: yaml must not print warnings of its own; they become problems (yaml-structure.ts).
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const control = controlCharacterProblem(text, lines);
  if (control) throw new FleetConfigError(located([control]));
  const doc = documents[0] ?? parseDocument('', { lineCounter: new LineCounter() });
  const yamlProblems = [
    ...doc.errors.map((error) => syntaxProblem(doc, error, lines)),
    ...(documents.length > 1 ? [extraDocumentProblem(documents[1], lines)] : []),
  ];
  if (yamlProblems.length === 0) yamlProblems.push(...structureProblems(doc, lines));
  if (yamlProblems.length > 0) throw new FleetConfigError(located(yamlProblems));

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Unresolved and recursive aliases are refused above; what is left is an alias bomb.
    let first: Position | undefined;
    visit(doc, { Alias: (_key, node) => { first ??= locateOffset(lines, node.range?.[0] ?? 0); return first ? visit.BREAK : undefined; } });
    throw new FleetConfigError([
      { file: fileName, ...(first ?? { line: 1, column: 1 }), path: '', found: 'aliases that expand to too many values', allowed: `at most 100 alias expansions (${(error as Error).message.split('\n')[0]})` },
    ]);
  }
  const place = (path: readonly PropertyKey[], key?: string) => locate(doc, lines, path, key);
  const problem = (path: readonly PropertyKey[], found: string, allowed: string, key?: string): FleetProblem => {
    // An empty document has no node at all: its problem is at the start of the file.
    const position = place(path, key) ?? { line: 1, column: 1 };
    return { file: fileName, line: position.line, column: position.column, path: formatPath(key ? [...path, key] : path), found, allowed };
  };
  if (data === null || data === undefined || (typeof data === 'object' && !Array.isArray(data) && Object.keys(data).length === 0)) {
    throw new FleetConfigError([problem([], 'an empty file', 'a fleet: a mapping with at least "hosts" and "interface" (see stacks/fleet.example.yaml)')]);
  }

  // Secrets first: a value refused for carrying one is not also described by the schema (which might echo it).
  const secrets = secretProblems(data);
  const secretPaths = secrets.map((p) => p.path);
  const parsed = fleetFileSchemaFor(data).safeParse(data, { error: (issue) => allowedFor(issue) });
  if (!parsed.success || secrets.length > 0) {
    const schemaProblems = (parsed.success ? [] : parsed.error.issues).flatMap((issue) => {
      if (within(issue.path, secretPaths)) return [];
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => {
          // A likely typo gets its correction; a secret-named key, where secrets go instead.
          const meant = closestKey(key, keysAllowedBy(issue.message));
          const hint = meant !== undefined ? `; did you mean ${quote(meant)}?` : isSecretName(key) ? '; secrets never go in the fleet file (credentials.source: generate or variables)' : '';
          const allowed = `${issue.message}${hint}`;
          return problem(issue.path, `unknown key ${quote(key)}`, allowed, key);
        });
      }
      const found = valueAt(data, issue.path);
      let allowed = found === undefined ? `${issue.message} (required)` : issue.message;
      let shown = issue.code === 'custom' && typeof issue.params?.found === 'string' ? issue.params.found : describeValue(found);
      if (found !== undefined && isSecretPath(issue.path)) {
        // Whatever sits under a secret-named key is never shown, not even when it is the wrong type.
        shown = `${typeName(found)} (${REDACTED}: values under a secret-named key are never shown)`;
      } else if (issue.code === 'invalid_type' && issue.expected === 'string' && (typeof found === 'number' || typeof found === 'boolean' || found === null)) {
        // `name: 007` is the number 7, `name: no` is a string but `name: true` is not: quoting keeps what was written.
        const source = sourceText(doc, text, issue.path);
        if (source) allowed = `${allowed}; to use it as text, quote it: "${source}"`;
      }
      return [problem(issue.path, found === undefined ? 'nothing' : shown, allowed)];
    });
    const secretsLocated = secrets.map((p) => (p.key === undefined ? problem(p.path, p.found, p.allowed) : problem(p.path.slice(0, -1), p.found, p.allowed, p.key)));
    throw new FleetConfigError([...secretsLocated, ...schemaProblems]);
  }
  const spec = toFleetSpec(fileName, parsed.data);
  // A value set once in `defaults` can be wrong for several hosts: say so once, where it is written.
  const seen = new Set<string>();
  // The constructs' own checks last (options.settingsChecks): they say again, in the constructs' words, most of what the file's checks say.
  const crossField = checkFleet(parsed.data, spec);
  const problems: PathProblem[] = (crossField.length > 0 ? crossField : (options.settingsChecks?.(spec) ?? [])).filter((p) => {
    const key = JSON.stringify([p.path, p.allowed]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  if (problems.length > 0) {
    throw new FleetConfigError(problems.map((p) => problem(p.path, p.found, p.allowed)));
  }
  return spec;
}

/** 1-based position of `offset`. */
function locateOffset(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** The text of the scalar at `path` as written in the file (`007`, not 7), if it is a one-line scalar. */
function sourceText(doc: Document, text: string, path: readonly PropertyKey[]): string | undefined {
  const node = doc.getIn(path as unknown[], true) as Node | undefined;
  if (!isScalar(node) || !node.range) return undefined;
  const written = text.slice(node.range[0], node.range[1]).trim();
  return written === '' || /[\n"\\]/.test(written) ? undefined : escapeControl(written);
}

/** Reads and validates the fleet file at `path`. */
export function loadFleetFile(path: string, options: FleetLoadOptions = {}): FleetSpec {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory' : `unreadable (${code ?? String(error)})`;
    throw new FleetConfigError([{ file: path, path: '', found: reason, allowed: 'a readable fleet file (YAML); choose one with --fleet or PEEKSTACK_FLEET' }]);
  }
  return parseFleet(decodeFleetBytes(bytes, path), path, options);
}
