/**
 * Simulated CPU time, for the power split's real-binary test: a /proc/stat that the real node_exporter
 * reads (bound over /proc/stat), and the CPU seconds of simulated containers, which the
 * cAdvisor fixture serves as `container_cpu_usage_seconds_total`. This machine's real CPU time is
 * shared with whatever else runs on it, so a share of it could not be known; these are.
 *
 * Both come from one clock: each container uses a known number of cores, the host's own processes
 * another, from a given instant on (`setLoad`); the counters are integrated from elapsed monotonic
 * time, like the RAPL simulation's, so late timer ticks change nothing but the file's freshness.
 * In /proc/stat the busy time is spread evenly over the CPUs: containers' time as `user`, the host's
 * own as `system`; the rest is `idle`.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What the simulated host is busy with, from one instant on. */
export interface CpuLoad {
  /** Cores each container uses, by container name (cAdvisor's `name` label). */
  readonly containers: Readonly<Record<string, number>>;
  /** Cores busy outside any container (host processes, the kernel). */
  readonly hostCores: number;
}

/** Options of {@link startCpuSimulation}. */
export interface CpuSimulationOptions {
  /** The load from the start. */
  readonly load: CpuLoad;
  /**
   * CPUs in /proc/stat.
   * @default this machine's count (node_exporter's cpu collector also reads /sys/devices/system/cpu)
   */
  readonly cpus?: number;
  /**
   * How often /proc/stat is rewritten, in ms: node_exporter reads it up to this late, which is
   * 0.2 % of a 25 s rate window at 50 ms.
   * @default 50
   */
  readonly intervalMs?: number;
}

/** A running simulation; see {@link startCpuSimulation}. */
export interface CpuSimulation {
  /** The simulated /proc/stat (bind it at /proc/stat for node_exporter). */
  readonly statFile: string;
  readonly cpus: number;
  /** Changes the load from now on; returns the time of the step (Unix ms). */
  setLoad(load: CpuLoad): number;
  /** The load now. */
  load(): CpuLoad;
  /** CPU seconds each container (of every load so far) has used until now, by name. */
  containerCpuSeconds(): Record<string, number>;
  /** Stops the writer and deletes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** USER_HZ: /proc/stat counts in hundredths of a second. */
const TICKS_PER_SECOND = 100;
/** Idle seconds each CPU has at the start, so the counters look like a host's that has been up a while. */
const INITIAL_IDLE_SECONDS = 1000;

/** Width of each number in the simulated /proc/stat: room for 10^14 ticks. */
const STAT_FIELD_WIDTH = 15;
const field = (ticks: number) => String(ticks).padStart(STAT_FIELD_WIDTH);

function busyCores(load: CpuLoad): number {
  return Object.values(load.containers).reduce((sum, cores) => sum + cores, 0) + load.hostCores;
}

/** Starts the simulation; remember to `await sim.stop()`. */
export function startCpuSimulation(opts: CpuSimulationOptions): CpuSimulation {
  const cpus = opts.cpus ?? os.cpus().length;
  const check = (load: CpuLoad): CpuLoad => {
    const busy = busyCores(load);
    if (busy > cpus || Object.values(load.containers).some((cores) => cores < 0) || load.hostCores < 0) {
      throw new Error(`a load of ${busy} cores does not fit ${cpus} CPUs (or a share is negative)`);
    }
    return load;
  };
  let current = check(opts.load);
  const containerSeconds: Record<string, number> = Object.fromEntries(Object.keys(current.containers).map((name) => [name, 0]));
  let hostSeconds = 0;
  let elapsedSeconds = 0;
  let last = process.hrtime.bigint();
  const advance = () => {
    const now = process.hrtime.bigint();
    const dt = Number(now - last) / 1e9;
    last = now;
    elapsedSeconds += dt;
    hostSeconds += current.hostCores * dt;
    for (const [name, cores] of Object.entries(current.containers)) containerSeconds[name] = (containerSeconds[name] ?? 0) + cores * dt;
  };

  const dir = mkdtempSync(path.join(os.tmpdir(), 'peekstack-cpu-'));
  const statFile = path.join(dir, 'stat');
  // The lines after the CPU lines (interrupts, context switches, boot time...) as this machine has them.
  const rest = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !/^cpu\d*\s/.test(line))
    .join('\n');
  const write = () => {
    advance();
    const inContainers = Object.values(containerSeconds).reduce((sum, s) => sum + s, 0);
    const perCpu = (seconds: number) => Math.floor((seconds / cpus) * TICKS_PER_SECOND);
    const user = perCpu(inContainers);
    const system = perCpu(hostSeconds);
    const idle = perCpu(cpus * (INITIAL_IDLE_SECONDS + elapsedSeconds) - inContainers - hostSeconds);
    // user nice system idle iowait irq softirq steal guest guest_nice
    const line = (name: string, k: number) => `${name} ${[user * k, 0, system * k, idle * k, 0, 0, 0, 0, 0, 0].map(field).join(' ')}`;
    const lines = [line('cpu ', cpus), ...Array.from({ length: cpus }, (_, i) => line(`cpu${i}`, 1))];
    writeSync(fd, `${lines.join('\n')}\n${rest}\n`, 0);
  };
  // Written in place, one write of the same length each time, never renamed: the real tests bind this
  // file over /proc/stat, and a bind mount holds the inode it was made with (a file renamed in would
  // never be seen). Numbers padded with spaces, which /proc/stat's readers split on, keep the length.
  const fd = openSync(statFile, 'w');
  write();
  const timer = setInterval(write, opts.intervalMs ?? 50);
  timer.unref();

  let stopped = false;
  return {
    statFile,
    cpus,
    setLoad(load) {
      advance();
      current = check(load);
      return Date.now();
    },
    load: () => current,
    containerCpuSeconds() {
      advance();
      return { ...containerSeconds };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
