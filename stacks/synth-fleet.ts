import { App } from 'cdktf';
import type { FleetSpec } from '../src/config';
import { EXIT } from '../src/config/report';
import { replaceAtomically, synthesizeStacks } from '../src/synthesize';
import { buildFleetPart } from './app';
import { selectStacks } from './options';
import { CliIo, reportFailure } from './report-failure';

/**
 * The `synth` command's work, the only one that loads cdktf and the providers: the CLI requires
 * this module when it synthesizes, and not before.
 */

/**
 * Synthesizes the fleet (all stacks, or those named in `stacks`) into `outdir`. Only what the named
 * stacks need is built, and only they are resolved and written: one collector of a large fleet costs
 * about one collector. Outside cdktf-cli, the output is swapped in only after a successful synthesis,
 * so a failure leaves the previous output untouched.
 * @returns the names of the stacks written, in fleet order
 */
export function synthFleet(fleet: FleetSpec, options: { readonly outdir: string; readonly stacks?: readonly string[] }): string[] {
  const selected = selectStacks(fleet, options.stacks);
  const write = (outdir: string) => {
    const app = new App({ outdir });
    const part = buildFleetPart(app, fleet, selected);
    synthesizeStacks(app, part.synthesized, part.readers);
  };
  // Under `cdktf synth`/`cdktf deploy` the CLI owns the output directory and tells us where it is.
  const cdktfOutdir = process.env.CDKTF_OUTDIR;
  if (cdktfOutdir) write(cdktfOutdir);
  else replaceAtomically(options.outdir, write);
  return selected;
}

/**
 * The `synth` command: synthesizes, says what was written, and reports a failure itself (exit code
 * 2 for invalid input, 1 for anything else). Never throws.
 */
export function synthCommand(fleet: FleetSpec, options: { readonly outdir: string; readonly stacks?: readonly string[] }, io: CliIo): number {
  try {
    const written = synthFleet(fleet, options);
    io.out(`${fleet.file}: synthesized ${written.join(', ')} into ${process.env.CDKTF_OUTDIR ?? options.outdir}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, fleet.file, io);
  }
}
