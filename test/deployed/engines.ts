/**
 * Real Docker Engines as test hosts: one `dockerd` per simulated host, each in a network namespace
 * of its own (joined to a test bridge by a veth pair, on a random private /24 that nothing routes),
 * with a mount namespace of its own in which the host's file system is what a real host would show
 * the engine:
 *
 *   /sys/class/powercap   the simulated RAPL tree (test/real/rapl-simulator.ts), where the kernel
 *                         would put the host's own (this machine has none)
 *   /var/lib/docker       the engine's data root (a folder of the lab on disk)
 *   /var/run/docker.sock  the engine's socket (also served at `<lab>/<host>/docker.sock` for the test)
 *
 * Those mounts live only in the engine's mount namespace: they vanish with the engine, and nothing
 * of it is visible in the machine's own mount table. Containers go into a cgroup parent of the lab
 * (`/peekstack-<suffix>-<host>`), so every process an engine started can be found (and, at the end,
 * is checked to be gone) by pid.
 *
 * Teardown (`stop()`, also on any failure of `startLab`): each engine gets SIGTERM by its pid (it
 * stops its containers and its containerd), SIGKILL after 30 s; leftover processes in the lab's
 * cgroups or network namespaces are killed by pid; namespaces, the bridge, the cgroup folders and
 * the lab folder are removed. `leftovers()` lists anything still there.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Docker from 'dockerode';
import { REPO_ROOT } from '../real/tools';

/** `.tools/engine/bin`: dockerd, containerd, runc 1.1.5, iptables (legacy), docker-init, busybox. */
export const ENGINE_BIN = path.join(REPO_ROOT, '.tools', 'engine', 'bin');

export interface EngineHostOptions {
  /** Host name (the fleet file's). */
  readonly name: string;
  /** What to show the engine at /sys/class/powercap; none: the machine's (absent here). */
  readonly powercapDir?: string;
  /** More dockerd flags, e.g. a `-H tcp://...` listener with `--tlsverify` (preflight's TLS tests). */
  readonly dockerdArgs?: readonly string[];
}

/** One running engine. */
export interface Engine {
  readonly name: string;
  readonly netns: string;
  /** The host's address on the test bridge. */
  readonly address: string;
  /** Folder of this host: data root, socket, pid file, log. */
  readonly dir: string;
  /** The engine's socket as the test reaches it: `unix://<dir>/docker.sock`. */
  readonly endpoint: string;
  readonly socketPath: string;
  /** Data root on disk (`/var/lib/docker` inside the engine's mount namespace). */
  readonly dataRoot: string;
  readonly cgroupParent: string;
  readonly docker: Docker;
  /** PID of dockerd (`0` when stopped). */
  pid(): number;
  /** SIGTERM by pid, wait until it exited (SIGKILL after `timeoutMs`). */
  stopEngine(timeoutMs?: number): Promise<void>;
  /** Starts dockerd again (same data root, same namespaces); resolves when it answers. */
  startEngine(): Promise<void>;
  /** The engine's log so far. */
  log(): string;
}

export interface Lab {
  readonly suffix: string;
  readonly dir: string;
  readonly bridge: string;
  /** `10.a.b`: the /24 of the lab. */
  readonly prefix: string;
  /** The machine's own address on the bridge (`<prefix>.1`): "another host" that runs the test. */
  readonly bridgeAddress: string;
  readonly engines: readonly Engine[];
  engine(name: string): Engine;
  /** Runs a command inside a host's network namespace (as another machine on the bridge would). */
  execIn(host: string, cmd: string, args: readonly string[], timeoutMs?: number): string;
  /** Removes everything (idempotent). */
  stop(): Promise<void>;
  /** What is left of the lab on the machine: processes, namespaces, links, mounts, folders (empty when clean). */
  leftovers(): string[];
}

const run = (cmd: string, args: readonly string[], opts: { input?: string; timeout?: number } = {}): string =>
  execFileSync(cmd, args as string[], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeout ?? 30_000, input: opts.input });

const tryRun = (cmd: string, args: readonly string[]): void => {
  try {
    run(cmd, args);
  } catch {
    /* already gone */
  }
};

/** Whether /run/netns is a mount point (`ip netns add` makes it one the first time it runs). */
const netnsDirMounted = (): boolean => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === '/run/netns');

