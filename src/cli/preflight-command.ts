/**
 * `peekstack preflight [STACK...]`: connects to the Docker engine of each selected stack's host, as
 * `apply` would, and says what will work there before anything is deployed (src/preflight/). Loaded
 * only when used (commands.ts dispatches here), so no other command loads dockerode.
 *
 * Exit codes: 0 every host can serve its stacks (warnings allowed), 1 a host cannot (the reason is
 * in its findings), 2 invalid input (flags, fleet file, a stack name not in the fleet).
 */
import { parseArgs } from 'node:util';
import { describeFailure, EXIT, loadFleetFile, UsageError } from '../config';
import { listSome, quote, safeText } from '../core/errors';
import type { CliIo } from './report-failure';
import { chooseFleetFile, stackNamesOf } from './options';

export const PREFLIGHT_HELP = `Usage: peekstack preflight [options] [stack ...]

Connects to the Docker engine of each selected stack's host (the fleet file's docker endpoint:
unix socket, tcp with TLS client certificates, or ssh) and reports, per host, without changing
anything persistent: engine and API version (refused below the stacks' minimum), cgroup and kernel
version, RAPL as Scaphandre and node_exporter will read it (and Docker's powercap mask), an ACPI
power meter, GPUs, published ports already taken, free disk for the retention asked, and what each
finding means for the stacks. Short-lived probe containers run from an image already on the host
(the stack's own node_exporter image first); nothing is pulled.

Options:
  --fleet <file>          fleet file (default: $PEEKSTACK_FLEET, else stacks/fleet.default.yaml)
  --format <table|json>   output (default: table)
  --timeout <seconds>     to connect and for each engine call (default: 20)
  --probe-image <image>   an image on the hosts with /bin/sh to probe with, tried first
  -h, --help              this help

Exit codes: 0 every host can serve its stacks, 1 a host cannot (see its findings), 2 invalid input.
`;

/** The selected stacks, in fleet order; a name not in the fleet is a usage error (exit 2). */
function select(file: string, known: readonly string[], named: readonly string[]): string[] {
  if (named.length === 0) return [...known];
  const unknown = [...new Set(named.filter((name) => !known.includes(name)))];
  if (unknown.length > 0) {
    throw new UsageError(
      unknown
        .slice(0, 5)
        .map((name) => `${file}: stack ${quote(name)}: not in this fleet; allowed: ${listSome(known)}`)
        .concat(unknown.length > 5 ? [`... and ${unknown.length - 5} more unknown stack name(s)`] : [])
        .join('\n'),
    );
  }
  return known.filter((name) => named.includes(name));
}

/** A progress line on stderr when it is a terminal: rewritten in place, cleared at the end. */
function progressLine(io: CliIo, enabled: boolean) {
  let shown = false;
  return {
    show(text: string) {
      if (!enabled) return;
      io.err(`\r\u001b[2K${text.slice(0, (process.stderr.columns || 80) - 1)}`);
      shown = true;
    },
    clear() {
      if (shown) io.err('\r\u001b[2K');
      shown = false;
    },
  };
}

export async function runPreflightCommand(argv: readonly string[], io: CliIo, options: { tty?: boolean; sshBinary?: string } = {}): Promise<number> {
  let fleetFile = chooseFleetFile(undefined);
  const progress = progressLine(io, options.tty ?? Boolean(process.stderr.isTTY));
  let onSignal: (() => void) | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: {
          fleet: { type: 'string' },
          format: { type: 'string' },
          timeout: { type: 'string' },
          'probe-image': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (error) {
      throw new UsageError(`peekstack preflight: ${(error as Error).message}\n\n${PREFLIGHT_HELP}`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(PREFLIGHT_HELP);
      return EXIT.ok;
    }
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`peekstack preflight: --format ${quote(format)}: allowed: table, json`);
    const timeout = values.timeout === undefined ? 20 : Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) throw new UsageError(`peekstack preflight: --timeout ${quote(values.timeout ?? '')}: allowed: a number of seconds, above 0 and at most 3600`);
    if (values['probe-image'] !== undefined && !/^[a-z0-9][a-z0-9._\-/:@]*$/i.test(values['probe-image'])) {
      throw new UsageError(`peekstack preflight: --probe-image ${quote(values['probe-image'])}: allowed: an image name such as prom/node-exporter:v1.11.1`);
    }
    fleetFile = chooseFleetFile(values.fleet);
    const fleet = loadFleetFile(fleetFile);
    const stacks = select(fleet.file, stackNamesOf(fleet), positionals);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pf = require('../preflight') as typeof import('../preflight');
    onSignal = () => {
      progress.clear();
      io.err('peekstack preflight: interrupted; removing the probe containers\n');
      void pf.removeActiveProbes().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const reports = await pf.preflight(fleet, stacks, {
      timeoutSeconds: timeout,
      probeImage: values['probe-image'],
      sshBinary: options.sshBinary,
      onProgress: (host, index, count, step) => progress.show(`preflight ${index + 1}/${count} ${host}: ${step}...`),
    });
    progress.clear();
    io.out(format === 'json' ? pf.formatPreflightJson(reports) : pf.formatPreflightTable(reports));
    const failed = reports.filter((r) => r.verdict === 'fail');
    for (const r of failed) {
      const reasons = r.findings.filter((f) => f.level === 'fail').map((f) => f.text);
      io.err(`${safeText(`peekstack preflight: host ${quote(r.host)} (${quote(r.endpoint)}) cannot serve ${r.stacks.join(', ')}: ${reasons.join('; ')}`)}\n`);
    }
    return failed.length > 0 ? EXIT.failure : EXIT.ok;
  } catch (error) {
    progress.clear();
    const { exitCode, lines } = describeFailure(error, fleetFile);
    io.err(lines.map((line) => `${line}\n`).join(''));
    return exitCode;
  } finally {
    if (onSignal) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
}
