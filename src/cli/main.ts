import { runCli } from './commands';

/**
 * The deployable app: `node dist/bin/main.js [--fleet FILE] [--out DIR] [STACK ...]` is
 * `peekstack synth` with the same arguments. `npm run synth` and cdktf-cli (see cdktf.json) run it.
 *
 * Fleet file: `--fleet <file>`, else $PEEKSTACK_FLEET, else stacks/fleet.default.yaml.
 * Output: `--out <dir>`, else $PEEKSTACK_OUT, else ./cdktf.out ($CDKTF_OUTDIR wins under cdktf).
 */

/** Runs the app with `argv` (without node and script) and returns the exit code. Never throws. */
export function runApp(argv: readonly string[]): number {
  return runCli(['synth', ...argv]);
}

if (require.main === module) {
  process.exitCode = runApp(process.argv.slice(2));
}
