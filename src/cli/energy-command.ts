/**
 * `peekstack energy`: the energy of a time window, or of a command's run, read from a collector's
 * Prometheus (or the fleet store), as kWh, mean and peak watts, gCO₂e and cost per host and per
 * container. Kept apart from cli.ts (which only dispatches here) so the synth path loads none of it.
 *
 * Exit codes: 0 ok (with `--`: the command's own status), 2 invalid input (flags, files, the
 * window, a carbon CSV with gaps or overlaps), 1 anything else (unreachable server, TLS, 401, no
 * data, a carbon API refusing the token or rate-limiting). Messages, never stack traces.
 */
import { execFileSync, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeFailure, EXIT, loadFleetFile, UsageError } from '../config';
import { EnergyQueryError, parseBaseUrl, type PrometheusConnection } from '../energy/client';
import type { AccountingFactors } from '../components/energy/factors';
import type { EmbodiedEmissions } from '../components/energy/embodied';
import { carbonReport, type CarbonReport, type FunctionalUnit } from '../energy/carbon';
import { CARBON_TOKEN_ENV, ElectricityMapsIntensities } from '../energy/carbon-api';
import { readCarbonCsv } from '../energy/carbon-csv';
import { carbonJson, formatCarbonText } from '../energy/carbon-format';
import type { CarbonIntensitySource } from '../energy/carbon-intensity';
import { queryEnergy, type EnergySelection, unmeasuredRows } from '../energy/query';
import { ENERGY_FORMATS, type EnergyFormat, formatCsv, formatJson, formatTable } from '../energy/report';
import { renderEnergySvg } from '../energy/svg';
import { resolveWindow, type TimeWindow } from '../energy/window';
import type { CliIo } from './report-failure';
import { chooseFleetFile, chooseOutdir } from './options';

export const ENERGY_HELP = `Usage: peekstack energy [connection] [window] [selection] [output] [-- COMMAND ARGS...]

Energy of a time window (or of COMMAND's run) from a collector's Prometheus or the fleet store:
kWh, mean and peak W, gCO2e and cost per host, and per container with --container.

Connection (one of):
  --prometheus <url>        e.g. https://web-1.example.net:19090
    --ca-file <file>        CA of its certificate (default: the system's CAs)
    --username <name>       basic-auth user
    --password-file <file>  file holding the basic-auth password
  --stack <name>            read URL, user, password and CA from the Terraform outputs of a
                            synthesized and applied collector stack (<out>/stacks/<name>)
    --out <dir>             synthesis output (default: $PEEKSTACK_OUT, else ./cdktf.out)

Window (default: the last hour):
  --from <time> --to <time> RFC 3339 (2026-11-28T10:00:00Z), "now", or relative (-2h, -30m)
  --last <duration>         e.g. 30m: from 30 minutes ago to now
  -- COMMAND ARGS...        run COMMAND, measure from its start to its end (after the scrape
                            covering its end); exit with its status

Selection (regular expressions, anchored):
  --host <re>               hosts (default: all with data)
  --container <re>          add a row per matching container, with its share of the host
  --project <re>            Compose project of the containers
  --service <re>            Compose service of the containers

Carbon (an hourly breakdown and SCI = (E x I + M) / R in the table and JSON outputs):
  --carbon-api <url>        an Electricity Maps-compatible API (https://api.electricitymaps.com),
                            hourly intensity of each host's carbon.zone (fleet file)
    --carbon-token-file <file>  its token (default: $${CARBON_TOKEN_ENV})
  --carbon-csv <file>       hourly intensities: hour start (ISO 8601 UTC), [zone,] gCO2e/kWh
                            (hours without a value: the host's static accounting factor, said so)
  --functional-unit <N NAME>  SCI's R, e.g. --functional-unit 1200 requests
  --resource-share <x>      share of each machine the run used, for the embodied part
                            (0 < x <= 1; default 1: the whole machine)

Output:
  --format <table|csv|json> (default: table)
  --svg <file>              write a chart of power over the window, energy written on it
  --fleet <file>            fleet file with the accounting factors (default: $PEEKSTACK_FLEET,
                            else stacks/fleet.default.yaml)
  -h, --help                this help

Exit codes: 0 ok (with --, COMMAND's status), 2 invalid input, 1 anything else (a host or
container with no reading in the window included: its energy is unknown, the report says which).
`;

