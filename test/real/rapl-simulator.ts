/**
 * A simulated Intel RAPL powercap tree, for running the real Scaphandre and node_exporter on
 * machines without RAPL (VMs, CI). Layout, under a fresh temp dir:
 *
 *   sys/                       pass as node_exporter `--path.sysfs`: links to the real /sys entries,
 *     class/                   except class/powercap, which is ours
 *       powercap/              bind to /sys/class/powercap for Scaphandre (bind-mounts.sh -b)
 *         intel-rapl:0/        name=package-0, energy_uj, max_energy_range_uj, enabled
 *         intel-rapl:0:0/      name=core, energy_uj, max_energy_range_uj, enabled
 *         intel-rapl:1/        name=package-1 ... one package zone per socket, each with its core
 *         intel-rapl:1:0/      sub-zone
 *   modules                    fake /proc/modules (Scaphandre panics without one)
 *
 * A timer in this process advances each energy_uj at a known wattage, computed from the elapsed
 * monotonic time (not from the tick count), so late ticks don't change the simulated power. Each
 * counter wraps at its own max_energy_range_uj, as real RAPL counters do; where a wrap falls is
 * chosen with `wrapAfterSeconds` (the counter starts that far below its wrap point).
 *
 * The truth the tests compare against is kept apart from the counters: every power step is logged
 * with its time, and {@link RaplSimulation.energyJoules} integrates that log exactly.
 */
