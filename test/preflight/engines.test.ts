/**
 * `peekstack preflight` against real Docker Engines (the deployed tests' lab, test/deployed/engines.ts):
 *
 * - `rapl`: a simulated RAPL tree at the host's /sys/class/powercap (test/real/rapl-simulator.ts),
 *   reached over its unix socket;
 * - `bare`: no powercap, reached over tcp with TLS (dockerd --tlsverify, openssl certificates);
 *
 * both with the stacks' pinned node_exporter image built offline (test/deployed/images.ts), which
 * the probes run from; and an OpenSSH server on loopback (scripts/install-sshd.sh) for ssh endpoints.
 * The compiled CLI (dist/bin/peekstack.js) runs as a user would run it.
 * Checks: RAPL present (read as node_exporter and as Scaphandre), RAPL absent, Docker's powercap
 * mask, ports taken by a container and by a host process, free disk; the bad input: an unreachable
 * endpoint, a TLS endpoint with a wrong CA, an ssh endpoint refusing the key, an engine too old (an engine behind a proxy that reports
 * 19.03), a stack not in the fleet, no probe image; and that no probe container is ever left.
 */
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_BIN, Lab, startLab } from '../deployed/engines';
import { buildImages, dockerCli } from '../deployed/images';
import { RaplSimulation, startRaplSimulation } from '../real/rapl-simulator';
import { REPO_ROOT } from '../real/tools';
import { DEFAULT_IMAGES } from '../../src/core/images';
import type { UntypedJson } from '../support/untyped-json';

