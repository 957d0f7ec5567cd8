import { describeFailure } from '../config/report';

/** Output streams of a command, replaceable in tests. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Writes what went wrong to `io.err` (see describeFailure) and returns the exit code. */
export function reportFailure(error: unknown, fleetFile: string, io: CliIo): number {
  const { exitCode, lines } = describeFailure(error, fleetFile);
  io.err(lines.map((line) => `${line}\n`).join(''));
  return exitCode;
}
