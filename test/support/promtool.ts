import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { toolPath } from '../real/tools';

/** Result of one promtool run. */
export interface PromtoolResult {
  status: number | null;
  output: string;
}

/** Runs the real promtool (Prometheus 3.x) with `args`. */
export function promtool(...args: string[]): PromtoolResult {
  const result = spawnSync(toolPath('promtool'), args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * Runs `run` (promtool on the files) in a fresh directory holding `content` as `ruleFileName` and a
 * copy of the unit-test file `testsFile` beside it, as the unit tests name it; removes the directory.
 */
export function withRuleFile(ruleFileName: string, content: string, testsFile: string, run: (dir: string) => PromtoolResult): PromtoolResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-rules-'));
  try {
    writeFileSync(path.join(dir, ruleFileName), content);
    copyFileSync(testsFile, path.join(dir, path.basename(testsFile)));
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
