/**
 * Running the compiled `peekstack energy` against a harness, as a user would.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Harness } from './harness';
import { REPO_ROOT } from './tools';

/** The compiled CLI: `npm test` builds before running vitest. */
export const CLI = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'cli.js');

/** Exit code and output of one run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `peekstack energy ARGS` asynchronously: the RAPL simulation ticks in this process, so a
 * synchronous spawn would freeze the counters for the duration of the command (and a stub server
 * in this process could not answer it).
 * @param env the command's environment (@default this process's)
 */
export function energy(args: readonly string[], timeoutMs = 90_000, env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'energy', ...args], { encoding: 'utf8', timeout: timeoutMs, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `--prometheus ... --ca-file ... --username ... --password-file ...` for the harness (password written into `dir`). */
export function energyConnectionArgs(harness: Harness, dir: string): string[] {
  const passwordFile = path.join(dir, 'password');
  writeFileSync(passwordFile, `${harness.secrets.password}\n`);
  return [
    '--prometheus', `https://${harness.endpoint.address}:${harness.endpoint.port}`,
    '--ca-file', harness.secrets.tls.caFile,
    '--username', harness.endpoint.username,
    '--password-file', passwordFile,
  ];
}
