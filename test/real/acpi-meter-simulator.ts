/**
 * A simulated ACPI power meter (the kernel's acpi_power_meter hwmon device: the BMC's reading of
 * the whole machine's power), for running the real node_exporter on machines without one. Layout,
 * under a fresh temp dir:
 *
 *   hwmon/                     bind to /sys/class/hwmon (node_exporter reads it via --path.sysfs)
 *     hwmon0/                  name=power_meter, power1_average (µW), power1_average_interval (ms)
 *
 * A timer in this process rewrites power1_average with the current wattage; as in
 * rapl-simulator.ts, the truth the tests compare against is kept apart from the file: every power
 * step is logged with its time, and {@link AcpiMeterSimulation.energyJoules} integrates that log.
 */
import { mkdirSync, promises as fsp, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Options of {@link startAcpiMeterSimulation}. */
export interface AcpiMeterOptions {
  /** Power of the whole machine at the start, in watts. */
  readonly watts: number;
  /**
   * How often power1_average is rewritten, in ms.
   * @default 50
   */
  readonly intervalMs?: number;
}

/** A running simulation; see {@link startAcpiMeterSimulation}. */
export interface AcpiMeterSimulation {
  /** What /sys/class/hwmon would be: one hwmon device, the power meter. */
  readonly hwmonDir: string;
  /** The power now, in watts. */
  readonly watts: number;
  /**
   * Change the power from now on.
   * @returns the time of the step (Unix ms)
   */
  setWatts(watts: number): number;
  /** The power at `atMs` (Unix ms, since the start), from the log of steps. */
  wattsAt(atMs: number): number;
  /** Energy drawn between two instants (Unix ms), in joules, from the log of steps. */
  energyJoules(fromMs: number, toMs: number): number;
  /** Stop the writer and delete the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Create the simulated meter and start writing it. Remember to `await sim.stop()`. */
export async function startAcpiMeterSimulation(opts: AcpiMeterOptions): Promise<AcpiMeterSimulation> {
  if (!(opts.watts >= 0)) throw new Error(`ACPI meter simulation: ${opts.watts} W`);
  const rootDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'peekstack-acpi-meter-'));
  const hwmonDir = path.join(rootDir, 'hwmon');
  const device = path.join(hwmonDir, 'hwmon0');
  mkdirSync(device, { recursive: true });
  writeFileSync(path.join(device, 'name'), 'power_meter\n');
  writeFileSync(path.join(device, 'power1_average_interval'), '1000\n');
  const steps: { atMs: number; watts: number }[] = [{ atMs: Date.now(), watts: opts.watts }];
  const current = () => steps.at(-1)!.watts;
  const write = (): void => {
    // Via a temp file and a rename: a reader never sees a truncated value.
    const file = path.join(device, 'power1_average');
    writeFileSync(`${file}.tmp`, `${Math.round(current() * 1e6)}\n`);
    renameSync(`${file}.tmp`, file);
  };
  write();
  const timer = setInterval(() => {
    try {
      write();
    } catch {
      // The dir was removed under us (stop() racing a tick).
    }
  }, opts.intervalMs ?? 50);
  timer.unref();

  let stopped = false;
  return {
    hwmonDir,
    get watts() {
      return current();
    },
    setWatts(watts) {
      if (!(watts >= 0)) throw new Error(`ACPI meter simulation: ${watts} W`);
      const atMs = Date.now();
      steps.push({ atMs, watts });
      write();
      return atMs;
    },
    wattsAt(atMs) {
      return [...steps].reverse().find((step) => step.atMs <= atMs)?.watts ?? steps[0]!.watts;
    },
    energyJoules(fromMs, toMs) {
      if (toMs < fromMs) throw new Error(`energyJoules: window ends (${toMs}) before it starts (${fromMs})`);
      return steps.reduce((joules, step, i) => {
        const overlap = Math.min(steps[i + 1]?.atMs ?? Infinity, toMs) - Math.max(step.atMs, fromMs);
        return overlap > 0 ? joules + (step.watts * overlap) / 1000 : joules;
      }, 0);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await fsp.rm(rootDir, { recursive: true, force: true });
    },
  };
}
