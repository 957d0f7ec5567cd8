/**
 * Helpers to run real binaries as child processes on loopback and stop them reliably, plus
 * starters for node_exporter and Scaphandre against a simulated RAPL tree.
 *
 * Every child is spawned in a process group of its own (`detached`), and stop() signals the
 * whole group: a child that starts others (a shell, a launcher, an exporter's helpers) would
 * otherwise leave them running when only the direct child is signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import type { RaplSimulation } from './rapl-simulator';
import { toolPath } from './tools';
import { BIND_MOUNTS_SCRIPT } from './mount-namespace';

/** Keep at most this much of a process's output (the tail), for error messages. */
const MAX_OUTPUT_CHARS = 64 * 1024;

/** How a process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process started by {@link startProcess}. */
export interface ManagedProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Combined stdout+stderr so far (the last 64 KiB). */
  output(): string;
  /** Set once the process has exited. */
  exitInfo(): ExitInfo | undefined;
  /** Resolves when the process exits (never rejects). */
  exited: Promise<ExitInfo>;
  /** SIGTERM the process group, SIGKILL it after `graceMs` (default 3000). Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  /** Label used in messages (default: the command's base name). */
  name?: string;
  /** Extra environment variables (merged over process.env). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const running = new Set<ManagedProcess>();

// Last resort if the test worker exits without calling stopAll(): kill the groups synchronously
// so no exporter outlives the test run.
process.once('exit', () => {
  for (const p of running) killGroup(p.pid, 'SIGKILL');
});

/** Signal a whole process group; false when it no longer exists. */
function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on 127.0.0.1 (bound to port 0, read back, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not read the bound port'))));
    });
  });
}

/**
 * Start `cmd args` as a child process in its own process group, capturing its output.
 * It is registered for {@link stopAll}.
 */
export function startProcess(cmd: string, args: string[], opts: StartProcessOptions = {}): ManagedProcess {
  const name = opts.name ?? cmd.split('/').pop() ?? cmd;
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: see the module comment
  });
  if (child.pid === undefined) {
    throw new Error(`could not start ${name} (${cmd})`);
  }
  let out = '';
  const append = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    if (out.length > MAX_OUTPUT_CHARS) out = out.slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (err) => {
      append(Buffer.from(`\n[spawn error] ${err.message}\n`));
      info ??= { code: null, signal: null };
      resolve(info);
    });
    child.once('exit', (code, signal) => {
      info = { code, signal };
      resolve(info);
    });
  });

  const pid = child.pid;
  let stopping: Promise<void> | undefined;
  const proc: ManagedProcess = {
    name,
    pid,
    child,
    output: () => out,
    exitInfo: () => info,
    exited,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        killGroup(pid, 'SIGTERM');
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
        ]);
        // Also when the leader exited: other members of its group may remain.
        if (timedOut || killGroup(pid, 0)) killGroup(pid, 'SIGKILL');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
        running.delete(proc);
      })();
      return stopping;
    },
  };
  running.add(proc);
  return proc;
}

/** Stop every process started by {@link startProcess} that is still registered. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Options of {@link waitForHttp}: fetch options plus polling control. */
export interface WaitForHttpOptions extends RequestInit {
  /** Give up after this long (default 20000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
  /** Status that counts as ready (default: any 2xx). */
  expectStatus?: number;
  /** Fail at once, with its output, if this process exits while we wait. */
  process?: ManagedProcess;
}

/**
 * Poll `url` until it answers with the expected status; returns that response (body unread).
 * @throws Error with the last failure (and the process output, when given) on timeout or exit.
 */
export async function waitForHttp(url: string, opts: WaitForHttpOptions = {}): Promise<Response> {
  const { timeoutMs = 20_000, intervalMs = 100, expectStatus, process: proc, ...init } = opts;
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    const exit = proc?.exitInfo();
    if (proc && exit) {
      throw new Error(
        `${proc.name} exited (code ${exit.code}, signal ${exit.signal}) before ${url} answered.\n` +
          `--- ${proc.name} output ---\n${proc.output()}`,
      );
    }
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
      const ok = expectStatus === undefined ? res.ok : res.status === expectStatus;
      if (ok) return res;
      last = `HTTP ${res.status}`;
      await res.body?.cancel();
    } catch (err) {
      last = err instanceof Error ? `${err.message}${err.cause ? ` (${String(err.cause)})` : ''}` : String(err);
    }
    if (Date.now() >= deadline) {
      const tail = proc ? `\n--- ${proc.name} output ---\n${proc.output()}` : '';
      throw new Error(`${url} not ready after ${timeoutMs} ms (last: ${last})${tail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** One sample of the Prometheus text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parse Prometheus text exposition (samples only; HELP/TYPE comments are skipped). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const lineRe = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/;
  const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = lineRe.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(labelRe)) {
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return samples;
}

/** GET a /metrics URL and parse it; also returns when it was fetched (ms, Date.now()). */
export async function scrape(url: string, init: RequestInit = {}): Promise<{ at: number; samples: Sample[]; text: string }> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  const text = await res.text();
  return { at: Date.now(), samples: parseExposition(text), text };
}

/** The value of the first sample named `name` whose labels include `labels`; undefined if none. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** A started exporter. */
export interface RunningExporter {
  proc: ManagedProcess;
  port: number;
  /** http://127.0.0.1:PORT/metrics */
  metricsUrl: string;
}

/**
 * Start the real node_exporter on 127.0.0.1 with the rapl collector reading `sysfsDir`
 * (e.g. a {@link RaplSimulation}'s sysfsDir); resolves once /metrics answers.
 */
export async function startNodeExporter(opts: { sysfsDir: string; port?: number; extraArgs?: string[] }): Promise<RunningExporter> {
  const port = opts.port ?? (await freePort());
  const proc = startProcess(
    toolPath('node_exporter'),
    [`--web.listen-address=127.0.0.1:${port}`, `--path.sysfs=${opts.sysfsDir}`, '--collector.rapl', ...(opts.extraArgs ?? [])],
    { name: 'node_exporter' },
  );
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  try {
    await (await waitForHttp(metricsUrl, { process: proc })).body?.cancel();
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc, port, metricsUrl };
}

/**
 * Start the real Scaphandre Prometheus exporter on 127.0.0.1, in a mount namespace where it sees
 * the simulated tree as /sys/class/powercap and the fake modules file as /proc/modules.
 * No `--containers` (it needs a Docker socket). Resolves once /metrics answers; note Scaphandre
 * needs two reads (>= 2 s apart) before its power gauges mean anything.
 */
export async function startScaphandre(opts: { raplSim: RaplSimulation; port?: number; extraArgs?: string[] }): Promise<RunningExporter> {
  const port = opts.port ?? (await freePort());
  const proc = startProcess(
    BIND_MOUNTS_SCRIPT,
    [
      '-b', `${opts.raplSim.modulesFile}:/proc/modules`,
      '-b', `${opts.raplSim.powercapDir}:/sys/class/powercap`,
      toolPath('scaphandre'), 'prometheus', '--address', '127.0.0.1', '--port', String(port),
      ...(opts.extraArgs ?? []),
    ],
    { name: 'scaphandre' },
  );
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  try {
    await (await waitForHttp(metricsUrl, { process: proc, timeoutMs: 30_000 })).body?.cancel();
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc, port, metricsUrl };
}
