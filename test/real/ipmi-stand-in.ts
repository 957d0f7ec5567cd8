/**
 * A FreeIPMI stand-in for the real ipmi_exporter: a folder holding an executable `ipmi-dcmi`, put
 * first on the exporter's tools path (`--freeipmi.path`). The exporter's `dcmi` collector runs
 * `ipmi-dcmi --get-system-power-statistics --config-file <named pipe> [-h <BMC>]` once per scrape
 * (collector_dcmi.go, freeipmi/freeipmi.go of prometheus-community/ipmi_exporter); the stand-in
 * prints what FreeIPMI documents for that command, with the power the test sets, and logs each
 * call: its arguments and the config the exporter wrote to the pipe (driver, user, password).
 *
 * What it does not prove: that a real BMC answers (RMCP+ sessions, cipher suites, timeouts), that
 * FreeIPMI parses the config as the exporter writes it, or how a given BMC averages its reading.
 */
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** One call of the stand-in, as it logged it. */
export interface IpmiCall {
  /** The arguments, as passed. */
  readonly args: readonly string[];
  /** What the exporter wrote to the `--config-file` pipe (FreeIPMI's config syntax). */
  readonly config: string;
}

/** A running stand-in. */
export interface IpmiStandIn {
  /** The folder to pass as `--freeipmi.path`. */
  readonly toolsDir: string;
  /** Sets the power the next calls report, in whole watts (as BMCs report it); `undefined`: "Power Measurement: Not Available". */
  setWatts(watts: number | undefined): void;
  /** The calls so far. */
  calls(): IpmiCall[];
  /** Joules the simulated machine drew from `fromMs` to `toMs` (Date.now() times): the power set, integrated. */
  energyJoules(fromMs: number, toMs: number): number;
  /** Removes the folder. */
  stop(): void;
}

/** The call separator of the log (a line no config or argument holds). */
const CALL_MARK = '--- call ---';

/**
 * The stand-in script. `--get-system-power-statistics` output as FreeIPMI's ipmi-dcmi(8) prints it;
 * the exporter reads "Power Measurement" and "Current Power" (freeipmi.GetCurrentPowerConsumption).
 */
function script(dir: string): string {
  return `#!/bin/sh
# Stand-in for FreeIPMI's ipmi-dcmi (test/real/ipmi-stand-in.ts).
log="${dir}/calls.log"
{
  echo '${CALL_MARK}'
  for arg in "$@"; do printf 'arg %s\\n' "$arg"; done
  prev=''
  for arg in "$@"; do
    if [ "$prev" = "--config-file" ]; then sed 's/^/config /' "$arg"; fi
    prev="$arg"
  done
} >>"$log"
watts="$(cat "${dir}/watts")"
if [ "$watts" = "none" ]; then
  measurement='Not Available'; watts=0
else
  measurement='Active'
fi
cat <<OUT
Current Power                        : $watts Watts
Minimum Power over sampling duration : $watts watts
Maximum Power over sampling duration : $watts watts
Average Power over sampling duration : $watts watts
Time Stamp                           : $(date -u '+%m/%d/%Y - %H:%M:%S')
Statistics reporting time period     : 1000 milliseconds
Power Measurement                    : $measurement
OUT
`;
}

/** Creates the stand-in reporting `watts` until {@link IpmiStandIn.setWatts} changes it. */
export function startIpmiStandIn(watts: number): IpmiStandIn {
  const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-ipmi-'));
  const wattsFile = path.join(dir, 'watts');
  // Steps of the simulated power: [since (ms), watts].
  const steps: [number, number | undefined][] = [];
  const setWatts = (value: number | undefined) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) throw new Error(`whole watts, got ${value}`);
    // Renamed into place: a call never reads a half-written file.
    writeFileSync(`${wattsFile}.new`, value === undefined ? 'none' : String(value));
    renameSync(`${wattsFile}.new`, wattsFile);
    steps.push([Date.now(), value]);
  };
  setWatts(watts);
  writeFileSync(path.join(dir, 'calls.log'), '');
  const tool = path.join(dir, 'ipmi-dcmi');
  writeFileSync(tool, script(dir));
  chmodSync(tool, 0o755);
  return {
    toolsDir: dir,
    setWatts,
    calls: () =>
      readFileSync(path.join(dir, 'calls.log'), 'utf8')
        .split(`${CALL_MARK}\n`)
        .filter((call) => call !== '')
        .map((call) => {
          const lines = call.split('\n').filter((line) => line !== '');
          return {
            args: lines.filter((line) => line.startsWith('arg ')).map((line) => line.slice(4)),
            config: lines.filter((line) => line.startsWith('config ')).map((line) => line.slice(7)).join('\n'),
          };
        }),
    energyJoules(fromMs, toMs) {
      let joules = 0;
      steps.forEach(([since, value], index) => {
        const until = index + 1 < steps.length ? steps[index + 1][0] : Infinity;
        const overlap = Math.min(until, toMs) - Math.max(since, fromMs);
        if (overlap > 0) joules += ((value ?? 0) * overlap) / 1000;
      });
      return joules;
    },
    stop: () => rmSync(dir, { recursive: true, force: true }),
  };
}