const CLI = path.join(REPO_ROOT, 'dist', 'bin', 'peekstack.js');
const TLS_PORT = 2376;

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled CLI asynchronously (the RAPL simulation ticks in this process). */
function peekstack(args: readonly string[], timeoutMs = 120_000): Promise<CliResult> {
  // No ssh agent: the keys a test names are the only ones ssh offers.
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: timeoutMs, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/**
 * openssl certificates in `dir`: `server/` (a CA, the engine's certificate for `ip`), `client/` (the
 * right CA, a client certificate and key: a certPath) and `wrong-ca/` (the same client certificate,
 * another CA). Called again with the engine's real address: the CA and the client files are kept.
 */
function makeCertificates(dir: string, ip: string): { serverDir: string; clientDir: string; wrongCaDir: string } {
  const run = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });
  const serverDir = path.join(dir, 'server');
  const clientDir = path.join(dir, 'client');
  const wrongCaDir = path.join(dir, 'wrong-ca');
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const issue = (name: string, subject: string, ext: string) => {
    writeFileSync(path.join(serverDir, `${name}.ext`), ext);
    run(['req', ...key, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject], serverDir);
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`], serverDir);
  };
  if (!existsSync(path.join(serverDir, 'ca.pem'))) {
    for (const d of [serverDir, clientDir, wrongCaDir]) mkdirSync(d, { recursive: true });
    for (const d of [serverDir, wrongCaDir]) run(['req', '-x509', ...key, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=preflight test CA'], d);
    issue('client', '/CN=client', 'extendedKeyUsage=clientAuth\n');
    for (const d of [clientDir, wrongCaDir]) {
      copyFileSync(path.join(serverDir, 'client.pem'), path.join(d, 'cert.pem'));
      copyFileSync(path.join(serverDir, 'client-key.pem'), path.join(d, 'key.pem'));
    }
    copyFileSync(path.join(serverDir, 'ca.pem'), path.join(clientDir, 'ca.pem'));
  }
  issue('server', '/CN=engine', `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth\n`);
  return { serverDir, clientDir, wrongCaDir };
}

/** A unix-socket proxy to an engine that reports Docker 19.03 (API 1.40) on /version. */
async function oldEngineProxy(socket: string, engineSocket: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const upstream = http.request({ socketPath: engineSocket, path: req.url, method: req.method, headers: req.headers }, (up) => {
      if (/^(\/v[\d.]+)?\/version(\?|$)/.test(req.url ?? '')) {
        let body = '';
        up.on('data', (c) => (body += c));
        up.on('end', () => {
          const v = JSON.parse(body);
          const text = JSON.stringify({ ...v, Version: '19.03.15', ApiVersion: '1.40', MinAPIVersion: '1.12' });
          res.writeHead(200, { 'content-type': 'application/json', 'api-version': '1.40' });
          res.end(text);
        });
        return;
      }
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return server;
}

const SSHD_ROOT = path.join(REPO_ROOT, '.tools', 'sshd');

/**
 * An OpenSSH server on 127.0.0.1 (Debian's, from scripts/install-sshd.sh) in a mount namespace of
 * its own, where its privilege-separation user and /run/sshd exist: nothing of it outside. One key
 * is authorized, with a forced command that serves `docker system dial-stdio` from `engineSocket`
 * (a host whose docker CLI talks to its engine); a second key is not.
 */
async function startSshd(dir: string, engineSocket: string): Promise<{ port: number; goodKey: string; badKey: string; knownHosts: string; child: ChildProcess; log: () => string }> {
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'install-sshd.sh')], { stdio: 'pipe' });
  mkdirSync(dir, { recursive: true });
  for (const k of ['host', 'good', 'bad']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, k)]);
  const passwd = path.join(dir, 'passwd');
  writeFileSync(passwd, `${readFileSync('/etc/passwd', 'utf8').trimEnd()}\nsshd:x:74:65534:privsep:/run/sshd:/usr/sbin/nologin\n`);
  const docker = path.join(ENGINE_BIN, 'docker');
  writeFileSync(path.join(dir, 'authorized_keys'), `command="exec ${docker} -H unix://${engineSocket} system dial-stdio" ${readFileSync(path.join(dir, 'good.pub'), 'utf8')}`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  writeFileSync(
    path.join(dir, 'sshd_config'),
    [`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host`, `PidFile ${dir}/sshd.pid`, `AuthorizedKeysFile ${dir}/authorized_keys`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password', ''].join('\n'),
  );
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${readFileSync(path.join(dir, 'host.pub'), 'utf8')}`);
  let log = '';
  // unshare and sh exec into sshd: the child's pid is sshd's.
  const child = spawn(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', `mount --bind '${passwd}' /etc/passwd && mount -t tmpfs -o mode=0755 peekstack-sshd-run /run && mkdir -m 0755 /run/sshd && exec '${SSHD_ROOT}/usr/sbin/sshd' -D -e -f '${dir}/sshd_config'`],
    { env: { ...process.env, LD_LIBRARY_PATH: path.join(SSHD_ROOT, 'usr', 'lib', 'x86_64-linux-gnu') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const until = Date.now() + 15_000;
  while (!log.includes('Server listening')) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`sshd did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, goodKey: path.join(dir, 'good'), badKey: path.join(dir, 'bad'), knownHosts, child, log: () => log };
}

/** Names of the probe containers still on an engine (there must never be any after a run). */
function probeContainers(lab: Lab, host: string): string {
  return dockerCli(lab.engine(host).socketPath, ['ps', '-a', '--filter', 'label=peekstack.preflight', '--format', '{{.Names}}']).trim();
}

describe('peekstack preflight on real Docker Engines', () => {
  let lab: Lab;
  let sim: RaplSimulation;
  let certs: ReturnType<typeof makeCertificates>;
  let dir: string;
  let certDir = '';
  const children: ChildProcess[] = [];
  const servers: http.Server[] = [];

  /** A fleet file of the lab's hosts; `extra` lines go under each host (by name). */
  function fleet(name: string, hosts: { name: string; docker: string[]; extra?: string[] }[], more: string[] = []): string {
    const file = path.join(dir, `${name}.yaml`);
    const lines = ['hosts:'];
    for (const h of hosts) {
      lines.push(`  - name: ${h.name}`, '    docker:', ...h.docker.map((l) => `      ${l}`), `    addresses: ["${lab.prefix}.${h.name === 'rapl' ? 10 : 11}"]`, ...(h.extra ?? []).map((l) => `    ${l}`));
    }
    lines.push('interface:', `  host: ${hosts[0].name}`, ...more, '');
    writeFileSync(file, lines.join('\n'));
    return file;
  }
  const raplHost = () => ({ name: 'rapl', docker: [`host: "${lab.engine('rapl').endpoint}"`], extra: ['retentionSizeGigabytes: 1'] });
  const bareHost = (certPath = certs.clientDir) => ({
    name: 'bare',
    docker: [`host: "tcp://${lab.engine('bare').address}:${TLS_PORT}"`, `certPath: "${certPath}"`],
    extra: ['retentionSizeGigabytes: 1', 'exporters:', '  scaphandre: { enabled: false }'],
  });

  beforeAll(async () => {
    sim = await startRaplSimulation({ packageWatts: 40, coreWatts: 25 });
    // The engine's certificate names its address, which the lab picks when it starts: the engine
    // starts with a certificate for 127.0.0.1, then again with one for its address.
    certDir = mkdtempSync('/tmp/peekstack-preflight-certs-');
    certs = makeCertificates(certDir, '127.0.0.1');
    const tls = certs.serverDir;
    lab = await startLab([
      { name: 'rapl', powercapDir: sim.powercapDir },
      { name: 'bare', dockerdArgs: ['-H', `tcp://0.0.0.0:${TLS_PORT}`, '--tlsverify', '--tlscacert', `${tls}/ca.pem`, '--tlscert', `${tls}/server.pem`, '--tlskey', `${tls}/server-key.pem`] },
    ]);
    makeCertificates(certDir, lab.engine('bare').address);
    await lab.engine('bare').stopEngine();
    await lab.engine('bare').startEngine();
    dir = path.join(lab.dir, 'preflight');
    mkdirSync(dir, { recursive: true });
    buildImages(lab, [DEFAULT_IMAGES.nodeExporter]);
  }, 300_000);

  afterAll(async () => {
    for (const c of children) {
      try {
        if (c.pid && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const s of servers) s.close();
    await lab?.stop();
    await sim?.stop();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
    if (lab) expect(lab.leftovers()).toEqual([]);
  }, 120_000);

  /** Findings of one host in a JSON report. */
  function findingsOf(report: UntypedJson, host: string): { level: string; check: string; text: string }[] {
    return report.hosts.find((h: UntypedJson) => h.host === host).findings;
  }
  const texts = (fs: { level: string; text: string }[], level?: string) => fs.filter((f) => !level || f.level === level).map((f) => f.text);

  function expectNothingLeft(): void {
    expect(probeContainers(lab, 'rapl')).toBe('');
    expect(probeContainers(lab, 'bare')).toBe('');
  }

  it('RAPL present (unix endpoint) and absent (tcp + TLS): read as node_exporter and as Scaphandre would, and the engine\'s mask', async () => {
    const file = fleet('both', [raplHost(), bareHost()]);
    const r = await peekstack(['preflight', '--fleet', file, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(true);
    const rapl = report.hosts.find((h: UntypedJson) => h.host === 'rapl');
    expect(rapl.stacks).toEqual(['hub', 'collector-rapl', 'interface']);
    expect(rapl.facts.engine).toMatchObject({ version: expect.stringMatching(/^28\./), apiVersion: expect.stringMatching(/^1\.\d+$/), cgroupVersion: expect.stringMatching(/^[12]$/) });
    // Present: the simulated tree, read through /host/sys (node_exporter's mounts) and by a privileged container (Scaphandre's).
    const zones = (view: UntypedJson) => view.zones.filter((z: UntypedJson) => z.readable).map((z: UntypedJson) => `${z.id}=${z.name}`);
    expect(zones(rapl.facts.probe.hostSysfs)).toEqual(['intel-rapl:0=package-0', 'intel-rapl:0:0=core']);
    expect(zones(rapl.facts.probe.privileged)).toEqual(['intel-rapl:0=package-0', 'intel-rapl:0:0=core']);
    // Masked: the engine (Docker 28) hides /sys/devices/virtual/powercap from an unprivileged
    // container, which then reads no zone in its own /sys.
    expect(rapl.facts.probe.maskedPaths).toContain('/sys/devices/virtual/powercap');
    expect(zones(rapl.facts.probe.ownSysfs)).toEqual([]);
    const raplTexts = texts(findingsOf(report, 'rapl'));
    expect(raplTexts).toContainEqual(expect.stringContaining('RAPL readable as node_exporter reads it (the host\'s sysfs at /host/sys): intel-rapl:0 (package-0), intel-rapl:0:0 (core)'));
    expect(raplTexts).toContainEqual(expect.stringContaining("RAPL readable by a privileged container with /sys/class/powercap bound (Scaphandre's mounts): 2 zone(s)"));
    expect(raplTexts).toContainEqual(expect.stringMatching(/^powercap masked: .*PeekStack is unaffected: node_exporter reads \/host\/sys and Scaphandre is privileged/));
    // Absent, over tcp with TLS client certificates.
    const bare = report.hosts.find((h: UntypedJson) => h.host === 'bare');
    expect(bare.endpoint).toBe(`tcp://${lab.engine('bare').address}:${TLS_PORT}`);
    expect(bare.verdict).toBe('warn');
    expect(bare.facts.probe.hostSysfs.present).toBe(false);
    expect(texts(findingsOf(report, 'bare'), 'warn')).toEqual([expect.stringMatching(/^no RAPL \(no \/sys\/class\/powercap\): Scaphandre and the RAPL panels will be empty/)]);
    // Ports free, disk measured on the Docker root dir's file system, no GPU, no power meter here.
    expect(texts(findingsOf(report, 'bare'))).toContainEqual('port 19090 (Prometheus (HTTPS), collector-bare): free');
    expect(bare.facts.probe.disk.freeBytes).toBeGreaterThan(0);
    expect(texts(findingsOf(report, 'bare'))).toContainEqual(expect.stringMatching(/^the Docker root dir \(\/var\/lib\/docker\): [\d.]+ GiB free of [\d.]+ GiB, enough for 1\.0 GiB/));
    expect(texts(findingsOf(report, 'bare'))).toContain('no ACPI power meter (hwmon power_meter): no whole-machine power reading on this host');
    expectNothingLeft();
  });

  it('RAPL absent with Scaphandre on: exit 1, its bind of /sys/class/powercap has no source', async () => {
    const host = bareHost();
    const file = fleet('scaphandre-on-bare', [{ ...host, extra: ['retentionSizeGigabytes: 1'] }]);
    const r = await peekstack(['preflight', '--fleet', file, 'collector-bare']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^peekstack preflight: host "bare" \(.*\) cannot serve collector-bare: Scaphandre's container cannot start: it binds \/sys\/class\/powercap, which this host lacks/);
    expect(r.stdout).toMatch(/bare +collector-bare +28\.\S+ \(API 1\.\d+\) +v[12] +\S+ +absent +free +[\d.]+ GiB +CANNOT SERVE/);
    // The claim is not checked on the lab's engines: their /sys/class is a tmpfs (engines.ts), where
    // Docker can create the missing bind source; on a host's sysfs mkdir fails (EPERM).
    expectNothingLeft();
  });

  it('a port taken by a container and by a host process: exit 1 naming each; a port held by the stack\'s own container is fine', async () => {
    const bareSock = lab.engine('bare').socketPath;
    dockerCli(bareSock, ['run', '-d', '--name', 'squatter', '-p', '19090:9100', '--entrypoint', '/bin/sleep', DEFAULT_IMAGES.nodeExporter, '600']);
    const nc = spawn('nsenter', [`--net=/run/netns/${lab.engine('rapl').netns}`, process.execPath, '-e', "require('net').createServer().listen(13000)"], { stdio: 'ignore' });
    children.push(nc);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const file = fleet('ports', [raplHost(), bareHost()]);
      const r = await peekstack(['preflight', '--fleet', file, '--format', 'json']);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(report.ok).toBe(false);
      expect(texts(findingsOf(report, 'bare'), 'fail')).toEqual(['port 19090 (Prometheus (HTTPS), collector-bare) is taken by container squatter']);
      expect(texts(findingsOf(report, 'rapl'), 'fail')).toEqual([expect.stringMatching(/^port 13000 \(Grafana \(HTTPS\), interface\) is taken by a process on the host \(listening on (0\.0\.0\.0|\[::\]):13000/)]);
      expect(r.stderr).toContain('host "bare"');
      expect(r.stderr).toContain('host "rapl"');
      // The stack's own container holding its port (a redeploy) is no conflict.
      dockerCli(bareSock, ['rename', 'squatter', 'peekstack-prometheus']);
      const again = await peekstack(['preflight', '--fleet', file, '--format', 'json', 'collector-bare']);
      expect(again.code).toBe(0);
      expect(texts(findingsOf(JSON.parse(again.stdout), 'bare'))).toContain("port 19090 (Prometheus (HTTPS), collector-bare): held by this stack's own peekstack-prometheus (apply replaces it)");
    } finally {
      if (nc.pid && nc.exitCode === null) nc.kill('SIGKILL');
      dockerCli(bareSock, ['rm', '-f', 'squatter', 'peekstack-prometheus']);
    }
    expectNothingLeft();
  });

  it('no probe image on the host: "unknown", never a pull', async () => {
    const host = raplHost();
    const file = fleet('no-image', [{ ...host, extra: [...host.extra, 'exporters:', '  nodeExporter: { image: "example.invalid/node-exporter:v9.9.9" }'] }]);
    const before = dockerCli(lab.engine('rapl').socketPath, ['images', '-q']).trim();
    const r = await peekstack(['preflight', '--fleet', file, '--format', 'json', 'collector-rapl']);
    expect(r.code).toBe(0);
    const f = findingsOf(JSON.parse(r.stdout), 'rapl');
    expect(texts(f, 'warn')).toEqual([expect.stringMatching(/^RAPL, power meter, GPUs, host listeners and free disk: unknown: no probe image on the host \(none of example\.invalid\/node-exporter:v9\.9\.9, .*preflight never pulls\)/)]);
    expect(dockerCli(lab.engine('rapl').socketPath, ['images', '-q']).trim()).toBe(before);
    // --probe-image names one that is there: the probe runs.
    const named = await peekstack(['preflight', '--fleet', file, '--format', 'json', '--probe-image', DEFAULT_IMAGES.nodeExporter, 'collector-rapl']);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout).hosts[0].facts.probe.image).toBe(DEFAULT_IMAGES.nodeExporter);
    expectNothingLeft();
  });

  it('bad input: unreachable endpoints', async () => {
    const file = fleet('unreachable', [
      { name: 'rapl', docker: [`host: "tcp://${lab.prefix}.99:${TLS_PORT}"`, `certPath: "${certs.clientDir}"`] },
      { name: 'bare', docker: [`host: "unix://${dir}/no-such.sock"`] },
    ]);
    const r = await peekstack(['preflight', '--fleet', file, '--timeout', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^peekstack preflight: host "rapl" \\("tcp://${lab.prefix.replace(/\./g, '\\.')}\\.99:${TLS_PORT}"\\) cannot serve hub, collector-rapl, interface: unreachable: (connect )?(EHOSTUNREACH|ETIMEDOUT|ECONNREFUSED|no answer)`, 'm'));
    expect(r.stderr).toMatch(/^peekstack preflight: host "bare" \(".*no-such\.sock"\) cannot serve collector-bare: unreachable: no socket at .*no-such\.sock \(no engine runs there\)$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('bad input: a TLS endpoint with a wrong CA, and an engine refusing our client certificate', async () => {
    const file = fleet('wrong-ca', [bareHost(certs.wrongCaDir)]);
    const r = await peekstack(['preflight', '--fleet', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^peekstack preflight: host "bare" \("tcp:\/\/.*:2376"\) cannot serve hub, collector-bare, interface: TLS: the engine's certificate is not signed by the CA in .*wrong-ca\/ca\.pem \(wrong CA: [A-Z_]+\)$/m);
    expect(`${r.stdout}${r.stderr}`).not.toContain('BEGIN');
    // The right CA, a client certificate the engine's CA did not sign.
    const stranger = path.join(dir, 'stranger');
    mkdirSync(stranger, { recursive: true });
    copyFileSync(path.join(certs.clientDir, 'ca.pem'), path.join(stranger, 'ca.pem'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=stranger'], { cwd: stranger, stdio: 'pipe' });
    const refused = await peekstack(['preflight', '--fleet', fleet('stranger', [bareHost(stranger)])]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot serve hub, collector-bare, interface: (TLS: the engine refused our client certificate|unreachable: ECONNRESET)/);
    expect(`${refused.stdout}${refused.stderr}`).not.toContain('BEGIN');
  });

  it('bad input: an engine too old for the stacks, named with the minimum', async () => {
    const socket = path.join(dir, 'old-engine.sock');
    servers.push(await oldEngineProxy(socket, lab.engine('rapl').socketPath));
    const file = fleet('old', [{ name: 'rapl', docker: [`host: "unix://${socket}"`] }]);
    const r = await peekstack(['preflight', '--fleet', file, 'collector-rapl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^peekstack preflight: host "rapl" \(.*\) cannot serve collector-rapl: Docker Engine 19\.03\.15 \(API 1\.40\) is too old: the stacks need API 1\.41 \(Docker Engine 20\.10\) or later\. .*host-gateway/m);
    expect(r.stdout).toContain('not probed: the engine is older than the stacks accept');
    expectNothingLeft();
  });

  it('bad input: a stack not in the fleet, and bad flags: exit 2, no stack trace', async () => {
    const file = fleet('names', [raplHost()]);
    const r = await peekstack(['preflight', '--fleet', file, 'collector-nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}: stack "collector-nope": not in this fleet; allowed: "hub", "collector-rapl", "interface"\n`);
    for (const args of [['--format', 'xml'], ['--timeout', '0'], ['--bogus']]) {
      const bad = await peekstack(['preflight', '--fleet', file, ...args]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^peekstack preflight: /);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    }
  });
  it('ssh: through the user\'s ssh and docker system dial-stdio, as apply goes; a key the host refuses', async () => {
    const sshd = await startSshd(path.join(dir, 'sshd'), lab.engine('rapl').socketPath);
    children.push(sshd.child);
    try {
      const opts = (key: string) => `sshOpts: ["-F", "/dev/null", "-i", "${key}", "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=${sshd.knownHosts}", "-o", "StrictHostKeyChecking=yes"]`;
      const host = (key: string) => ({ name: 'rapl', docker: [`host: "ssh://root@127.0.0.1:${sshd.port}"`, opts(key)], extra: ['retentionSizeGigabytes: 1'] });
      const ok = await peekstack(['preflight', '--fleet', fleet('ssh', [host(sshd.goodKey)]), '--format', 'json', 'collector-rapl']);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      const rapl = JSON.parse(ok.stdout).hosts[0];
      expect(rapl.endpoint).toBe(`ssh://root@127.0.0.1:${sshd.port}`);
      expect(rapl.facts.probe.hostSysfs.zones.filter((z: UntypedJson) => z.readable)).toHaveLength(2);
      const refused = await peekstack(['preflight', '--fleet', fleet('ssh-bad', [host(sshd.badKey)]), 'collector-rapl']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^peekstack preflight: host "rapl" \("ssh:\/\/root@127\.0\.0\.1:\d+"\) cannot serve collector-rapl: ssh refused the key: .*\(root@127\.0\.0\.1: Permission denied \(publickey\)\.\)/m);
      expect(`${refused.stdout}${refused.stderr}`).not.toContain('PRIVATE KEY');
      // Nothing listening on the ssh port.
      const closed = { ...host(sshd.goodKey), docker: [`host: "ssh://root@127.0.0.1:${sshd.port === 65000 ? 65001 : 65000}"`, opts(sshd.goodKey)] };
      const unreachable = await peekstack(['preflight', '--fleet', fleet('ssh-closed', [closed]), 'collector-rapl']);
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toMatch(/cannot serve collector-rapl: unreachable over ssh \(ssh: connect to host 127\.0\.0\.1 port 6500\d: Connection refused\)$/m);
    } finally {
      sshd.child.kill('SIGTERM');
      await new Promise((r) => (sshd.child.exitCode !== null ? r(undefined) : sshd.child.once('exit', r)));
    }
    expectNothingLeft();
  });
  it('the table, and a progress line on stderr only when it is a terminal', async () => {
    const file = fleet('tty', [raplHost()]);
    const plain = await peekstack(['preflight', '--fleet', file, 'collector-rapl']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toMatch(/^HOST +STACKS +ENGINE +CGROUP +KERNEL +RAPL +PORTS +DISK FREE +VERDICT\n[- ]+\nrapl +collector-rapl +28\.\S+ \(API 1\.\d+\) +v[12] +\S+ +2 zone\(s\), masked +free +[\d.]+ GiB +ok\n/);
    expect(plain.stdout).toContain('rapl (unix://');
    expect(plain.stdout).toMatch(/^ {2}ok {3}rapl: RAPL readable as node_exporter reads it/m);
    // Under a pseudo-terminal (util-linux `script`), stderr is a TTY: the progress line shows, then is cleared.
    const log = path.join(dir, 'tty.log');
    const cmd = [process.execPath, CLI, 'preflight', '--fleet', file, 'collector-rapl'].map((a) => `'${a}'`).join(' ');
    await new Promise<void>((resolve, reject) => execFile('script', ['-qefc', cmd, log], { timeout: 120_000 }, (error) => (error ? reject(error) : resolve())));
    const seen = readFileSync(log, 'utf8');
    expect(seen).toContain('\r\u001b[2Kpreflight 1/1 rapl: connecting...');
    expect(seen).toContain('\r\u001b[2Kpreflight 1/1 rapl: probing the host (node_exporter mounts)...');
    expectNothingLeft();
  });
  it('Ctrl-C while a probe runs: exit 130, the probe container removed', async () => {
    const file = fleet('interrupt', [raplHost()]);
    let interrupted: CliResult | undefined;
    for (let attempt = 0; attempt < 5 && !interrupted; attempt++) {
      const child = spawn(process.execPath, [CLI, 'preflight', '--fleet', file, 'collector-rapl'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1))));
      let seen = false;
      while (child.exitCode === null && !seen) {
        seen = probeContainers(lab, 'rapl') !== '';
        if (!seen) await new Promise((r) => setTimeout(r, 20));
      }
      if (seen) child.kill('SIGINT');
      const code = await exited;
      if (seen) interrupted = { code, stdout: '', stderr };
    }
    expect(interrupted).toBeDefined();
    expect(interrupted!.code).toBe(130);
    expect(interrupted!.stderr).toContain('peekstack preflight: interrupted; removing the probe containers');
    expectNothingLeft();
  });
});
