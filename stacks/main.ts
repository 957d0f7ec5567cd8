import { App } from 'cdktf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { FleetSpec, hubStackOf, UsageError } from '../src/config';
import { synthesizeAtomically } from '../src/synthesize';
import { buildFleetApp, FleetStacks } from './app';

/**
 * The deployable app: reads the fleet file and synthesizes its stacks. `cdktf synth` runs it as
 * `node dist/stacks/main.js` (see cdktf.json); the `peekstack` CLI (cli.ts) shares its functions.
 *
 * Fleet file: `--fleet <file>`, else $PEEKSTACK_FLEET, else stacks/fleet.default.yaml.
 * Output: `--out <dir>`, else $PEEKSTACK_OUT, else ./cdktf.out ($CDKTF_OUTDIR wins under cdktf).
 */

/** The default fleet, found from the compiled file so it works from any working directory. */
export const DEFAULT_FLEET_FILE = resolve(__dirname, '..', '..', 'stacks', 'fleet.default.yaml');

/** The fleet file to use: flag, environment, default (shown relative to the cwd when inside it). */
export function chooseFleetFile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.PEEKSTACK_FLEET;
  if (chosen) return chosen;
  const shown = relative(process.cwd(), DEFAULT_FLEET_FILE);
  return shown.startsWith('..') ? DEFAULT_FLEET_FILE : shown;
}

/** The output directory: flag, environment, `cdktf.out`. */
export function chooseOutdir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.PEEKSTACK_OUT ?? 'cdktf.out';
}

/** Stack names of a fleet in apply order: the hub (if any), the collectors, the interface. */
export function stackNamesOf(fleet: FleetSpec): string[] {
  const hub = hubStackOf(fleet);
  return [...(hub ? [hub] : []), ...fleet.hosts.map((host) => host.stackName), fleet.interface.stackName];
}

/** Refuses stack names the fleet does not have. */
function checkSelection(fleet: FleetSpec, selected: readonly string[]): void {
  const known = stackNamesOf(fleet);
  const unknown = selected.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(
      unknown.map((name) => `${fleet.file}: stack "${name}": not in this fleet; allowed: ${known.map((k) => `"${k}"`).join(', ')}`).join('\n'),
    );
  }
}

/** Builds every stack, and silences the synthesis of those not `selected` (all are built: the interface reads the collectors). */
function buildSelected(app: App, fleet: FleetSpec, selected: readonly string[] | undefined): FleetStacks {
  const stacks = buildFleetApp(app, fleet);
  if (selected && selected.length > 0) {
    for (const stack of [...(stacks.hub ? [stacks.hub] : []), ...stacks.collectors, stacks.interface]) {
      if (!selected.includes(stack.node.id)) stack.synthesizer = { synthesize: () => undefined };
    }
  }
  return stacks;
}

/**
 * Builds the fleet's stacks in memory without writing anything: the constructs validate their
 * props as they are created, so this finds what the schema cannot.
 */
export function buildInMemory(fleet: FleetSpec): FleetStacks {
  const scratch = mkdtempSync(join(tmpdir(), 'peekstack-validate-'));
  try {
    return buildFleetApp(new App({ outdir: scratch }), fleet);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Synthesizes the fleet (all stacks, or `stacks`) into `outdir`. Outside cdktf, the output is
 * swapped in only after a successful synthesis, so a failure leaves the previous output untouched.
 * @returns the names of the stacks written
 */
export function synthFleet(fleet: FleetSpec, options: { readonly outdir: string; readonly stacks?: readonly string[] }): string[] {
  if (options.stacks) checkSelection(fleet, options.stacks);
  const written = options.stacks && options.stacks.length > 0 ? [...options.stacks] : stackNamesOf(fleet);
  // Under `cdktf synth`/`cdktf deploy` the CLI owns the output directory and tells us where it is.
  if (process.env.CDKTF_OUTDIR) {
    const app = new App();
    buildSelected(app, fleet, options.stacks);
    app.synth();
  } else {
    synthesizeAtomically(options.outdir, (app) => {
      buildSelected(app, fleet, options.stacks);
    });
  }
  return written;
}

if (require.main === module) {
  // Run as the app: the same as `peekstack synth` with the same flags. Loaded here, not at the top,
  // because cli.ts imports this module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runCli } = require('./cli') as typeof import('./cli');
  process.exitCode = runCli(['synth', ...process.argv.slice(2)]);
}