/** A /24 of 10.0.0.0/8 that no address or route of this machine touches. */
function pickPrefix(): string {
  const taken = `${run('ip', ['-4', '-o', 'addr'])}\n${run('ip', ['-4', 'route', 'show', 'table', 'all'])}`;
  for (let i = 0; i < 50; i++) {
    const prefix = `10.${randomInt(16, 250)}.${randomInt(1, 250)}`;
    if (!taken.includes(`${prefix}.`) && !/\b10\.0\.0\.0\/8\b/.test(taken)) return prefix;
  }
  throw new Error(`no free 10.x.y.0/24 found; addresses and routes:\n${taken}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Every pid in the cgroup folders named `cgroupParent` (cgroup v1 and v2 layouts). */
function pidsInCgroup(cgroupParent: string): number[] {
  const pids = new Set<number>();
  const roots = existsSync('/sys/fs/cgroup/memory') ? readdirSync('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c)) : ['/sys/fs/cgroup'];
  const walk = (dir: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const f of ['cgroup.procs', 'tasks']) {
      try {
        for (const l of readFileSync(path.join(dir, f), 'utf8').split('\n')) if (l) pids.add(Number(l));
      } catch {
        /* not there */
      }
    }
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
  };
  for (const r of roots) walk(path.join(r, cgroupParent));
  return [...pids];
}

/** Cgroup folders of `cgroupParent`, deepest first. */
function cgroupDirs(cgroupParent: string): string[] {
  const out: string[] = [];
  const roots = existsSync('/sys/fs/cgroup/memory') ? readdirSync('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c)) : ['/sys/fs/cgroup'];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    try {
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(dir, e.name));
    } catch {
      return;
    }
    out.push(dir);
  };
  for (const r of roots) walk(path.join(r, cgroupParent));
  return out;
}

/**
 * The OCI runtime of the lab's engines: runc, except that a container which binds something at
 * /sys/class/powercap gets the host's /sys (rbind) instead of a fresh sysfs. Why: this machine's
 * kernel has no powercap class, so a fresh sysfs has no /sys/class/powercap to mount onto and runc
 * fails ("mkdir .../sys/class/powercap: operation not permitted"); a host with RAPL has the folder.
 * Only such containers (Scaphandre) are touched; the change is listed in docs/deployed-tests.md.
 */
const RUNTIME_FIXER = String.raw`
const fs = require('fs');
const args = process.argv.slice(2);
const i = args.findIndex((a) => a === '--bundle' || a === '-b');
const bundle = i >= 0 ? args[i + 1] : process.cwd();
const file = bundle + '/config.json';
const config = JSON.parse(fs.readFileSync(file, 'utf8'));
if ((config.mounts || []).some((m) => m.destination === '/sys/class/powercap')) {
  for (const m of config.mounts) {
    if (m.destination === '/sys' && m.type === 'sysfs') {
      m.type = 'bind';
      m.source = '/sys';
      m.options = ['rbind', 'nosuid', 'noexec', 'nodev', ...(m.options || []).filter((o) => o === 'ro' || o === 'rw')];
    }
  }
  fs.writeFileSync(file, JSON.stringify(config));
}
`;

function writeRuntime(dir: string): string {
  const fixer = path.join(dir, 'runtime-fixer.js');
  const wrapper = path.join(dir, 'runc-lab');
  writeFileSync(fixer, RUNTIME_FIXER);
  writeFileSync(
    wrapper,
    `#!/bin/sh
for a in "$@"; do case "$a" in create|run) ${JSON.stringify(process.execPath)} ${JSON.stringify(fixer)} "$@" || exit 1; break ;; esac; done
exec ${JSON.stringify(path.join(ENGINE_BIN, 'runc'))} "$@"
`,
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** The shell that runs in the engine's fresh mount namespace, then becomes dockerd. */
function engineScript(dir: string, powercapDir: string | undefined, cgroupParent: string, runtime: string, dockerdArgs: readonly string[] = []): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    'set -e',
    // /sys/class: the machine's classes, plus powercap where the kernel would put it.
    `mkdir -p ${q(`${dir}/sysclass`)}`,
    `mount --bind /sys/class ${q(`${dir}/sysclass`)}`,
    'mount -t tmpfs -o mode=0755 peekstack-sysclass /sys/class',
    `for c in ${q(`${dir}/sysclass`)}/*; do n="\${c##*/}"; mkdir "/sys/class/$n"; mount --bind "$c" "/sys/class/$n"; done`,
    `umount ${q(`${dir}/sysclass`)}`,
    ...(powercapDir ? ['mkdir /sys/class/powercap', `mount --bind ${q(powercapDir)} /sys/class/powercap`] : []),
    // /var/lib/docker and /run (so /var/run/docker.sock) of this host only.
    `mkdir -p ${q(`${dir}/data`)}`,
    'mount -t tmpfs -o mode=0755 peekstack-varlib /var/lib',
    'mkdir /var/lib/docker',
    `mount --bind ${q(`${dir}/data`)} /var/lib/docker`,
    'mount -t tmpfs -o mode=0755 peekstack-run /run',
    // A host's / is a shared mount (systemd makes it so); node_exporter's `rslave` bind of / needs it.
    'mount --make-rshared /',
    `exec dockerd --data-root /var/lib/docker --exec-root /run/docker --pidfile ${q(`${dir}/docker.pid`)}` +
      ` -H unix:///var/run/docker.sock -H ${q(`unix://${dir}/docker.sock`)} --ip6tables=false --cgroup-parent ${q(cgroupParent)}` +
      ` --log-level warn --storage-driver overlay2 --add-runtime lab=${q(runtime)} --default-runtime lab` +
      dockerdArgs.map((a) => ` ${q(a)}`).join(''),
  ].join('\n');
}