import { mkdirSync, promises as fsp, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One RAPL zone (package or core) of a simulated socket. */
export interface RaplZoneOptions {
  /** Power drawn by the zone, in watts. */
  readonly watts: number;
  /**
   * Wrap point of the zone's counter, in µJ (the zone's `max_energy_range_uj`).
   * @default DEFAULT_MAX_ENERGY_RANGE_UJ
   */
  readonly maxEnergyRangeUj?: number;
  /**
   * Start value of the counter in µJ. Ignored when `wrapAfterSeconds` is set.
   * @default 1000
   */
  readonly initialEnergyUj?: number;
  /**
   * Start the counter so that it wraps this many seconds after the simulation starts, at `watts`
   * (if the power changes in between, the wrap moves accordingly: see {@link RaplSimulation.nextWrapAt}).
   * @default - no planned wrap (the counter starts at `initialEnergyUj`)
   */
  readonly wrapAfterSeconds?: number;
}

/** One simulated socket: its package zone and the core sub-zone inside it. */
export interface RaplSocketOptions {
  readonly package: RaplZoneOptions;
  readonly core: RaplZoneOptions;
}

/** Options of {@link startRaplSimulation}. */
export interface RaplSimulationOptions {
  /**
   * The sockets, in order (socket i is `intel-rapl:i`, named `package-i`). When set, the
   * single-socket shorthands below (`packageWatts`, `coreWatts`, `maxEnergyRangeUj`,
   * `initialEnergyUj`) are not allowed.
   * @default - one socket built from the shorthands
   */
  readonly sockets?: readonly RaplSocketOptions[];
  /** Power of socket 0's package zone in watts (one-socket shorthand). @default 50 */
  readonly packageWatts?: number;
  /** Power of socket 0's core sub-zone in watts (one-socket shorthand). @default 30 */
  readonly coreWatts?: number;
  /** Wrap point of both counters (one-socket shorthand). @default DEFAULT_MAX_ENERGY_RANGE_UJ */
  readonly maxEnergyRangeUj?: number;
  /** Start value of both counters in µJ (one-socket shorthand); set near the max to test wrap. @default 1000 */
  readonly initialEnergyUj?: number;
  /**
   * How often energy_uj is rewritten, in ms: readers see at most this much lag, so a power read
   * over an interval T is off by up to 2 × this / T (0.7 % over Scaphandre's 3 s at 10 ms).
   * @default 10
   */
  readonly intervalMs?: number;
}

/** What a zone is now; see {@link RaplSimulation.zones}. */
export interface RaplZoneState {
  /** Directory name, e.g. `intel-rapl:1:0`. */
  readonly id: string;
  /** Content of its `name` file: `package-N` or `core`. */
  readonly name: string;
  readonly socket: number;
  readonly kind: 'package' | 'core';
  readonly watts: number;
  readonly maxEnergyRangeUj: number;
  /** The value last written to energy_uj (after wrap). */
  readonly counterUj: number;
  /** How many times the counter has wrapped so far. */
  readonly wraps: number;
}

/** A running simulation; see {@link startRaplSimulation}. */
export interface RaplSimulation {
  /** The temp dir holding everything; removed by stop(). */
  readonly rootDir: string;
  /** The powercap tree (what /sys/class/powercap would be). */
  readonly powercapDir: string;
  /** A sysfs root whose class/powercap is the simulated tree (node_exporter --path.sysfs). */
  readonly sysfsDir: string;
  /** Fake /proc/modules listing intel_rapl_common. */
  readonly modulesFile: string;
  /**
   * What an unprivileged container on Docker >= 20.10.27 / 24.0.7 sees of the same tree in its own
   * /sys (moby GHSA-jq35-85cj-fj4p): `classDir` (bind at /sys/class/powercap) holds the usual links
   * `intel-rapl:N -> ../../devices/virtual/powercap/intel-rapl/intel-rapl:N`, and `devicesDir`
   * (bind at /sys/devices/virtual/powercap) is empty, as the masked directory is, so they dangle.
   */
  readonly maskedPowercap: { readonly classDir: string; readonly devicesDir: string };
  /** Number of sockets. */
  readonly socketCount: number;
  /** Socket 0's package power, in watts. */
  readonly packageWatts: number;
  /** Socket 0's core power, in watts. */
  readonly coreWatts: number;
  /** Sum of the package zones' power: what the whole host's CPUs draw, in watts. */
  readonly hostWatts: number;
  /**
   * Change socket 0's power from now on (the one-socket shorthand).
   * @returns the time of the step (Unix ms)
   */
  setWatts(packageWatts: number, coreWatts: number): number;
  /**
   * Change one socket's power from now on.
   * @returns the time of the step (Unix ms)
   */
  setSocketWatts(socket: number, packageWatts: number, coreWatts: number): number;
  /** Socket 0's counter values last written (µJ, after wrap). */
  energyUj(): { package: number; core: number };
  /** Every zone as it is now. */
  zones(): RaplZoneState[];
  /**
   * Energy the package zones (all sockets, or one) drew between two instants, in joules, from the
   * exact log of power steps (not from the counters). `fromMs`/`toMs` are Unix ms, `toMs` at most now.
   */
  energyJoules(fromMs: number, toMs: number, socket?: number): number;
  /** When a zone's counter will next wrap at its current power (Unix ms); Infinity at 0 W. */
  nextWrapAt(zoneId: string): number;
  /** Stop the writer and delete the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_ENERGY_RANGE_UJ = 262_143_328_850;

/** The line Scaphandre looks for in /proc/modules to decide that RAPL is available. */
export const FAKE_MODULES_LINE = 'intel_rapl_common 40960 1 intel_rapl_msr, Live 0x0000000000000000';

interface Zone {
  readonly id: string;
  readonly name: string;
  readonly socket: number;
  readonly kind: 'package' | 'core';
  readonly dir: string;
  readonly maxUj: number;
  watts: number;
  /** Counter position before wrapping: start value plus energy so far (fractional µJ kept). */
  totalUj: number;
  written: number;
  /** Power steps: from `atMs` on, the zone drew `watts`. The first entry is the start. */
  readonly steps: { atMs: number; watts: number }[];
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
    let entries: string[];
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

/** The sockets the options describe (the shorthands make one socket). */
function socketsOf(opts: RaplSimulationOptions): readonly RaplSocketOptions[] {
  if (opts.sockets) {
    const shorthands = (['packageWatts', 'coreWatts', 'maxEnergyRangeUj', 'initialEnergyUj'] as const).filter((k) => opts[k] !== undefined);
    if (shorthands.length > 0) throw new Error(`RAPL simulation: sockets and the one-socket shorthands (${shorthands.join(', ')}) exclude each other`);
    if (opts.sockets.length === 0) throw new Error('RAPL simulation: at least one socket');
    return opts.sockets;
  }
  const shared = { maxEnergyRangeUj: opts.maxEnergyRangeUj, initialEnergyUj: opts.initialEnergyUj };
  return [{ package: { watts: opts.packageWatts ?? 50, ...shared }, core: { watts: opts.coreWatts ?? 30, ...shared } }];
}

/**
 * Create the simulated RAPL tree and start advancing its counters.
 * Remember to `await sim.stop()` (e.g. in afterAll).
 */
export async function startRaplSimulation(opts: RaplSimulationOptions = {}): Promise<RaplSimulation> {
  const sockets = socketsOf(opts);
  const intervalMs = opts.intervalMs ?? 10;

  const rootDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'peekstack-rapl-'));
  const sysfsDir = path.join(rootDir, 'sys');
  const powercapDir = buildSysfsOverlay(sysfsDir);
  const modulesFile = path.join(rootDir, 'modules');
  writeFileSync(modulesFile, `${FAKE_MODULES_LINE}\n`);

  const startMs = Date.now();
  const makeZone = (id: string, name: string, socket: number, kind: Zone['kind'], o: RaplZoneOptions): Zone => {
    const maxUj = o.maxEnergyRangeUj ?? DEFAULT_MAX_ENERGY_RANGE_UJ;
    const initialUj = o.wrapAfterSeconds !== undefined ? Math.floor(maxUj - o.watts * o.wrapAfterSeconds * 1e6) : (o.initialEnergyUj ?? 1000);
    if (!(maxUj > 0) || !(o.watts >= 0) || !(initialUj >= 0) || initialUj >= maxUj) {
      throw new Error(`bad RAPL zone ${id}: ${o.watts} W, initial ${initialUj} µJ, max ${maxUj} µJ`);
    }
    const dir = path.join(powercapDir, id);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'name'), `${name}\n`);
    writeFileSync(path.join(dir, 'max_energy_range_uj'), `${maxUj}\n`);
    writeFileSync(path.join(dir, 'enabled'), '1\n');
    writeFileSync(path.join(dir, 'energy_uj'), `${initialUj}\n`);
    return { id, name, socket, kind, dir, maxUj, watts: o.watts, totalUj: initialUj, written: initialUj, steps: [{ atMs: startMs, watts: o.watts }] };
  };
  const zones: Zone[] = sockets.flatMap((s, i) => [
    makeZone(`intel-rapl:${i}`, `package-${i}`, i, 'package', s.package),
    makeZone(`intel-rapl:${i}:0`, 'core', i, 'core', s.core),
  ]);
  const maskedPowercap = { classDir: path.join(rootDir, 'masked', 'class-powercap'), devicesDir: path.join(rootDir, 'masked', 'devices-powercap') };
  mkdirSync(maskedPowercap.classDir, { recursive: true });
  mkdirSync(maskedPowercap.devicesDir);
  for (const z of zones) {
    // The kernel's layout: zones live under devices/virtual/powercap/intel-rapl, class/ links to them.
    const target = z.kind === 'package' ? `intel-rapl/${z.id}` : `intel-rapl/intel-rapl:${z.socket}/${z.id}`;
    symlinkSync(`../../devices/virtual/powercap/${target}`, path.join(maskedPowercap.classDir, z.id));
  }
  const zone = (socket: number, kind: Zone['kind']): Zone => {
    const z = zones.find((c) => c.socket === socket && c.kind === kind);
    if (!z) throw new Error(`RAPL simulation has no socket ${socket} (${sockets.length} sockets)`);
    return z;
  };

  let last = process.hrtime.bigint();
  const tick = (): void => {
    const now = process.hrtime.bigint();
    const dtSeconds = Number(now - last) / 1e9;
    last = now;
    for (const z of zones) {
      z.totalUj += z.watts * dtSeconds * 1e6; // 1 W = 1e6 µJ per second
      z.written = Math.floor(z.totalUj) % z.maxUj;
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

  const setSocketWatts = (socket: number, packageWatts: number, coreWatts: number): number => {
    if (!(packageWatts >= 0 && coreWatts >= 0 && coreWatts <= packageWatts)) {
      throw new Error(`RAPL simulation: need 0 <= core (${coreWatts} W) <= package (${packageWatts} W)`);
    }
    const pkg = zone(socket, 'package');
    const core = zone(socket, 'core');
    tick(); // account the time so far at the old power
    const atMs = Date.now();
    for (const [z, watts] of [[pkg, packageWatts], [core, coreWatts]] as const) {
      z.watts = watts;
      z.steps.push({ atMs, watts });
    }
    return atMs;
  };

  /** Integral of a zone's power log between two instants, in joules. */
  const zoneJoules = (z: Zone, fromMs: number, toMs: number): number => {
    let joules = 0;
    z.steps.forEach((step, i) => {
      const end = z.steps[i + 1]?.atMs ?? Infinity;
      const overlap = Math.min(end, toMs) - Math.max(step.atMs, fromMs);
      if (overlap > 0) joules += (step.watts * overlap) / 1000;
    });
    return joules;
  };

  let stopped = false;
  return {
    rootDir,
    powercapDir,
    sysfsDir,
    modulesFile,
    maskedPowercap,
    socketCount: sockets.length,
    get packageWatts() {
      return zone(0, 'package').watts;
    },
    get coreWatts() {
      return zone(0, 'core').watts;
    },
    get hostWatts() {
      return zones.filter((z) => z.kind === 'package').reduce((sum, z) => sum + z.watts, 0);
    },
    setWatts: (packageWatts, coreWatts) => setSocketWatts(0, packageWatts, coreWatts),
    setSocketWatts,
    energyUj: () => ({ package: zone(0, 'package').written, core: zone(0, 'core').written }),
    zones: () =>
      zones.map((z) => ({
        id: z.id,
        name: z.name,
        socket: z.socket,
        kind: z.kind,
        watts: z.watts,
        maxEnergyRangeUj: z.maxUj,
        counterUj: z.written,
        wraps: Math.floor(Math.floor(z.totalUj) / z.maxUj),
      })),
    energyJoules(fromMs, toMs, socket) {
      if (toMs < fromMs) throw new Error(`energyJoules: window ends (${toMs}) before it starts (${fromMs})`);
      return zones
        .filter((z) => z.kind === 'package' && (socket === undefined || z.socket === socket))
        .reduce((sum, z) => sum + zoneJoules(z, fromMs, toMs), 0);
    },
    nextWrapAt(zoneId) {
      const z = zones.find((c) => c.id === zoneId);
      if (!z) throw new Error(`RAPL simulation has no zone ${zoneId}`);
      tick();
      if (z.watts === 0) return Infinity;
      const leftUj = z.maxUj - (z.totalUj % z.maxUj);
      return Date.now() + (leftUj / (z.watts * 1e6)) * 1000;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await fsp.rm(rootDir, { recursive: true, force: true });
    },
  };
}
