import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { describeValue } from '../errors';
import { checkFleet, PathProblem } from './checks';
import { locate } from './locate';
import { FleetConfigError, FleetProblem, formatPath } from './problems';
import { fleetFileSchema } from './schema';
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
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options)
        ? `one of ${issue.options.map((value: unknown) => JSON.stringify(value)).join(', ')}`
        : 'one of the documented forms';
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

/** Parses and validates fleet-file text; `fileName` is only used in messages. */
export function parseFleet(text: string, fileName: string): FleetSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new FleetConfigError(
      doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { file: fileName, line, column: col, path: '', found: 'invalid YAML', allowed: `YAML syntax (${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')})` };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Only alias bombs and unresolved aliases get here; the parse itself succeeded.
    throw new FleetConfigError([{ file: fileName, line: 1, column: 1, path: '', found: 'unusable YAML aliases', allowed: `YAML without excessive or unresolved aliases (${(error as Error).message})` }]);
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

  const parsed = fleetFileSchema.safeParse(data, { error: (issue) => allowedFor(issue) });
  if (!parsed.success) {
    throw new FleetConfigError(
      parsed.error.issues.flatMap((issue) => {
        if (issue.code === 'unrecognized_keys') {
          return issue.keys.map((key) => problem(issue.path, `unknown key "${key}"`, issue.message, key));
        }
        const found = valueAt(data, issue.path);
        const allowed = found === undefined ? `${issue.message} (required)` : issue.message;
        const shown = issue.code === 'custom' && typeof issue.params?.found === 'string' ? issue.params.found : describeValue(found);
        return [problem(issue.path, found === undefined ? 'nothing' : shown, allowed)];
      }),
    );
  }
  const spec = toFleetSpec(fileName, parsed.data);
  // A value set once in `defaults` can be wrong for several hosts: say so once, where it is written.
  const seen = new Set<string>();
  const problems: PathProblem[] = checkFleet(parsed.data, spec).filter((p) => {
    const key = JSON.stringify([p.path, p.allowed]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  if (problems.length > 0) {
    throw new FleetConfigError(problems.map((p) => problem(p.path, p.found, p.allowed)));
  }
  return spec;
}

/** Reads and validates the fleet file at `path`. */
export function loadFleetFile(path: string): FleetSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory' : `unreadable (${code ?? String(error)})`;
    throw new FleetConfigError([{ file: path, path: '', found: reason, allowed: 'a readable fleet file (YAML); choose one with --fleet or PEEKSTACK_FLEET' }]);
  }
  return parseFleet(text, path);
}