export async function startLab(hosts: readonly EngineHostOptions[], opts: { engineStartTimeoutMs?: number } = {}): Promise<Lab> {
  if (!existsSync(path.join(ENGINE_BIN, 'dockerd'))) throw new Error(`no engine in ${ENGINE_BIN}: run scripts/install-test-tools.sh`);
  const suffix = randomBytes(3).toString('hex');
  const dir = `/tmp/peekstack-lab-${suffix}`;
  const bridge = `pkbr${suffix}`;
  const prefix = pickPrefix();
  const bridgeAddress = `${prefix}.1`;
  const netnsNames: string[] = [];
  const engines: Engine[] = [];
  let stopped = false;
  let runtime = '';
  let netnsDirWasMounted = true;

  const env = { ...process.env, PATH: `${ENGINE_BIN}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` };

  const makeEngine = (h: EngineHostOptions, index: number): Engine => {
    const netns = `peekstack-${suffix}-${h.name}`;
    const hdir = path.join(dir, h.name);
    const socketPath = path.join(hdir, 'docker.sock');
    const cgroupParent = `/peekstack-${suffix}-${h.name}`;
    const logFile = path.join(hdir, 'dockerd.log');
    let child: ChildProcess | undefined;
    let pid = 0;
    const docker = new Docker({ socketPath });
    const engine: Engine = {
      name: h.name,
      netns,
      address: `${prefix}.${10 + index}`,
      dir: hdir,
      endpoint: `unix://${socketPath}`,
      socketPath,
      dataRoot: path.join(hdir, 'data'),
      cgroupParent,
      docker,
      pid: () => pid,
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      async startEngine() {
        if (pid && pidAlive(pid)) throw new Error(`engine ${h.name} already runs (pid ${pid})`);
        rmSync(socketPath, { force: true });
        const fd = openSync(logFile, 'a');
        child = spawn('nsenter', [`--net=/run/netns/${netns}`, 'unshare', '--mount', '--propagation', 'private', '/bin/sh', '-c', engineScript(hdir, h.powercapDir, cgroupParent, runtime, h.dockerdArgs)], {
          env,
          stdio: ['ignore', fd, fd],
          detached: true,
        });
        closeSync(fd);
        pid = child.pid ?? 0;
        child.on('exit', () => undefined);
        child.unref();
        await waitFor(
          `engine ${h.name} to answer on ${socketPath}`,
          async () => {
            if (!pidAlive(pid)) throw new Error(`dockerd of ${h.name} exited; its log:\n${engine.log().slice(-3000)}`);
            return existsSync(socketPath) && (await docker.ping()) ? true : undefined;
          },
          opts.engineStartTimeoutMs ?? 60_000,
        );
      },
      async stopEngine(timeoutMs = 30_000) {
        if (!pid || !pidAlive(pid)) {
          pid = 0;
          return;
        }
        process.kill(pid, 'SIGTERM');
        const until = Date.now() + timeoutMs;
        while (pidAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
        while (pidAlive(pid)) await new Promise((r) => setTimeout(r, 50));
        pid = 0;
      },
    };
    return engine;
  };

  const lab: Lab = {
    suffix,
    dir,
    bridge,
    prefix,
    bridgeAddress,
    engines,
    engine(name) {
      const e = engines.find((x) => x.name === name);
      if (!e) throw new Error(`no engine ${name}; have ${engines.map((x) => x.name).join(', ')}`);
      return e;
    },
    execIn(host, cmd, args, timeoutMs = 30_000) {
      return run('nsenter', [`--net=/run/netns/${lab.engine(host).netns}`, cmd, ...args], { timeout: timeoutMs });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(engines.map((e) => e.stopEngine().catch(() => undefined)));
      // Anything an engine left (a shim after a SIGKILL): by pid, found in the lab's cgroups and namespaces.
      for (const e of engines) {
        const pids = new Set(pidsInCgroup(e.cgroupParent));
        try {
          for (const p of run('ip', ['netns', 'pids', e.netns]).split('\n')) if (p) pids.add(Number(p));
        } catch {
          /* no namespace */
        }
        for (const p of pids) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
      await new Promise((r) => setTimeout(r, 200));
      for (const e of engines) {
        for (const d of cgroupDirs(e.cgroupParent)) {
          try {
            rmdirSync(d);
          } catch {
            /* still busy: reported by leftovers() */
          }
        }
      }
      for (const n of netnsNames) tryRun('ip', ['netns', 'delete', n]);
      // `ip netns add` makes /run/netns a mount of its own the first time; undo that when the lab made it and no namespace is left.
      if (!netnsDirWasMounted && netnsDirMounted() && readdirSync('/run/netns').length === 0) tryRun('umount', ['/run/netns']);
      tryRun('ip', ['link', 'delete', bridge]);
      rmSync(dir, { recursive: true, force: true });
    },
    leftovers() {
      const out: string[] = [];
      for (const e of engines) {
        if (e.pid() && pidAlive(e.pid())) out.push(`dockerd of ${e.name} (pid ${e.pid()})`);
        for (const p of pidsInCgroup(e.cgroupParent)) out.push(`process ${p} in cgroup ${e.cgroupParent}`);
        for (const d of cgroupDirs(e.cgroupParent)) out.push(`cgroup ${d}`);
      }
      const ns = run('ip', ['netns', 'list']);
      for (const n of netnsNames) if (ns.includes(n)) out.push(`netns ${n}`);
      if (run('ip', ['-o', 'link']).includes(bridge)) out.push(`link ${bridge}`);
      for (const l of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) if (l.includes(suffix)) out.push(`mount ${l}`);
      for (const l of run('ps', ['-eo', 'pid,args']).split('\n')) if (l.includes(suffix)) out.push(`ps ${l.trim()}`);
      if (existsSync(dir)) out.push(`folder ${dir}`);
      return out;
    },
  };

  try {
    netnsDirWasMounted = netnsDirMounted();
    mkdirSync(dir, { recursive: true });
    runtime = writeRuntime(dir);
    run('ip', ['link', 'add', bridge, 'type', 'bridge']);
    run('ip', ['addr', 'add', `${bridgeAddress}/24`, 'dev', bridge]);
    run('ip', ['link', 'set', bridge, 'up']);
    hosts.forEach((h, i) => {
      const e = makeEngine(h, i);
      engines.push(e);
      mkdirSync(e.dir, { recursive: true });
      run('ip', ['netns', 'add', e.netns]);
      netnsNames.push(e.netns);
      const veth = `pkv${suffix}${i}`;
      run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', e.netns]);
      run('ip', ['link', 'set', veth, 'master', bridge, 'up']);
      const inNs = (...args: string[]) => run('ip', ['-n', e.netns, ...args]);
      inNs('link', 'set', 'lo', 'up');
      inNs('addr', 'add', `${e.address}/24`, 'dev', 'eth0');
      inNs('link', 'set', 'eth0', 'up');
    });
    await Promise.all(engines.map((e) => e.startEngine()));
    return lab;
  } catch (e) {
    const logs = engines.map((x) => `--- ${x.name}\n${x.log().slice(-2000)}`).join('\n');
    await lab.stop();
    throw new Error(`starting the lab failed: ${(e as Error).message}\n${logs}`, { cause: e });
  }
}
