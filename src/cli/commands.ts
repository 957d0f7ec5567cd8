import { statSync, writeSync } from 'node:fs';
import * as z from 'zod/mini';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FleetSpec } from '../config';
import { loadFleetFile } from '../config/loader';
import { fleetSettingsProblems } from '../fleet/settings';
import { EXIT, UsageError } from '../config/report';
import { hubStackOf } from '../config/spec';
import { quote, safeText } from '../core/errors';
import { resolveStateBackend, stateLocation } from '../core/state-backend';
import { chooseFleetFile, chooseOutdir, stackNamesOf } from './options';
import { CliIo, reportFailure } from './report-failure';

/**
 * The commands of `peekstack` (cli.ts) and of the app (main.ts): validate a fleet file, synthesize
 * its stacks, list them. Exit codes: 0 ok, 2 invalid input (fleet file, refused values, command
 * line), 1 anything else. Errors go to stderr, without a stack trace (set PEEKSTACK_DEBUG=1 for one
 * on unexpected errors).
 *
 * Only `synth` loads cdktf and the providers (synth-fleet.ts, required when it runs): `list`,
 * `validate` and `--help` need neither, and are as fast as reading the fleet file.
 */

const FLEET_HELP = `  --fleet <file>  fleet file (default: $PEEKSTACK_FLEET, else stacks/fleet.default.yaml)`;

const HELP: Record<string, string> = {
  main: `Usage: peekstack <command> [options]

Commands:
  validate   check the fleet file and print its hosts, stacks, endpoints and published ports
  synth      synthesize all stacks, or the ones named, into cdktf.out
  list       print the stack names, one per line (for CI matrices)
  energy     energy, CO2 and cost of a time window or a command's run (peekstack energy --help)
  preflight  check each stack's host before deploying: engine, RAPL, ports, disk (peekstack preflight --help)

Options:
${FLEET_HELP}
  -h, --help      help (also: peekstack <command> --help)

Exit codes: 0 ok, 2 invalid input, 1 anything else.
`,
  validate: `Usage: peekstack validate [--fleet <file>]

Checks the fleet file (syntax, schema, cross-field rules, and every check the stacks' constructs
make on its values), then prints a summary table. Writes nothing. Every problem is reported as
file:line:col.

Options:
${FLEET_HELP}
  -h, --help      this help
`,
  synth: `Usage: peekstack synth [--fleet <file>] [--out <dir>] [stack ...]

Synthesizes the fleet's stacks (all, or those named) into <dir>/stacks/<stack>/cdk.tf.json. The
output directory is replaced only when synthesis succeeds; on failure the previous one is kept.

Options:
${FLEET_HELP}
  --out <dir>     output directory (default: $PEEKSTACK_OUT, else ./cdktf.out)
  -h, --help      this help
`,
  list: `Usage: peekstack list [--fleet <file>]

Prints the fleet's stack names in apply order, one per line: hub (the fleet store, when
embedded), collector-<host> for each host, then interface.

Options:
${FLEET_HELP}
  -h, --help      this help
`,
};

/** Parses one command's options; unknown options are usage errors (exit 2). */
function parse(command: string, args: string[], withOut: boolean, positionals: boolean) {
  try {
    return parseArgs({
      args,
      allowPositionals: positionals,
      options: {
        fleet: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...(withOut ? { out: { type: 'string' as const } } : {}),
      },
    });
  } catch (error) {
    throw new UsageError(`peekstack ${command}: ${(error as Error).message}\n\n${HELP[command]}`);
  }
}

/**
 * Refuses an output directory synthesis cannot create (exit 2, not a raw ENOENT): its parent folder
 * must exist, and it must itself be a folder if it exists.
 */
function checkOutdir(outdir: string): void {
  const parent = dirname(resolve(outdir));
  const kind = (path: string) => {
    try {
      return statSync(path).isDirectory() ? 'folder' : 'file';
    } catch {
      return 'missing';
    }
  };
  if (kind(parent) !== 'folder') {
    const found = kind(parent) === 'missing' ? `no folder ${quote(parent)} to create it in` : `${quote(parent)}, which is a file, not a folder`;
    throw new UsageError(`peekstack synth: --out ${quote(outdir)}: found ${found}; allowed: an output directory inside an existing folder (create ${quote(parent)} first)`);
  }
  if (kind(outdir) === 'file') {
    throw new UsageError(`peekstack synth: --out ${quote(outdir)}: found a file; allowed: an output directory (a folder, or a path that does not exist yet)`);
  }
}

