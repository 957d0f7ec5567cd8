/**
 * preflight's pure parts: what a stack needs of its host (needs.ts), facts -> findings
 * (interpret.ts), the probe's output parser (probe-script.ts), connection errors in words and the
 * ssh command line (connect.ts). The real engines are in engines.test.ts.
 */
import { DEFAULT_IMAGES } from '../../src/core/images';
import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/config/loader';
import type { HostFacts, ProbeFacts } from '../../src/preflight/facts';
import { describeConnectionError, SshExit, sshCommand } from '../../src/preflight/connect';
import { compareVersions, interpret, verdictOf } from '../../src/preflight/interpret';
import { hostNeeds, MINIMUM_ENGINE } from '../../src/preflight/needs';
import { parseProbeOutput, procNetAddress } from '../../src/preflight/probe-script';
import { findProbeImage } from '../../src/preflight/gather';

const FLEET = `hosts:
  - name: web-1
    docker: { host: "ssh://ops@web-1.example.net:2222", sshOpts: ["-o", "StrictHostKeyChecking=yes"] }
    addresses: ["10.0.0.5"]
  - name: db-1
    docker: { host: "unix:///var/run/docker.sock" }
    addresses: ["10.0.0.6"]
    retentionSizeGigabytes: 20
    exporters:
      scaphandre: { enabled: false }
interface:
  host: web-1
`;
const fleet = parseFleet(FLEET, 'fleet.yaml');
const [web, db] = hostNeeds(fleet, ['hub', 'collector-web-1', 'collector-db-1', 'interface']);

const GIB = 1024 ** 3;
const zone = (id: string, name: string, readable = true) => ({ id, name, readable, dangling: false });
const RAPL = { present: true, zones: [zone('intel-rapl:0', 'package-0'), zone('intel-rapl:0:0', 'core')] };
const probe = (over: Partial<ProbeFacts> = {}): ProbeFacts => ({
  image: 'prom/node-exporter:v1.11.1',
  hostSysfs: RAPL,
  ownSysfs: { present: true, zones: [{ id: 'intel-rapl:0', readable: false, dangling: true }] },
  privileged: RAPL,
  maskedPaths: ['/proc/kcore', '/sys/devices/virtual/powercap'],
  hwmon: [],
  nvidiaDevices: [],
  ipmiDevices: [],
  drmCards: [],
  listeners: [],
  disk: { freeBytes: 100 * GIB, totalBytes: 200 * GIB },
  ...over,
});
const facts = (over: Partial<HostFacts> = {}, engine: Partial<HostFacts['engine']> = {}): HostFacts => ({
  engine: { version: '28.5.2', apiVersion: '1.51', minApiVersion: '1.24', kernelVersion: '6.8.0', cgroupVersion: '1', cgroupDriver: 'cgroupfs', dockerRootDir: '/var/lib/docker', ...engine },
  containers: [],
  probe: probe(),
  ...over,
});
const texts = (f: ReturnType<typeof interpret>, level?: string) => f.filter((x) => !level || x.level === level).map((x) => x.text);

describe('what the stacks need of their hosts', () => {
  it('adds up the stacks of a host: ports, disk, images (node_exporter first), Scaphandre', () => {
    expect(web.stacks).toEqual(['hub', 'collector-web-1', 'interface']);
    expect(web.ports.map((p) => `${p.port} ${p.container}`)).toEqual(['18427 peekstack-vmauth', '19090 peekstack-prometheus', '9100 peekstack-node-exporter', '13000 peekstack-grafana']);
    expect(web.images[0]).toBe(DEFAULT_IMAGES.nodeExporter);
    expect(web.scaphandre).toBe(true);
    expect(web.disk.map((d) => d.stack)).toEqual(['hub', 'collector-web-1']);
    expect(db.stacks).toEqual(['collector-db-1']);
    expect(db.scaphandre).toBe(false);
    expect(db.disk).toEqual([expect.objectContaining({ bytes: 20 * GIB, stack: 'collector-db-1' })]);
  });

  it('selects hosts by stack', () => {
    expect(hostNeeds(fleet, ['collector-db-1']).map((h) => h.host)).toEqual(['db-1']);
  });
});

