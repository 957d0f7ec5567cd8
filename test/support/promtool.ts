import { spawnSync } from 'node:child_process';
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