/** Aligned plain-text table. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The validate command's summary. */
export function summarize(fleet: FleetSpec): string {
  const rows = fleet.hosts.map((host) => {
    const ports = [`${host.ports.prometheus} prometheus`];
    if (host.exporters.nodeExporter.enabled) ports.push(`${host.ports.nodeExporter} node_exporter`);
    return [host.stackName, host.name, host.docker.host, host.addresses.join(', '), ports.join(', '), stateLocation(resolveStateBackend(host.stackName, host.backend))].map(safeText);
  });
  const ui = fleet.interface;
  const uiHost = fleet.hosts.find((host) => host.name === ui.host);
  rows.push([ui.stackName, ui.host, uiHost?.docker.host ?? '', uiHost?.addresses.join(', ') ?? '', `${ui.port} grafana`, stateLocation(resolveStateBackend(ui.stackName, ui.backend))].map(safeText));
  const store = fleet.store;
  const alerting = fleet.alerting;
  const hubStack = hubStackOf(fleet);
  const hubHost = hubStack ? fleet.hosts.find((host) => host.name === (alerting?.host ?? store.host)) : undefined;
  if (hubStack && hubHost) {
    // The hub stack deploys to its host and, with an Alertmanager pair, to the peer's host too: a row each.
    const hubRow = (host: (typeof fleet.hosts)[number], ports: string[]) =>
      [hubStack, host.name, host.docker.host, host.addresses.join(', '), ports.join(', '), stateLocation(resolveStateBackend(hubStack, store.backend))].map(safeText);
    const gossip = alerting?.peerHost === undefined ? [] : [`${alerting.clusterPort} alertmanager gossip`];
    const peerHost = fleet.hosts.find((host) => host.name === alerting?.peerHost);
    rows.unshift(
      hubRow(hubHost, [
        ...(store.enabled && store.kind === 'embedded' ? [`${store.port} fleet store`] : []),
        ...(alerting ? [`${alerting.port} alertmanager`, ...gossip] : []),
      ]),
      ...(alerting && peerHost ? [hubRow(peerHost, [`${alerting.port} alertmanager (peer)`, ...gossip])] : []),
    );
  }
  const stackCount = new Set(rows.map((row) => row[0])).size;
  const counts = `${fleet.hosts.length} host(s), ${stackCount} stack(s), credentials: ${fleet.credentials}`;
  return `${safeText(fleet.file)}: valid; ${counts}\n\n${table(['STACK', 'HOST', 'DOCKER ENDPOINT', 'ADDRESSES', 'PUBLISHED PORTS', 'STATE'], rows)}\n`;
}

export { CliIo } from './report-failure';

/**
 * The synthesis module, loaded when `synth` runs and not before: the other commands never need
 * cdktf. In the `peekstack` bundle it is a bundle of its own, dist/bin/synth-fleet.js, which reports
 * its own failures (its error classes are its own copies: `instanceof` here would not know them).
 * Run from this TypeScript source (vitest), `require` cannot load TypeScript: the module compiled by
 * `npm run build` is used.
 */
function synthModule(): typeof import('./synth-fleet') {
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (!__filename.endsWith('.ts')) return require('./synth-fleet');
  return require(resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'synth-fleet.js'));
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Writes `text` to standard output (1) or error (2) at once. `process.stdout` would first load
 * node's stream modules: a tenth of `peekstack list`'s own time, for a few lines. A descriptor the
 * parent left non-blocking may refuse a write (EAGAIN): the rest then goes through the stream.
 */
function writeTo(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(fd, bytes, written);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(written));
  }
}

const processIo: CliIo = { out: (text) => writeTo(1, text), err: (text) => writeTo(2, text) };

// zod compiles a parser with `new Function` for each object schema on its first parse: for the one
// fleet file a run reads, that costs more than it saves (a tenth of `peekstack list`'s own time;
// no slower at 10,000 hosts). A setting of these programs, not of the library: it is zod's global.
z.config({ jitless: true });

/**
 * Runs any command, `energy` included (asynchronous: it queries Prometheus and may run a command),
 * and resolves to the exit code. Never rejects. `energy` is loaded only when used.
 */
export async function runCommand(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (argv[0] === 'preflight') return (require('./preflight-command') as typeof import('./preflight-command')).runPreflightCommand(argv.slice(1), io);
  if (argv[0] !== 'energy') return runCli(argv, io);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runEnergyCommand } = require('./energy-command') as typeof import('./energy-command');
  return runEnergyCommand(argv.slice(1), io);
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Never throws.
 * `energy` is asynchronous: use {@link runCommand} for it.
 */
export function runCli(argv: readonly string[], io: CliIo = processIo): number {
  const [command, ...rest] = argv;
  let fleetFile = chooseFleetFile(undefined);
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP.main);
      return command === undefined ? EXIT.invalidInput : EXIT.ok;
    }
    if (!(command in HELP) || command === 'main') {
      const hint = command === 'energy' ? ' (energy is asynchronous: run it with runCommand)' : '';
      throw new UsageError(`peekstack: unknown command "${command}"${hint}; allowed: validate, synth, list, energy, preflight\n\n${HELP.main}`);
    }
    const { values, positionals } = parse(command, rest, command === 'synth', command === 'synth');
    if (values.help) {
      io.out(HELP[command]);
      return EXIT.ok;
    }
    fleetFile = chooseFleetFile(values.fleet);
    const fleet = loadFleetFile(fleetFile, { settingsChecks: fleetSettingsProblems });
    switch (command) {
      case 'validate':
        io.out(summarize(fleet));
        return EXIT.ok;
      case 'list':
        io.out(stackNamesOf(fleet).map((name) => `${name}\n`).join(''));
        return EXIT.ok;
      default: {
        const outdir = chooseOutdir((values as { out?: string }).out);
        // Under cdktf, CDKTF_OUTDIR decides and cdktf has made it; otherwise check before building anything.
        if (!process.env.CDKTF_OUTDIR) checkOutdir(outdir);
        return synthModule().synthCommand(fleet, { outdir, stacks: positionals }, io);
      }
    }
  } catch (error) {
    return reportFailure(error, fleetFile, io);
  }
}
