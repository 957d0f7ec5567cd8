import { basename, dirname, relative, resolve } from 'node:path';
import type { FleetSpec } from '../config';
import { hubStackOf } from '../config/spec';
import { UsageError } from '../config/report';

/**
 * What every command needs to know before it builds anything: which fleet file, which output
 * directory, which stacks. Free of cdktf, so `list`, `validate` and `--help` never load it.
 */

/**
 * The default fleet, found from the compiled file so it works from any working directory: the
 * package root is two folders up from the bundled programs (dist/bin/) and three from the compiled
 * CLI (dist/src/cli/).
 */
export const DEFAULT_FLEET_FILE = resolve(__dirname, ...(basename(dirname(__dirname)) === 'src' ? ['..', '..', '..'] : ['..', '..']), 'stacks', 'fleet.default.yaml');

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

/**
 * The stacks to synthesize: all of them when none are named, else the named ones (in fleet order).
 * Names the fleet does not have are a usage error.
 */
export function selectStacks(fleet: FleetSpec, named: readonly string[] | undefined): string[] {
  const known = stackNamesOf(fleet);
  if (!named || named.length === 0) return known;
  const unknown = named.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(
      unknown.map((name) => `${fleet.file}: stack "${name}": not in this fleet; allowed: ${known.map((k) => `"${k}"`).join(', ')}`).join('\n'),
    );
  }
  return known.filter((name) => named.includes(name));
}
