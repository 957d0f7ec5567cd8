import { quote, safeText } from '../core/errors';

/**
 * What is wrong with a fleet file, one entry per problem, each locatable in the file: the CLI prints
 * them all at once so a user fixes the file in one pass instead of one error per run.
 */

/** One problem in a fleet file. */
export interface FleetProblem {
  /** The fleet file, as the user named it. */
  readonly file: string;
  /** 1-based line, when the problem has a place in the file. */
  readonly line?: number;
  /** 1-based column, when the problem has a place in the file. */
  readonly column?: number;
  /** Field path such as `hosts[1].ports.prometheus`; empty for the whole file. */
  readonly path: string;
  /** What was found, rendered for humans. */
  readonly found: string;
  /** What would have been accepted. */
  readonly allowed: string;
}

/**
 * `file:line:col: path: found X; allowed: Y`, always one line: whatever the parts hold (a file
 * name, a key from the file), secrets are redacted and control characters escaped.
 */
export function formatProblem(problem: FleetProblem): string {
  const place = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  const path = problem.path === '' ? '' : ` ${problem.path}:`;
  return safeText(`${place}:${path} found ${problem.found}; allowed: ${problem.allowed}`);
}

/**
 * Renders a zod/YAML path as `hosts[1].ports.prometheus`. A key that is not a plain name (a typo
 * with spaces, a control character, "<<") is quoted: `hosts[0]["a b"]`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const name = String(part);
      if (!/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(name)) return `[${quote(name)}]`;
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}

/** The error the config loader throws: every problem of the file, sorted by position. */
export class FleetConfigError extends Error {
  public readonly problems: readonly FleetProblem[];

  constructor(problems: readonly FleetProblem[]) {
    const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    super(sorted.map(formatProblem).join('\n'));
    this.name = 'FleetConfigError';
    this.problems = sorted;
  }
}

/** A problem before it is located in the file. */
export interface PathProblem {
  readonly path: readonly (string | number)[];
  readonly found: string;
  readonly allowed: string;
}
