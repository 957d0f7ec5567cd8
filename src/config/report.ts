import { escapeControl, PeekStackValidationError, safeText } from '../core/errors';
import { FleetConfigError, formatProblem } from './problems';

/** Exit codes of the app and the CLI. */
export const EXIT = { ok: 0, failure: 1, invalidInput: 2 } as const;

/** An error in how a command was called (unknown option, unknown stack): invalid input, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * What to tell the user about `error` and how to exit. Invalid input (the fleet file, a value a
 * construct refused, the command line) gives exit code 2 and messages without a stack trace; anything
 * else is exit code 1, with the trace only when PEEKSTACK_DEBUG is set.
 *
 * @param fleetFile the file the input came from, named in messages of construct validation errors
 */
export function describeFailure(error: unknown, fleetFile: string): { exitCode: number; lines: string[] } {
  const { exitCode, lines } = describe(error, fleetFile);
  // Every line, whatever produced it, is made safe here: secrets redacted, control characters escaped.
  return { exitCode, lines: lines.flatMap((line) => line.split('\n')).map(safeText) };
}

function describe(error: unknown, fleetFile: string): { exitCode: number; lines: string[] } {
  if (error instanceof FleetConfigError) {
    return { exitCode: EXIT.invalidInput, lines: error.problems.map(formatProblem) };
  }
  if (error instanceof PeekStackValidationError) {
    // A construct refused a value the schema let through: no line to point at, but the field and value.
    const where = error.constructPath ? ` (${error.constructPath})` : '';
    return { exitCode: EXIT.invalidInput, lines: [`${escapeControl(fleetFile)}: ${error.field}${where}: found ${error.received}; allowed: ${error.allowed}`] };
  }
  if (error instanceof UsageError) {
    return { exitCode: EXIT.invalidInput, lines: [error.message] };
  }
  const detail = process.env.PEEKSTACK_DEBUG && error instanceof Error ? error.stack ?? error.message : error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT.failure, lines: [`error: ${detail}`] };
}