describe('findings', () => {
  it('a healthy RAPL host: ok, with the mask explained', () => {
    const f = interpret(facts(), web);
    expect(verdictOf(f)).toBe('ok');
    expect(texts(f)).toContainEqual(expect.stringMatching(/^powercap masked: .*1 dangling zone link\(s\)\. PeekStack is unaffected/));
  });

  it('an engine below the minimum fails, naming the minimum and where it comes from', () => {
    const f = interpret(facts({}, { version: '19.03.15', apiVersion: '1.40' }), web);
    expect(verdictOf(f)).toBe('fail');
    expect(texts(f, 'fail')).toEqual([`Docker Engine 19.03.15 (API 1.40) is too old: the stacks need API 1.41 (Docker Engine 20.10) or later. ${MINIMUM_ENGINE.reason}`]);
  });

  it('Docker 29 with cAdvisor before v0.54: a warning naming the fix; none with the pinned cAdvisor', () => {
    const docker29 = { version: '29.0.1', apiVersion: '1.52', minApiVersion: '1.44' };
    const old = interpret(facts({}, docker29), { ...web, cadvisorImage: 'ghcr.io/google/cadvisor:v0.53.0' });
    expect(texts(old, 'warn')).toEqual([expect.stringMatching(/^Docker 29 needs cAdvisor >= v0\.54\.0: .*ghcr\.io\/google\/cadvisor:v0\.53\.0 .*google\/cadvisor#3749/)]);
    expect(texts(interpret(facts({}, docker29), web), 'warn')).toEqual([]);
  });

  it('cgroup v2 with Scaphandre, and a kernel before 5.12', () => {
    const f = interpret(facts({}, { cgroupVersion: '2', kernelVersion: '5.10.0-28-amd64' }), web);
    expect(texts(f, 'warn')).toEqual([
      expect.stringMatching(/^cgroup v2: Scaphandre's per-container labels are empty \(hubblo-org\/scaphandre#420/),
      expect.stringMatching(/^read-only binds are not recursive here \(kernel 5\.10\.0-28-amd64 is before 5\.12\)/),
    ]);
    expect(texts(interpret(facts({}, { cgroupVersion: '2' }), db))).toContain('cgroup v2 (cgroupfs driver)');
  });

  it('no RAPL: empty panels; no powercap at all fails a host with Scaphandre only', () => {
    const none = probe({ hostSysfs: { present: false, zones: [] }, ownSysfs: { present: false, zones: [] }, privileged: undefined });
    const onWeb = interpret(facts({ probe: none }), web);
    expect(texts(onWeb, 'fail')).toEqual([expect.stringMatching(/^Scaphandre's container cannot start: it binds \/sys\/class\/powercap/)]);
    const onDb = interpret(facts({ probe: none }), db);
    expect(verdictOf(onDb)).toBe('warn');
    expect(texts(onDb, 'warn')).toEqual([expect.stringMatching(/^no RAPL \(no \/sys\/class\/powercap\): Scaphandre and the RAPL panels will be empty/)]);
    const empty = interpret(facts({ probe: probe({ hostSysfs: { present: true, zones: [] }, privileged: { present: true, zones: [] } }) }), web);
    expect(texts(empty, 'warn')).toContainEqual(expect.stringMatching(/^no RAPL \(\/sys\/class\/powercap is empty\)/));
    expect(verdictOf(empty)).toBe('warn');
  });

  it('an engine that does not mask powercap: a warning (PLATYPUS)', () => {
    const f = interpret(facts({ probe: probe({ maskedPaths: ['/proc/kcore'], ownSysfs: RAPL }) }), web);
    expect(texts(f, 'warn')).toEqual([expect.stringMatching(/^powercap not masked: .*2 zone\(s\) readable in the probe's own \/sys.*CVE-2020-8694/)]);
  });

  it('node_exporter cannot start when the host\'s / is not shared', () => {
    const f = interpret(facts({ probe: probe({ rslaveRefused: 'path / is mounted on / but it is not a shared or slave mount' }) }), web);
    expect(texts(f, 'fail')).toEqual([expect.stringMatching(/^node_exporter's container will not start: .*rslave/)]);
  });

  it('ports: another container, a host process, the stack\'s own container', () => {
    const f = interpret(
      facts({
        containers: [
          { name: 'legacy-prometheus', state: 'running', publishedPorts: [19090], hostNetwork: false },
          { name: 'peekstack-grafana', state: 'running', publishedPorts: [13000], hostNetwork: false },
          { name: 'old-stopped', state: 'exited', publishedPorts: [18427], hostNetwork: false },
        ],
        probe: probe({ listeners: [{ address: '0.0.0.0', port: 19090 }, { address: '::', port: 9100 }, { address: '0.0.0.0', port: 13000 }] }),
      }),
      web,
    );
    expect(texts(f, 'fail')).toEqual([
      'port 19090 (Prometheus (HTTPS), collector-web-1) is taken by container legacy-prometheus',
      'port 9100 (node_exporter (host network), collector-web-1) is taken by a process on the host (listening on [::]:9100)',
    ]);
    expect(texts(f)).toContain("port 13000 (Grafana (HTTPS), interface): held by this stack's own peekstack-grafana (apply replaces it)");
    expect(texts(f)).toContain('port 18427 (fleet store (vmauth, HTTPS), hub): free');
  });

  it('disk: fails below what the retention may take', () => {
    const f = interpret(facts({ probe: probe({ disk: { freeBytes: 5 * GIB, totalBytes: 50 * GIB } }) }), db);
    expect(texts(f, 'fail')).toEqual(['the Docker root dir (/var/lib/docker) has 5.0 GiB free of 50.0 GiB; the data may grow to 20.0 GiB (20.0 GiB for collector-db-1: Prometheus keeps 15 days, at most 20 GiB (retentionSizeGigabytes)): free space or lower the retention']);
  });

  it('power meter and GPUs', () => {
    const f = interpret(
      facts({ probe: probe({ hwmon: [{ id: 'hwmon3', name: 'power_meter', power1AverageMicrowatts: 183_500_000 }], nvidiaDevices: ['nvidia0', 'nvidiactl'], drmCards: [{ card: 'card0', driver: 'nvidia' }] }) }),
      web,
    );
    expect(texts(f)).toContain('ACPI power meter (hwmon3, power1_average 183.5 W): whole-machine power as node_hwmon_power_average_watt');
    expect(texts(f)).toContain('NVIDIA GPU(s): nvidia0: turn on exporters.dcgm for GPU power');
    expect(texts(f)).toContain('DRM card(s): card0 (nvidia)');
  });

  it('the BMC device: in-band IPMI without /dev/ipmi0 fails (Docker would refuse the container); present, ok; present and unused, a hint', () => {
    const inBand = hostNeeds(parseFleet(FLEET.replace('    retentionSizeGigabytes: 20\n', '    retentionSizeGigabytes: 20\n    ipmi: { mode: in-band }\n'), 'fleet.yaml'), ['collector-db-1'])[0];
    expect(inBand.ipmiInBand).toBe(true);
    expect(db.ipmiInBand).toBe(false);
    const missing = interpret(facts(), inBand);
    expect(texts(missing, 'fail')).toEqual([
      "ipmi is in-band but the host has no /dev/ipmi0: Docker would refuse the exporter's container; load the OpenIPMI driver (modprobe ipmi_si ipmi_devintf), or set ipmi to remote with the BMC's address",
    ]);
    expect(verdictOf(missing)).toBe('fail');
    expect(texts(interpret(facts({ probe: probe({ ipmiDevices: ['ipmi0'] }) }), inBand), 'ok')).toContain('BMC device /dev/ipmi0 (the IPMI exporter reads it in-band)');
    expect(texts(interpret(facts({ probe: probe({ ipmiDevices: ['ipmi0'] }) }), db), 'info')).toContain('BMC device /dev/ipmi0: set ipmi: { mode: in-band } for whole-machine power from the BMC');
    expect(interpret(facts(), db).filter((finding) => finding.check === 'bmc')).toEqual([]);
  });

  it('no probe: the probed checks are unknown, with the reason', () => {
    const f = interpret(facts({ probe: undefined, probeUnknown: 'no probe image on the host' }), db);
    expect(texts(f, 'warn')).toEqual(['RAPL, power meter, GPUs, host listeners and free disk: unknown: no probe image on the host']);
    expect(texts(f)).toContain('port 19090 (Prometheus (HTTPS), collector-db-1): free of containers (host processes unknown: no probe)');
  });

  it('versions compare by number', () => {
    expect(compareVersions('1.41', '1.40')).toBeGreaterThan(0);
    expect(compareVersions('1.9', '1.41')).toBeLessThan(0);
    expect(compareVersions('v0.53.0', '0.54.0')).toBeLessThan(0);
    expect(compareVersions('28.5.2+dfsg4', '28.5.2')).toBe(0);
  });
});

describe('the probe output', () => {
  it('parses zones, hwmon, GPUs, listeners (LISTEN only, v4 and v6) and df', () => {
    const out = parseProbeOutput(
      [
        '@dir host',
        '@zone host intel-rapl:0 yes no package-0',
        '@zone host intel-rapl:0:0 no no core',
        '@nodir own',
        '@hwmon hwmon0 coretemp -',
        '@hwmon hwmon1 power_meter 120000000',
        '@nvidia nvidia0',
        '@ipmi ipmi0',
        '@drm card0 i915',
        '@tcp local_address st',
        '@tcp 00000000:4A52 0A',
        '@tcp 0100007F:1F90 01',
        '@tcp 00000000000000000000000000000000:2382 0A',
        '@tcp 00000000000000000000000001000000:0050 0A',
        '@df /dev/vda 264212084 30000000 79843520 28% /host/var/lib/docker',
        '@end',
      ].join('\n'),
    );
    expect(out.complete).toBe(true);
    expect(out.views.host.zones).toEqual([zone('intel-rapl:0', 'package-0'), zone('intel-rapl:0:0', 'core', false)]);
    expect(out.views.own).toEqual({ present: false, zones: [] });
    expect(out.hwmon).toEqual([{ id: 'hwmon0', name: 'coretemp' }, { id: 'hwmon1', name: 'power_meter', power1AverageMicrowatts: 120000000 }]);
    expect(out.ipmiDevices).toEqual(['ipmi0']);
    expect(out.listeners).toEqual([{ address: '0.0.0.0', port: 19026 }, { address: '::', port: 9090 }, { address: '::1', port: 80 }]);
    expect(out.disk).toEqual({ totalBytes: 264212084 * 1024, freeBytes: 79843520 * 1024 });
    expect(procNetAddress('0100007F')).toBe('127.0.0.1');
  });
});

describe('connections', () => {
  const ssh = { host: 'ssh://ops@web-1.example.net:2222', sshOpts: ['-i', '/home/ops/.ssh/id_fleet'] };
  it('runs the user\'s ssh with their options first, then docker system dial-stdio', () => {
    expect(sshCommand(ssh, 10)).toEqual(['-i', '/home/ops/.ssh/id_fleet', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-l', 'ops', '-p', '2222', '--', 'web-1.example.net', 'docker', 'system', 'dial-stdio']);
    expect(sshCommand({ host: 'ssh://ops@[fd00::5]' }, 3).slice(-6)).toEqual(['ops', '--', 'fd00::5', 'docker', 'system', 'dial-stdio']);
  });

  it('says why in one sentence, never with key material', () => {
    const refused = new SshExit(255, '-----BEGIN OPENSSH PRIVATE KEY-----\nops@web-1.example.net: Permission denied (publickey).\n');
    const text = describeConnectionError(refused, ssh);
    expect(text).toMatch(/^ssh refused the key: .*\(ops@web-1\.example\.net: Permission denied \(publickey\)\.\)/);
    expect(text).not.toContain('BEGIN');
    expect(describeConnectionError(new SshExit(255, 'ssh: connect to host web-1.example.net port 2222: Connection refused\n'), ssh)).toMatch(/^unreachable over ssh/);
    expect(describeConnectionError(new SshExit(255, 'Host key verification failed.\n'), ssh)).toMatch(/^ssh could not verify the host key/);
    expect(describeConnectionError(new SshExit(127, 'bash: line 1: docker: command not found\n'), ssh)).toMatch(/no docker CLI/);
    const tcp = { host: 'tcp://10.0.0.5:2376', certPath: '/etc/peekstack/certs' };
    expect(describeConnectionError(Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), tcp)).toBe(
      "TLS: the engine's certificate is not signed by the CA in /etc/peekstack/certs/ca.pem (wrong CA: UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
    );
    expect(describeConnectionError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:2376'), { code: 'ECONNREFUSED' }), tcp)).toBe('unreachable: connect ECONNREFUSED 10.0.0.5:2376');
    expect(describeConnectionError(Object.assign(new Error('connect ENOENT /run/x.sock'), { code: 'ENOENT' }), { host: 'unix:///run/x.sock' })).toBe('unreachable: no socket at /run/x.sock (no engine runs there)');
  });
});

describe('the probe image', () => {
  const docker = {
    listImages: async () => [
      { Id: 'sha256:aaa', RepoTags: ['prom/prometheus:v3.5.3'], RepoDigests: ['prom/prometheus@sha256:1111'] },
      { Id: 'sha256:bbb', RepoTags: ['busybox:latest'], RepoDigests: [] },
      { Id: 'sha256:ccc', RepoTags: null, RepoDigests: ['prom/node-exporter@sha256:2222'] },
    ],
  } as unknown as import('dockerode');
  it('is the first candidate on the host, by tag or by pinned digest, never by a guess', async () => {
    expect(await findProbeImage(docker, ['prom/node-exporter:v1.11.1', 'prom/prometheus:v3.5.3'])).toEqual({ name: 'prom/prometheus:v3.5.3', id: 'sha256:aaa' });
    expect(await findProbeImage(docker, ['prom/node-exporter:v1.11.1@sha256:2222'])).toEqual({ name: 'prom/node-exporter:v1.11.1@sha256:2222', id: 'sha256:ccc' });
    expect(await findProbeImage(docker, ['docker.io/library/busybox'])).toEqual({ name: 'docker.io/library/busybox', id: 'sha256:bbb' });
    expect(await findProbeImage(docker, ['prom/node-exporter:v1.11.1', 'prom/prometheus:v3.5.4'])).toBeUndefined();
  });
});