/** The connection the flags give, reading the files they name. */
function connectionFrom(values: Record<string, string | boolean | undefined>): PrometheusConnection {
  const read = (flag: string, file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`peekstack energy: ${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  if (typeof values.stack === 'string') {
    if (values.prometheus !== undefined) throw new UsageError('peekstack energy: --stack and --prometheus exclude each other');
    return connectionFromStack(values.stack, chooseOutdir(values.out as string | undefined));
  }
  if (typeof values.prometheus !== 'string') {
    throw new UsageError(`peekstack energy: say where Prometheus is: --prometheus <url> (with --ca-file, --username, --password-file) or --stack <name>\n\n${ENERGY_HELP}`);
  }
  parseBaseUrl(values.prometheus);
  if ((values.username === undefined) !== (values['password-file'] === undefined)) {
    throw new UsageError('peekstack energy: --username and --password-file go together');
  }
  return {
    url: values.prometheus,
    caPem: typeof values['ca-file'] === 'string' ? read('--ca-file', values['ca-file']) : undefined,
    username: values.username as string | undefined,
    // A password file usually ends with a newline that is not part of the password.
    password: typeof values['password-file'] === 'string' ? read('--password-file', values['password-file']).replace(/\r?\n$/, '') : undefined,
  };
}

/**
 * The connection of a collector stack, from `terraform output -json` in its synthesized directory
 * (the stack must have been applied there, or its backend must hold the state).
 */
export function connectionFromStack(stack: string, outdir: string): PrometheusConnection {
  const dir = join(outdir, 'stacks', stack);
  let text: string;
  try {
    text = execFileSync('terraform', ['output', '-json'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n').slice(-3).join(' ');
    throw new UsageError(`peekstack energy: --stack ${stack}: could not read the Terraform outputs in ${dir} (${stderr}). Synthesize (peekstack synth) and apply that stack first, or pass --prometheus and its credentials.`);
  }
  const outputs = JSON.parse(text || '{}') as Record<string, { value?: unknown }>;
  const value = (name: string): string => {
    const v = outputs[name]?.value;
    if (typeof v !== 'string' || v === '') throw new UsageError(`peekstack energy: --stack ${stack}: output ${name} is missing in ${dir}; is it a collector stack, applied?`);
    return v;
  };
  return { url: value('prometheus_url'), caPem: value('prometheus_ca_certificate'), username: value('prometheus_username'), password: value('prometheus_password') };
}

/** What the fleet file says of a host for energy: its factors, zone and embodied emissions. */
interface HostEnergySettings {
  readonly accounting: AccountingFactors;
  readonly carbonZone?: string;
  readonly embodied?: EmbodiedEmissions;
}

/** The settings of each host: the fleet file's host entry, else its defaults, else PeekStack's. */
function hostSettingsResolver(fleetFile: string): (host: string) => HostEnergySettings {
  const fleet = loadFleetFile(fleetFile);
  return (host) => fleet.hosts.find((h) => h.name === host) ?? fleet;
}

/** The carbon-intensity source the flags name, checked (and a CSV read) before anything is queried. */
function carbonSourceFrom(values: Record<string, string | boolean | undefined>): CarbonIntensitySource | undefined {
  const api = values['carbon-api'];
  const csv = values['carbon-csv'];
  const tokenFile = values['carbon-token-file'];
  if (typeof api === 'string' && typeof csv === 'string') throw new UsageError('peekstack energy: --carbon-api and --carbon-csv exclude each other; give one intensity source');
  if (typeof tokenFile === 'string' && typeof api !== 'string') throw new UsageError('peekstack energy: --carbon-token-file goes with --carbon-api');
  if (typeof csv === 'string') return readCarbonCsv(csv);
  if (typeof api !== 'string') return undefined;
  let token: string | undefined;
  if (typeof tokenFile === 'string') {
    try {
      // A token file usually ends with a newline that is not part of the token.
      token = readFileSync(tokenFile, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new UsageError(`peekstack energy: --carbon-token-file ${tokenFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  } else token = process.env[CARBON_TOKEN_ENV];
  if (token === undefined || token.trim() === '') {
    throw new UsageError(`peekstack energy: --carbon-api needs a token: --carbon-token-file <file>, or $${CARBON_TOKEN_ENV} (${typeof tokenFile === 'string' ? 'the file is empty' : 'not set'})`);
  }
  return new ElectricityMapsIntensities({ url: api, token });
}

/** `--functional-unit "1200 requests"`: SCI's R. */
export function parseFunctionalUnit(text: string): FunctionalUnit {
  const match = /^\s*(\d+(\.\d+)?([eE][+-]?\d+)?)\s+(\S.*?)\s*$/.exec(text);
  const count = match ? Number(match[1]) : NaN;
  if (!match || !Number.isFinite(count) || count <= 0) {
    throw new UsageError(`peekstack energy: --functional-unit ${JSON.stringify(text)}: expected a count more than 0 and a name, e.g. --functional-unit 1200 requests`);
  }
  return { count, name: match[4]! };
}

/** `--resource-share x`, in (0, 1]. */
function parseResourceShare(text: string): number {
  const share = /^\d*\.?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(share > 0 && share <= 1)) {
    throw new UsageError(`peekstack energy: --resource-share ${JSON.stringify(text)}: expected the share of the machine the run used, more than 0 and at most 1 (e.g. 0.25 for 4 of 16 cores)`);
  }
  return share;
}

