/**
 * From facts to findings: what a host's engine, kernel and hardware mean for the stacks it is to
 * run, in plain words. Pure: no I/O (gather.ts reads the facts), so every rule is testable with a
 * literal fact set.
 */
import type { HostFacts, PowercapView } from './facts';
import { CADVISOR_DOCKER29, type HostNeeds, MINIMUM_ENGINE } from './needs';
import { IPMI_DEVICE } from '../components/ipmi/definition';

/** The device the IPMI add-on maps in-band, as the probe names it (without /dev/). */
const IPMI_IN_BAND_DEVICE = IPMI_DEVICE.replace(/^\/dev\//, '');

/** `fail`: the host cannot serve the stack (preflight exits 1). `warn`: it can, with something lost. */
export type Level = 'ok' | 'info' | 'warn' | 'fail';

export type Check = 'connection' | 'engine' | 'cgroup' | 'kernel' | 'rapl' | 'power-meter' | 'gpu' | 'bmc' | 'ports' | 'disk' | 'probe';

export interface Finding {
  readonly level: Level;
  readonly check: Check;
  readonly text: string;
}

const RANK: Record<Level, number> = { ok: 0, info: 1, warn: 2, fail: 3 };

/** A host's verdict: the worst level among `findings`, `info` counting as `ok` (`ok` for none). */
export function verdictOf(findings: readonly Finding[]): 'ok' | 'warn' | 'fail' {
  const worst = findings.reduce<Level>((w, f) => (RANK[f.level] > RANK[w] ? f.level : w), 'ok');
  return worst === 'info' ? 'ok' : worst;
}

/** Numeric parts of a version (`28.5.2+dfsg1` -> [28, 5, 2]; `v0.53.0` -> [0, 53, 0]). */
export function versionParts(version: string): number[] {
  const m = /(\d+(?:\.\d+)*)/.exec(version);
  return m ? m[1].split('.').map(Number) : [];
}

/** Compares two versions part by part: negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The tag of an image name (`ghcr.io/google/cadvisor:v0.53.0` -> `v0.53.0`), without a digest. */
function tagOf(image: string): string | undefined {
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

const GIB = 1024 ** 3;
const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

/** The readable RAPL zones of a view, as `intel-rapl:0 (package-0)`. */
function readableZones(view: PowercapView | undefined): string[] {
  return (view?.zones ?? []).filter((z) => z.readable).map((z) => (z.name ? `${z.id} (${z.name})` : z.id));
}

/** The engine: API floor, Docker 29 and cAdvisor. */
function engineFindings(facts: HostFacts, needs: HostNeeds): Finding[] {
  const e = facts.engine;
  const out: Finding[] = [];
  if (compareVersions(e.apiVersion, MINIMUM_ENGINE.apiVersion) < 0) {
    out.push({
      level: 'fail',
      check: 'engine',
      text:
        `Docker Engine ${e.version} (API ${e.apiVersion}) is too old: the stacks need API ${MINIMUM_ENGINE.apiVersion} ` +
        `(Docker Engine ${MINIMUM_ENGINE.engineVersion}) or later. ${MINIMUM_ENGINE.reason}`,
    });
  } else {
    out.push({ level: 'ok', check: 'engine', text: `Docker Engine ${e.version}, API ${e.apiVersion} (the stacks need API ${MINIMUM_ENGINE.apiVersion}, Docker Engine ${MINIMUM_ENGINE.engineVersion}, or later)` });
  }
  const docker29 = (e.minApiVersion !== undefined && compareVersions(e.minApiVersion, CADVISOR_DOCKER29.minApiOfDocker29) >= 0) || (versionParts(e.version)[0] ?? 0) >= 29;
  const cadvisorTag = needs.cadvisorImage ? tagOf(needs.cadvisorImage) : undefined;
  if (docker29 && needs.cadvisorImage && cadvisorTag && /^v?\d/.test(cadvisorTag) && compareVersions(cadvisorTag, CADVISOR_DOCKER29.fixedIn) < 0) {
    out.push({
      level: 'warn',
      check: 'engine',
      text:
        `Docker 29 needs cAdvisor >= v${CADVISOR_DOCKER29.fixedIn}: this engine accepts API ${e.minApiVersion ?? CADVISOR_DOCKER29.minApiOfDocker29} and later only, ` +
        `and ${needs.cadvisorImage} speaks an older one (google/cadvisor#3749, #3793): the container panels will be empty. ` +
        `Pin exporters.cadvisor.image to v${CADVISOR_DOCKER29.fixedIn} or later.`,
    });
  }
  return out;
}

function cgroupAndKernelFindings(facts: HostFacts, needs: HostNeeds): Finding[] {
  const e = facts.engine;
  const out: Finding[] = [];
  if (e.cgroupVersion === '2') {
    out.push(
      needs.scaphandre
        ? { level: 'warn', check: 'cgroup', text: "cgroup v2: Scaphandre's per-container labels are empty (hubblo-org/scaphandre#420, fixed on its dev branch only); host and process power are unaffected" }
        : { level: 'ok', check: 'cgroup', text: `cgroup v2${e.cgroupDriver ? ` (${e.cgroupDriver} driver)` : ''}` },
    );
  } else if (e.cgroupVersion === '1') {
    out.push({ level: 'ok', check: 'cgroup', text: `cgroup v1${e.cgroupDriver ? ` (${e.cgroupDriver} driver)` : ''}` });
  } else {
    out.push({ level: 'info', check: 'cgroup', text: 'cgroup version: unknown (the engine does not report it)' });
  }
  const [major = 0, minor = 0] = versionParts(e.kernelVersion);
  const oldKernel = major < 5 || (major === 5 && minor < 12);
  const oldEngine = (versionParts(e.version)[0] ?? 0) < 25;
  if (needs.nodeExporter && (oldKernel || oldEngine)) {
    const why = oldKernel ? `kernel ${e.kernelVersion} is before 5.12` : `Docker Engine ${e.version} is before 25`;
    out.push({
      level: 'warn',
      check: 'kernel',
      text:
        `read-only binds are not recursive here (${why}): node_exporter's \`/\` -> \`/host\` bind is read-only at its top only, ` +
        'so /host/sys and the other submounts stay writable to its root',
    });
  } else {
    out.push({ level: 'ok', check: 'kernel', text: `kernel ${e.kernelVersion}${oldKernel ? ' (before 5.12: read-only binds are not recursive)' : ''}` });
  }
  return out;
}

function raplFindings(facts: HostFacts, needs: HostNeeds): Finding[] {
  const p = facts.probe;
  if (!p) return [];
  const out: Finding[] = [];
  const hostZones = readableZones(p.hostSysfs);
  const masked = p.maskedPaths.some((path) => path === '/sys/devices/virtual/powercap' || path.startsWith('/sys/devices/virtual/powercap/'));
  const collects = needs.scaphandre || needs.nodeExporter;
  if (p.rslaveRefused) {
    out.push({
      level: needs.nodeExporter ? 'fail' : 'info',
      check: 'rapl',
      text: `node_exporter's container will not start: its \`/\` -> \`/host\` bind asks for rslave propagation and the engine refused it (${p.rslaveRefused}); make the host's / a shared mount (mount --make-rshared /)`,
    });
  }
  if (!p.hostSysfs.present || p.hostSysfs.zones.length === 0) {
    if (collects) {
      out.push({
        level: 'warn',
        check: 'rapl',
        text: `no RAPL (${p.hostSysfs.present ? '/sys/class/powercap is empty' : 'no /sys/class/powercap'}): Scaphandre and the RAPL panels will be empty; use a power model or a platform meter (ACPI, IPMI) for this host`,
      });
    } else {
      out.push({ level: 'info', check: 'rapl', text: `no RAPL (${p.hostSysfs.present ? '/sys/class/powercap is empty' : 'no /sys/class/powercap'})` });
    }
    if (needs.scaphandre && !p.hostSysfs.present) {
      out.push({
        level: 'fail',
        check: 'rapl',
        text: "Scaphandre's container cannot start: it binds /sys/class/powercap, which this host lacks (Docker cannot create it in sysfs); set exporters.scaphandre.enabled: false for this host",
      });
    }
  } else if (hostZones.length === 0) {
    out.push({
      level: collects ? 'warn' : 'info',
      check: 'rapl',
      text: `RAPL zones (${p.hostSysfs.zones.map((z) => z.id).join(', ')}) but energy_uj is unreadable as root through /host/sys: node_exporter's RAPL series will be missing`,
    });
  } else {
    out.push({ level: 'ok', check: 'rapl', text: `RAPL readable as node_exporter reads it (the host's sysfs at /host/sys): ${hostZones.join(', ')}` });
  }
  if (p.privileged) {
    const priv = readableZones(p.privileged);
    if (priv.length > 0) out.push({ level: 'ok', check: 'rapl', text: `RAPL readable by a privileged container with /sys/class/powercap bound (Scaphandre's mounts): ${priv.length} zone(s)` });
    else if (p.hostSysfs.zones.length > 0) {
      out.push({ level: needs.scaphandre ? 'warn' : 'info', check: 'rapl', text: 'RAPL not readable by a privileged container with /sys/class/powercap bound: Scaphandre will report no power' });
    }
  }
  const own = readableZones(p.ownSysfs);
  const dangling = p.ownSysfs.zones.filter((z) => z.dangling).length;
  if (masked) {
    const seen = hostZones.length > 0 ? (own.length === 0 ? `; an unprivileged container's own /sys shows ${dangling > 0 ? `${dangling} dangling zone link(s)` : 'no zone'}` : `; yet ${own.length} zone(s) readable in an unprivileged container's own /sys`) : '';
    out.push({
      level: 'info',
      check: 'rapl',
      text:
        'powercap masked: the engine hides /sys/devices/virtual/powercap from unprivileged containers (moby GHSA-jq35-85cj-fj4p, Docker >= 20.10.27 / 24.0.7)' +
        `${seen}. PeekStack is unaffected: node_exporter reads /host/sys and Scaphandre is privileged; an exporter reading its own /sys finds no RAPL`,
    });
  } else if (hostZones.length > 0) {
    out.push({
      level: 'warn',
      check: 'rapl',
      text: `powercap not masked: any unprivileged container can read the RAPL counters${own.length > 0 ? ` (${own.length} zone(s) readable in the probe's own /sys)` : ''} (PLATYPUS, CVE-2020-8694/8695); update Docker to >= 20.10.27 / 24.0.7`,
    });
  } else {
    out.push({ level: 'info', check: 'rapl', text: 'powercap not masked by this engine (nothing to mask here: no RAPL)' });
  }
  return out;
}

function hardwareFindings(facts: HostFacts, needs: HostNeeds): Finding[] {
  const p = facts.probe;
  if (!p) return [];
  const out: Finding[] = [];
  const meters = p.hwmon.filter((h) => h.name === 'power_meter');
  const reading = meters.find((h) => h.power1AverageMicrowatts !== undefined);
  if (reading) {
    out.push({
      level: 'ok',
      check: 'power-meter',
      text: `ACPI power meter (${reading.id}, power1_average ${(reading.power1AverageMicrowatts! / 1e6).toFixed(1)} W): whole-machine power as node_hwmon_power_average_watt`,
    });
  } else if (meters.length > 0) {
    out.push({ level: 'info', check: 'power-meter', text: `ACPI power meter (${meters[0].id}) without a power1_average reading: no whole-machine power from it` });
  } else {
    out.push({ level: 'info', check: 'power-meter', text: 'no ACPI power meter (hwmon power_meter): no whole-machine power reading on this host' });
  }
  const gpus = p.nvidiaDevices.filter((d) => /^nvidia\d+$/.test(d));
  if (gpus.length > 0) {
    out.push(
      needs.dcgm
        ? { level: 'ok', check: 'gpu', text: `NVIDIA GPU(s): ${gpus.join(', ')} (the DCGM exporter is on)` }
        : { level: 'info', check: 'gpu', text: `NVIDIA GPU(s): ${gpus.join(', ')}: turn on exporters.dcgm for GPU power` },
    );
  } else if (needs.dcgm) {
    out.push({ level: 'warn', check: 'gpu', text: 'the DCGM exporter is on but the host has no /dev/nvidia[0-9]*: it will find no GPU' });
  } else {
    out.push({ level: 'info', check: 'gpu', text: 'no NVIDIA GPU (/dev/nvidia*)' });
  }
  // The IPMI add-on in-band maps /dev/ipmi0 into its container: Docker refuses to create a
  // container whose device does not exist, so the collector's apply would fail.
  const bmc = p.ipmiDevices.find((d) => /^ipmi\d+$/.test(d));
  if (needs.ipmiInBand) {
    out.push(
      p.ipmiDevices.includes(IPMI_IN_BAND_DEVICE)
        ? { level: 'ok', check: 'bmc', text: `BMC device /dev/${IPMI_IN_BAND_DEVICE} (the IPMI exporter reads it in-band)` }
        : { level: 'fail', check: 'bmc', text: `ipmi is in-band but the host has no /dev/${IPMI_IN_BAND_DEVICE}: Docker would refuse the exporter's container; load the OpenIPMI driver (modprobe ipmi_si ipmi_devintf), or set ipmi to remote with the BMC's address` },
    );
  } else if (bmc !== undefined) {
    out.push({ level: 'info', check: 'bmc', text: `BMC device /dev/${bmc}: set ipmi: { mode: in-band } for whole-machine power from the BMC` });
  }
  if (p.drmCards.length > 0) {
    out.push({ level: 'info', check: 'gpu', text: `DRM card(s): ${p.drmCards.map((c) => (c.driver ? `${c.card} (${c.driver})` : c.card)).join(', ')}` });
  }
  return out;
}

function portFindings(facts: HostFacts, needs: HostNeeds): Finding[] {
  const out: Finding[] = [];
  const running = facts.containers.filter((c) => c.state === 'running');
  for (const need of needs.ports) {
    const label = `port ${need.port} (${need.what}, ${need.stack})`;
    const publishers = running.filter((c) => c.publishedPorts.includes(need.port));
    const others = publishers.filter((c) => c.name !== need.container);
    const listeners = facts.probe?.listeners.filter((l) => l.port === need.port) ?? [];
    if (others.length > 0) {
      out.push({ level: 'fail', check: 'ports', text: `${label} is taken by container ${others.map((c) => c.name).join(', ')}` });
    } else if (publishers.length > 0) {
      out.push({ level: 'ok', check: 'ports', text: `${label}: held by this stack's own ${need.container} (apply replaces it)` });
    } else if (listeners.length > 0) {
      const own = running.find((c) => c.hostNetwork && c.name === need.container);
      if (own) {
        out.push({ level: 'ok', check: 'ports', text: `${label}: held by this stack's own ${need.container} (apply replaces it)` });
      } else {
        const hostNet = running.filter((c) => c.hostNetwork).map((c) => c.name);
        const where = listeners.map((l) => (l.address.includes(':') ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`)).join(', ');
        out.push({
          level: 'fail',
          check: 'ports',
          text: `${label} is taken by a process on the host (listening on ${where}${hostNet.length > 0 ? `; host-network containers: ${hostNet.join(', ')}` : ''})`,
        });
      }
    } else {
      out.push({ level: 'ok', check: 'ports', text: `${label}: free${facts.probe ? '' : ' of containers (host processes unknown: no probe)'}` });
    }
  }
  return out;
}

function diskFindings(facts: HostFacts, needs: HostNeeds): Finding[] {
  if (needs.disk.length === 0) return [];
  const total = needs.disk.reduce((sum, d) => sum + d.bytes, 0);
  const why = needs.disk.map((d) => `${gib(d.bytes)} for ${d.stack}: ${d.reason}`).join('; ');
  const disk = facts.probe?.disk;
  if (!disk) return [{ level: 'info', check: 'disk', text: `free disk unknown (${facts.probe ? 'df gave no answer' : 'no probe'}); the data may grow to ${gib(total)} (${why})` }];
  const where = `the Docker root dir (${facts.engine.dockerRootDir})`;
  if (disk.freeBytes < total) {
    return [{ level: 'fail', check: 'disk', text: `${where} has ${gib(disk.freeBytes)} free of ${gib(disk.totalBytes)}; the data may grow to ${gib(total)} (${why}): free space or lower the retention` }];
  }
  return [{ level: 'ok', check: 'disk', text: `${where}: ${gib(disk.freeBytes)} free of ${gib(disk.totalBytes)}, enough for ${gib(total)} (${why})` }];
}

/** Every finding for one host, in a stable order: engine, cgroup, kernel, RAPL, hardware, ports, disk. */
export function interpret(facts: HostFacts, needs: HostNeeds): Finding[] {
  const findings = [...engineFindings(facts, needs), ...cgroupAndKernelFindings(facts, needs)];
  if (facts.probe) {
    findings.push(...raplFindings(facts, needs), ...hardwareFindings(facts, needs));
  } else {
    findings.push({
      level: 'warn',
      check: 'probe',
      text: `RAPL, power meter, GPUs, host listeners and free disk: unknown: ${facts.probeUnknown ?? 'no probe ran'}`,
    });
  }
  findings.push(...portFindings(facts, needs), ...diskFindings(facts, needs));
  return findings;
}
