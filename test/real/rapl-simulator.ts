/**
 * A simulated Intel RAPL powercap tree, for running the real Scaphandre and node_exporter on
 * machines without RAPL (VMs, CI). Layout, under a fresh temp dir:
 *
 *   sys/                       pass as node_exporter `--path.sysfs`: links to the real /sys entries,
 *     class/                   except class/powercap, which is ours
 *       powercap/              bind to /sys/class/powercap for Scaphandre (proot -b)
 *         intel-rapl:0/        name=package-0, energy_uj, max_energy_range_uj, enabled
 *         intel-rapl:0:0/      name=core, energy_uj, max_energy_range_uj, enabled
 *   modules                    fake /proc/modules (Scaphandre panics without one)
 *
 * A timer in this process advances each energy_uj at a known wattage, computed from the elapsed
 * monotonic time (not from the tick count), so late ticks don't change the simulated power; the
 * counters wrap at max_energy_range_uj like real RAPL counters.
 */
import { mkdirSync, promises as fsp, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Options of {@link startRaplSimulation}. */
export interface RaplSimulationOptions {
  /** Power of the package-0 zone in watts (default 50). */
  packageWatts?: number;
  /** Power of the core sub-zone in watts (default 30). */
  coreWatts?: number;
  /** How often energy_uj is rewritten, in ms (default 20: readers see at most 20 ms of lag). */
  intervalMs?: number;
  /** Wrap point of the counters (default 262143328850, a common real value). */
  maxEnergyRangeUj?: number;
  /** Start value of both counters in µJ (default 1000); set near the max to test wrap. */
  initialEnergyUj?: number;
}

/** A running simulation; see {@link startRaplSimulation}. */
export interface RaplSimulation {
  /** The temp dir holding everything; removed by stop(). */
  rootDir: string;
  /** The powercap tree (what /sys/class/powercap would be). */
  powercapDir: string;
  /** A sysfs root whose class/powercap is the simulated tree (node_exporter --path.sysfs). */
  sysfsDir: string;
  /** Fake /proc/modules listing intel_rapl_common. */
  modulesFile: string;
  /** Current simulated power, in watts. */
  readonly packageWatts: number;
  readonly coreWatts: number;
  /** Change the simulated power from now on. */
  setWatts(packageWatts: number, coreWatts: number): void;
  /** The counter values last written (µJ, after wrap). */
  energyUj(): { package: number; core: number };
  /** Stop the writer and delete the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_ENERGY_RANGE_UJ = 262_143_328_850;

/** The line Scaphandre looks for in /proc/modules to decide that RAPL is available. */
export const FAKE_MODULES_LINE = 'intel_rapl_common 40960 1 intel_rapl_msr, Live 0x0000000000000000';

interface Zone {
  dir: string;
  watts: number;
  /** Energy since start plus the initial value, not wrapped (fractional µJ kept). */
  totalUj: number;
  written: number;
}

/** Write via a temp file + rename, so a reader never sees a truncated (empty) energy_uj. */
function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/**
 * Build a sysfs root that is the real /sys except for class/powercap (an empty dir we fill).
 * Why not a sysfs holding only class/powercap: node_exporter 1.11.1's default cpu collector panics
 * (index out of range in cpu_linux.go updateOnline) when devices/system/cpu is missing, which kills
 * the exporter on the first scrape.
 */
function buildSysfsOverlay(sysfsDir: string): string {
  const classDir = path.join(sysfsDir, 'class');
  const powercapDir = path.join(classDir, 'powercap');
  const linkAll = (from: string, to: string, skip: string): void => {
    let entries: string[] = [];
    try {
      entries = readdirSync(from);
    } catch {
      return; // no /sys (unusual container): the bare tree is all we can offer
    }
    for (const e of entries) {
      if (e !== skip) symlinkSync(path.join(from, e), path.join(to, e));
    }
  };
  mkdirSync(powercapDir, { recursive: true });
  linkAll('/sys', sysfsDir, 'class');
  linkAll('/sys/class', classDir, 'powercap');
  return powercapDir;
}

/**
 * Create the simulated RAPL tree and start advancing its counters.
 * Remember to `await sim.stop()` (e.g. in afterAll).
 */
export async function startRaplSimulation(opts: RaplSimulationOptions = {}): Promise<RaplSimulation> {
  const maxUj = opts.maxEnergyRangeUj ?? DEFAULT_MAX_ENERGY_RANGE_UJ;
  const initialUj = opts.initialEnergyUj ?? 1000;
  const intervalMs = opts.intervalMs ?? 20;
  if (!(maxUj > 0) || initialUj < 0 || initialUj >= maxUj) {
    throw new Error(`bad RAPL simulation range: initial ${initialUj}, max ${maxUj}`);
  }

  const rootDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'peekstack-rapl-'));
  const sysfsDir = path.join(rootDir, 'sys');
  const powercapDir = buildSysfsOverlay(sysfsDir);
  const modulesFile = path.join(rootDir, 'modules');
  writeFileSync(modulesFile, `${FAKE_MODULES_LINE}\n`);

  const makeZone = (id: string, name: string, watts: number): Zone => {
    const dir = path.join(powercapDir, id);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'name'), `${name}\n`);
    writeFileSync(path.join(dir, 'max_energy_range_uj'), `${maxUj}\n`);
    writeFileSync(path.join(dir, 'enabled'), '1\n');
    writeFileSync(path.join(dir, 'energy_uj'), `${initialUj}\n`);
    return { dir, watts, totalUj: initialUj, written: initialUj };
  };
  const pkg = makeZone('intel-rapl:0', 'package-0', opts.packageWatts ?? 50);
  const core = makeZone('intel-rapl:0:0', 'core', opts.coreWatts ?? 30);
  const zones = [pkg, core];

  let last = process.hrtime.bigint();
  const tick = (): void => {
    const now = process.hrtime.bigint();
    const dtSeconds = Number(now - last) / 1e9;
    last = now;
    for (const z of zones) {
      z.totalUj += z.watts * dtSeconds * 1e6; // 1 W = 1e6 µJ per second
      z.written = Math.floor(z.totalUj) % maxUj;
      writeAtomic(path.join(z.dir, 'energy_uj'), `${z.written}\n`);
    }
  };
  const timer = setInterval(() => {
    try {
      tick();
    } catch {
      // The dir was removed under us (stop() racing a tick): nothing left to write.
    }
  }, intervalMs);
  // Don't keep the process alive just for the simulation.
  timer.unref();

  let stopped = false;
  return {
    rootDir,
    powercapDir,
    sysfsDir,
    modulesFile,
    get packageWatts() {
      return pkg.watts;
    },
    get coreWatts() {
      return core.watts;
    },
    setWatts(packageWatts: number, coreWatts: number) {
      tick(); // account the time so far at the old power
      pkg.watts = packageWatts;
      core.watts = coreWatts;
    },
    energyUj: () => ({ package: pkg.written, core: core.written }),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await fsp.rm(rootDir, { recursive: true, force: true });
    },
  };
}