/** Runs `argv` as a child with the terminal's stdio; resolves with its status and its time span. */
function runCommand(argv: readonly string[]): Promise<{ code: number; start: number; end: number }> {
  return new Promise((resolve, reject) => {
    const start = Date.now() / 1000;
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit' });
    child.once('error', (error) => reject(new UsageError(`peekstack energy: cannot run ${argv[0]}: ${error.message}`)));
    child.once('exit', (code, signal) => resolve({ code: code ?? 128 + (signal ? constants.signals[signal] : 0), start, end: Date.now() / 1000 }));
  });
}

const STRING_OPTIONS = ['prometheus', 'ca-file', 'username', 'password-file', 'stack', 'out', 'from', 'to', 'last', 'host', 'container', 'project', 'service', 'format', 'svg', 'fleet', 'carbon-api', 'carbon-token-file', 'carbon-csv', 'functional-unit', 'resource-share'];

/**
 * `--from -2h` as `--from=-2h`: node's parseArgs takes a value starting with "-" for an option,
 * and relative times start with one. `--functional-unit 1200 requests` as one value: its count
 * and name are two words.
 */
function joinNegativeValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg === '--functional-unit' && next !== undefined && /^\d/.test(next) && !/\s/.test(next.trim()) && args[i + 2] !== undefined && !args[i + 2]!.startsWith('--')) {
      out.push(`${arg}=${next} ${args[i + 2]}`);
      i += 2;
    } else if (STRING_OPTIONS.includes(arg.replace(/^--/, '')) && arg.startsWith('--') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * Runs `peekstack energy` with `args` (after the word `energy`) and returns the exit code.
 * Never throws.
 */
export async function runEnergyCommand(args: readonly string[], io: CliIo, stderrIsTty = process.stderr.isTTY === true): Promise<number> {
  const dashDash = args.indexOf('--');
  const own = dashDash < 0 ? [...args] : args.slice(0, dashDash);
  const command = dashDash < 0 ? undefined : args.slice(dashDash + 1);
  let progressShown = false;
  let fleetFile = chooseFleetFile(undefined);
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: joinNegativeValues(own),
        options: Object.fromEntries(
          STRING_OPTIONS.map((name) => [name, { type: 'string' as const }])
            .concat([['help', { type: 'boolean' as const, short: 'h' } as never]]),
        ),
      });
    } catch (error) {
      throw new UsageError(`peekstack energy: ${(error as Error).message}\n\n${ENERGY_HELP}`);
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    if (values.help) {
      io.out(ENERGY_HELP);
      return EXIT.ok;
    }
    const format = (values.format ?? 'table') as EnergyFormat;
    if (!ENERGY_FORMATS.includes(format)) throw new UsageError(`peekstack energy: --format ${JSON.stringify(values.format)}: expected one of ${ENERGY_FORMATS.join(', ')}`);
    if (command !== undefined && command.length === 0) throw new UsageError('peekstack energy: nothing after --; give the command to measure, e.g. -- ./benchmark.sh');
    if (command !== undefined && (values.from ?? values.to ?? values.last) !== undefined) {
      throw new UsageError('peekstack energy: with -- COMMAND the window is the command\'s run; drop --from, --to and --last');
    }
    const connection = connectionFrom(values);
    fleetFile = chooseFleetFile(values.fleet as string | undefined);
    const settingsFor = hostSettingsResolver(fleetFile);
    const carbonSource = carbonSourceFrom(values);
    const functionalUnit = typeof values['functional-unit'] === 'string' ? parseFunctionalUnit(values['functional-unit']) : undefined;
    const resourceShare = typeof values['resource-share'] === 'string' ? parseResourceShare(values['resource-share']) : undefined;
    const wantsCarbon = carbonSource !== undefined || functionalUnit !== undefined || resourceShare !== undefined;
    if (wantsCarbon && format === 'csv') {
      throw new UsageError('peekstack energy: the hourly carbon breakdown and SCI are in the table and JSON outputs; use --format table or json with --carbon-api, --carbon-csv, --functional-unit or --resource-share');
    }
    const selection: EnergySelection = {
      host: values.host as string | undefined,
      container: values.container as string | undefined,
      project: values.project as string | undefined,
      service: values.service as string | undefined,
    };

    let window: TimeWindow;
    let run: { code: number; start: number; end: number } | undefined;
    if (command) {
      run = await runCommand(command);
      window = { from: run.start, to: run.end };
    } else {
      window = resolveWindow({ from: values.from as string | undefined, to: values.to as string | undefined, last: values.last as string | undefined }, Date.now() / 1000);
    }
    const report = await queryEnergy({
      connection,
      window,
      selection,
      factorsFor: (host) => settingsFor(host).accounting,
      onProgress: stderrIsTty
        ? (status) => {
            progressShown = true;
            io.err(`\r\x1b[K${status}`);
          }
        : undefined,
    });
    if (progressShown) io.err('\r\x1b[K');
    // Before any output: a carbon API that refuses leaves nothing half printed.
    let carbon: CarbonReport | undefined;
    if (wantsCarbon) {
      carbon = await carbonReport({
        window,
        source: carbonSource,
        resourceShare,
        functionalUnit,
        hosts: report.rows
          .filter((r) => r.scope === 'host')
          .map((r) => {
            const settings = settingsFor(r.host);
            return { host: r.host, samples: report.hostSamples.get(r.host) ?? [], factors: settings.accounting, zone: settings.carbonZone, embodied: settings.embodied };
          }),
      });
    }
    const header = run ? [`command: ${command!.join(' ')} (exit status ${run.code})`] : [];
    if (format === 'table') io.out(formatTable(report, header) + (carbon ? formatCarbonText(carbon) : ''));
    else if (format === 'csv') io.out(formatCsv(report));
    else io.out(formatJson(report, { ...(run ? { command: command, exitStatus: run.code } : {}), ...(carbon ? { carbon: carbonJson(carbon) } : {}) }));
    if (typeof values.svg === 'string') {
      const title = run ? `peekstack energy -- ${command!.join(' ')}` : 'peekstack energy';
      try {
        writeFileSync(values.svg, renderEnergySvg(report, title));
      } catch (error) {
        throw new UsageError(`peekstack energy: --svg ${values.svg}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    // A host without a measurement (0 % covered) printed as 0 J is not a result: say so, exit 1.
    const unmeasured = unmeasuredRows(report);
    if (unmeasured.length > 0) {
      io.err(
        `peekstack energy: no power reading covers the window for ${unmeasured.map((r) => (r.scope === 'host' ? r.host : `${r.host} container ${r.name}`)).join(', ')}: its energy is unknown, not 0 (its collector was down, or its data ends before the window). The other rows were measured.\n`,
      );
      return EXIT.failure;
    }
    return run ? run.code : EXIT.ok;
  } catch (error) {
    if (progressShown) io.err('\r\x1b[K');
    if (error instanceof EnergyQueryError) {
      io.err(`peekstack energy: ${error.message}\n`);
      return EXIT.failure;
    }
    const { exitCode, lines } = describeFailure(error, fleetFile);
    io.err(lines.map((line) => `${line}\n`).join(''));
    return exitCode;
  }
}
