/**
 * The I/O of preflight: asks one host's engine about itself and runs the short-lived probe
 * containers. Nothing persistent changes on the host: no image is pulled, no volume or network is
 * made, and every probe container is removed (force) whatever happens, also on Ctrl-C
 * ({@link removeActiveProbes}).
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { ContainerFacts, EngineFacts, HostFacts, ProbeFacts } from './facts';
import { compareVersions } from './interpret';
import { MINIMUM_ENGINE, type HostNeeds } from './needs';
import { HOST_PROBE_SCRIPT, parseProbeOutput, PRIVILEGED_PROBE_SCRIPT, type ProbeOutput } from './probe-script';

/** Label on every probe container (`peekstack.preflight=probe`). */
export const PROBE_LABEL = 'peekstack.preflight';

export interface GatherOptions {
  /** An image to probe with before the stack's own (`--probe-image`). */
  readonly probeImage?: string;
  /** Seconds a probe may run. */
  readonly probeTimeoutSeconds: number;
  /** Told what is being done, for a progress line. */
  readonly onStep?: (step: string) => void;
}

/** Probe containers created and not yet removed, by engine. */
const active = new Map<string, Docker>();
/** Set on Ctrl-C: no probe container is created any more. */
let aborted = false;

/** Stops making probe containers and removes every one still there (Ctrl-C); resolves when done. */
export async function removeActiveProbes(): Promise<void> {
  aborted = true;
  await Promise.all([...active].map(([id, docker]) => docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
  active.clear();
}

/** The payload of a non-TTY container's log stream (8-byte frame headers removed). */
export function demultiplex(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

async function engineFacts(docker: Docker): Promise<EngineFacts> {
  const version = (await docker.version()) as Docker.DockerVersion & { MinAPIVersion?: string };
  const info = (await docker.info()) as Record<string, unknown>;
  return {
    version: String(version.Version ?? 'unknown'),
    apiVersion: String(version.ApiVersion ?? '0'),
    ...(version.MinAPIVersion ? { minApiVersion: String(version.MinAPIVersion) } : {}),
    kernelVersion: String(info.KernelVersion ?? version.KernelVersion ?? 'unknown'),
    ...(info.OperatingSystem ? { operatingSystem: String(info.OperatingSystem) } : {}),
    ...(info.CgroupVersion ? { cgroupVersion: String(info.CgroupVersion) } : {}),
    ...(info.CgroupDriver ? { cgroupDriver: String(info.CgroupDriver) } : {}),
    dockerRootDir: String(info.DockerRootDir ?? '/var/lib/docker'),
  };
}

async function containerFacts(docker: Docker): Promise<ContainerFacts[]> {
  const list = await docker.listContainers({ all: true });
  return list
    .filter((c) => c.Labels?.[PROBE_LABEL] === undefined)
    .map((c) => ({
      name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
      state: c.State,
      publishedPorts: [...new Set((c.Ports ?? []).filter((p) => p.PublicPort && (p.Type ?? 'tcp') === 'tcp').map((p) => p.PublicPort))],
      hostNetwork: c.HostConfig?.NetworkMode === 'host',
    }));
}

/** Creates, runs, reads and removes one probe container; `inspect` sees it before removal. */
async function runProbe(
  docker: Docker,
  options: GatherOptions,
  spec: { image: string; script: string; env?: string[]; hostConfig: Docker.HostConfig },
  inspect?: (info: Docker.ContainerInspectInfo) => void,
): Promise<string> {
  if (aborted) throw new Error('interrupted');
  const container = await docker.createContainer({
    name: `peekstack-preflight-${randomBytes(4).toString('hex')}`,
    Image: spec.image,
    Entrypoint: ['/bin/sh', '-c'],
    Cmd: [spec.script],
    User: '0',
    Env: spec.env ?? [],
    Labels: { [PROBE_LABEL]: 'probe' },
    NetworkDisabled: spec.hostConfig.NetworkMode === 'none',
    HostConfig: { ...spec.hostConfig, AutoRemove: false, LogConfig: { Type: 'json-file', Config: {} } },
  });
  active.set(container.id, docker);
  try {
    if (aborted) throw new Error('interrupted');
    if (inspect) inspect(await container.inspect());
    await container.start();
    const waited = await Promise.race([
      container.wait(),
      new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), options.probeTimeoutSeconds * 1000).unref()),
    ]);
    if (waited === 'timeout') {
      await container.kill().catch(() => undefined);
      throw new Error(`the probe did not finish within ${options.probeTimeoutSeconds} s`);
    }
    const logs = (await container.logs({ stdout: true, stderr: false, follow: false })) as unknown as Buffer;
    return demultiplex(Buffer.isBuffer(logs) ? logs : Buffer.from(String(logs)));
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
    active.delete(container.id);
  }
}

/**
 * The first of the candidate images that is on the host (by tag, or by digest for a pinned
 * `repo:tag@sha256:...`), as its name and the image id to create from; `undefined` when none is.
 */
export async function findProbeImage(docker: Docker, candidates: readonly string[]): Promise<{ name: string; id: string } | undefined> {
  const images = await docker.listImages();
  const strip = (name: string) => name.replace(/^docker\.io\/(library\/)?/, '');
  const withTag = (name: string) => (name.lastIndexOf(':') > name.lastIndexOf('/') ? name : `${name}:latest`);
  for (const candidate of candidates) {
    const [named, digest] = strip(candidate).split('@');
    const repo = named.lastIndexOf(':') > named.lastIndexOf('/') ? named.slice(0, named.lastIndexOf(':')) : named;
    const found = images.find((i) =>
      digest ? (i.RepoDigests ?? []).map(strip).includes(`${repo}@${digest}`) : (i.RepoTags ?? []).map(strip).includes(withTag(named)),
    );
    if (found) return { name: candidate, id: found.Id };
  }
  return undefined;
}

const errorText = (error: unknown) => String((error as { json?: { message?: string } })?.json?.message ?? (error as Error)?.message ?? error).trim();

/** Runs the probes with `image`: the host's view (node_exporter's mounts), then Scaphandre's. */
async function probe(docker: Docker, engine: EngineFacts, image: { name: string; id: string }, options: GatherOptions): Promise<ProbeFacts> {
  let maskedPaths: string[] = [];
  const keepMasks = (info: Docker.ContainerInspectInfo) => {
    maskedPaths = ((info.HostConfig as { MaskedPaths?: string[] }).MaskedPaths ?? []).slice();
  };
  const hostProbe = (propagation: boolean) =>
    runProbe(
      docker,
      options,
      {
        image: image.id,
        script: HOST_PROBE_SCRIPT,
        env: [`ROOTDIR=${engine.dockerRootDir}`],
        hostConfig: {
          NetworkMode: 'host',
          Mounts: [{ Type: 'bind', Source: '/', Target: '/host', ReadOnly: true, ...(propagation ? { BindOptions: { Propagation: 'rslave' } } : {}) }],
        },
      },
      keepMasks,
    );
  options.onStep?.('probing the host (node_exporter mounts)');
  let rslaveRefused: string | undefined;
  let output: string;
  try {
    output = await hostProbe(true);
  } catch (error) {
    const text = errorText(error);
    if (!/shared or slave mount|propagation/i.test(text)) throw error;
    rslaveRefused = text.slice(0, 200);
    output = await hostProbe(false);
  }
  const main: ProbeOutput = parseProbeOutput(output);
  if (!main.complete) throw new Error('the probe stopped before its end (no "@end" in its output)');
  const hostSysfs = main.views.host ?? { present: false, zones: [] };
  let privileged;
  if (hostSysfs.present) {
    options.onStep?.("probing RAPL as Scaphandre (privileged)");
    const out = parseProbeOutput(
      await runProbe(docker, options, {
        image: image.id,
        script: PRIVILEGED_PROBE_SCRIPT,
        hostConfig: { NetworkMode: 'none', Privileged: true, Mounts: [{ Type: 'bind', Source: '/sys/class/powercap', Target: '/sys/class/powercap', ReadOnly: true }] },
      }),
    );
    privileged = out.views.privileged ?? { present: false, zones: [] };
  }
  return {
    image: image.name,
    hostSysfs,
    ownSysfs: main.views.own ?? { present: false, zones: [] },
    ...(privileged ? { privileged } : {}),
    maskedPaths,
    hwmon: main.hwmon,
    nvidiaDevices: main.nvidiaDevices,
    ipmiDevices: main.ipmiDevices,
    drmCards: main.drmCards,
    listeners: main.listeners,
    ...(main.disk ? { disk: main.disk } : {}),
    ...(rslaveRefused ? { rslaveRefused } : {}),
  };
}

/**
 * Everything preflight reads on one host. Throws (a connection error, for describeConnectionError)
 * only when the engine cannot be asked at all; a probe that fails is reported in `probeUnknown`.
 */
export async function gatherHostFacts(docker: Docker, needs: HostNeeds, options: GatherOptions): Promise<HostFacts> {
  options.onStep?.('asking the engine');
  const engine = await engineFacts(docker);
  const containers = await containerFacts(docker);
  if (compareVersions(engine.apiVersion, MINIMUM_ENGINE.apiVersion) < 0) {
    return { engine, containers, probeUnknown: 'not probed: the engine is older than the stacks accept' };
  }
  const candidates = [...(options.probeImage ? [options.probeImage] : []), ...needs.images];
  const image = await findProbeImage(docker, candidates);
  if (!image) {
    return { engine, containers, probeUnknown: `no probe image on the host (none of ${candidates.slice(0, 5).join(', ')}${candidates.length > 5 ? ', ...' : ''} is there; preflight never pulls)` };
  }
  try {
    return { engine, containers, probe: await probe(docker, engine, image, options) };
  } catch (error) {
    return { engine, containers, probeUnknown: `the probe with ${image.name} failed: ${errorText(error).slice(0, 300)}` };
  }
}
