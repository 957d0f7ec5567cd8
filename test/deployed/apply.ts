/**
 * Applies synthesized stacks (cdk.tf.json) to real Docker Engines through the Engine API
 * (dockerode), following the Terraform Docker provider's semantics (kreuzwerker/docker 3.6.2,
 * `internal/provider/resource_docker_container_funcs.go` and neighbours) for every attribute the
 * stacks use, and Terraform's for references and replacement:
 *
 * - `docker_image`: must exist on the engine (the provider pulls a missing one; no registry is
 *   reachable here, so the pull's failure is reported); `image_id` is the engine's image id;
 *   `keep_locally` keeps it on destroy.
 * - `docker_network` / `docker_volume`: created by name; destroyed (volumes lose their data, as the
 *   provider's docs say) unless still in use.
 * - `docker_container`: ContainerCreate with the provider's mapping (memory and memory_swap in MB,
 *   healthcheck durations, capabilities add/drop, security_opts, host entries, log driver/options,
 *   labels, mounts with bind propagation, volumes as binds or named volumes, devices, ports with
 *   host ip and protocol, network_mode, pid_mode); `networks_advanced`: disconnect from "bridge",
 *   connect to each network with its aliases; each `upload` is a one-file tar (mode = `permissions`,
 *   owner root) copied to "/" before start; start; then wait up to 15 s for "running": a container
 *   that exited is deleted and the apply fails when `must_run` (default true); `wait` waits for
 *   "healthy" up to `wait_timeout` (default 60 s).
 * - Re-apply: a container whose resolved configuration is unchanged is left alone; one whose only
 *   changes are `restart`, `memory` or `memory_swap` is updated in place (ContainerUpdate, as the
 *   provider does); any other change replaces it (delete, then create).
 * - References: `${type.name.attr}` of this stack, `${data.terraform_remote_state.X.outputs.Y}`
 *   (the output of the stack whose local backend path the data source names: it must have been
 *   applied), `${terraform.workspace}`, `${var.NAME}`; `$${` and `%%{` are Terraform's escapes.
 *
 * Anything else (a resource type, an attribute, a nested attribute, an expression) fails with the
 * resource address and the attribute's name: nothing reaches users unproven.
 */
import Docker from 'dockerode';
import { createHash } from 'node:crypto';
import * as tar from 'tar-stream';
import { uploadText } from '../support/deployed-files';
import { computeAttribute, KNOWN_ATTRIBUTES, ResourceBlock } from './terraform-values';

export type StackJson = {
  resource?: Record<string, Record<string, ResourceBlock>>;
  data?: Record<string, Record<string, ResourceBlock>>;
  output?: Record<string, { value: unknown; sensitive?: boolean; description?: string }>;
  variable?: Record<string, unknown>;
  provider?: Record<string, ResourceBlock[]>;
  terraform?: { backend?: Record<string, { path?: string }> } & Record<string, unknown>;
};

/** An apply or destroy that failed, naming the resource address and the attribute. */
export class ApplyError extends Error {
  constructor(
    readonly address: string,
    readonly attribute: string,
    detail: string,
  ) {
    super(`${address}: ${attribute}: ${detail}`);
  }
}

const META = new Set(['//', 'provider']);

/** Docker resource attributes this applier models (nested blocks: their own lists). */
const DOCKER_ATTRIBUTES: Record<string, readonly string[]> = {
  docker_image: ['name', 'keep_locally'],
  docker_network: ['name', 'driver'],
  docker_volume: ['name'],
  docker_container: [
    'name', 'image', 'command', 'entrypoint', 'user', 'env', 'working_dir', 'ports', 'mounts', 'volumes', 'upload',
    'capabilities', 'security_opts', 'privileged', 'network_mode', 'networks_advanced', 'pid_mode', 'host', 'healthcheck',
    'restart', 'log_driver', 'log_opts', 'memory', 'memory_swap', 'labels', 'must_run', 'wait', 'wait_timeout', 'devices',
  ],
};
const NESTED: Record<string, readonly string[]> = {
  'docker_container.ports': ['internal', 'external', 'ip', 'protocol'],
  'docker_container.mounts': ['type', 'source', 'target', 'read_only', 'bind_options'],
  'docker_container.mounts.bind_options': ['propagation'],
  'docker_container.volumes': ['container_path', 'host_path', 'volume_name', 'read_only'],
  'docker_container.upload': ['file', 'content', 'content_base64', 'permissions', 'executable'],
  'docker_container.capabilities': ['add', 'drop'],
  'docker_container.networks_advanced': ['name', 'aliases'],
  'docker_container.host': ['host', 'ip'],
  'docker_container.healthcheck': ['test', 'interval', 'timeout', 'start_period', 'retries'],
  'docker_container.labels': ['label', 'value'],
  'docker_container.devices': ['host_path', 'container_path', 'permissions'],
  'tls_self_signed_cert.subject': ['common_name', 'organization'],
  'tls_cert_request.subject': ['common_name', 'organization'],
};
/** Container attributes the provider updates in place (resourceDockerContainerUpdate). */
const UPDATABLE = ['restart', 'memory', 'memory_swap'];

/** Checks every attribute of every resource against what is modelled. */
export function checkModelled(stackName: string, json: StackJson): void {
  for (const [type, blocks] of Object.entries(json.resource ?? {})) {
    const known = DOCKER_ATTRIBUTES[type] ?? KNOWN_ATTRIBUTES[type];
    for (const [name, block] of Object.entries(blocks)) {
      const address = `${stackName}: ${type}.${name}`;
      if (!known) throw new ApplyError(address, '(resource type)', `resource type ${type} is not modelled by the deployed-test applier`);
      for (const [attr, value] of Object.entries(block)) {
        if (META.has(attr)) continue;
        if (!known.includes(attr)) throw new ApplyError(address, attr, `attribute not modelled by the deployed-test applier (type ${type})`);
        const nested = NESTED[`${type}.${attr}`];
        const items = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
        if (!nested) {
          if (items.some((x) => x && typeof x === 'object' && !Array.isArray(x)) && attr !== 'log_opts') {
            throw new ApplyError(address, attr, 'nested block not modelled by the deployed-test applier');
          }
          continue;
        }
        for (const item of items) {
          if (!item || typeof item !== 'object') continue;
          for (const [sub, subValue] of Object.entries(item)) {
            if (!nested.includes(sub)) throw new ApplyError(address, `${attr}.${sub}`, 'attribute not modelled by the deployed-test applier');
            const deeper = NESTED[`${type}.${attr}.${sub}`];
            if (deeper && subValue && typeof subValue === 'object') {
              for (const d of Array.isArray(subValue) ? subValue : [subValue]) {
                for (const k of Object.keys(d)) if (!deeper.includes(k)) throw new ApplyError(address, `${attr}.${sub}.${k}`, 'attribute not modelled by the deployed-test applier');
              }
            }
          }
        }
      }
    }
  }
  for (const [type, blocks] of Object.entries(json.data ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      if (type !== 'terraform_remote_state') throw new ApplyError(`${stackName}: data.${type}.${name}`, '(data source)', 'not modelled');
      if (block.backend !== 'local') throw new ApplyError(`${stackName}: data.${type}.${name}`, 'backend', `${block.backend} not modelled (local only)`);
    }
  }
}

interface ResourceState {
  id?: string;
  /** Hash of the resolved configuration (containers). */
  hash?: string;
  resolved?: ResourceBlock;
  values: Record<string, string>;
  /** The resource's `provider` meta-argument: which engine it lives on. */
  provider?: string;
}

interface StackState {
  json: StackJson;
  resources: Record<string, ResourceState>;
  applied: boolean;
}

export interface ApplyReport {
  created: string[];
  replaced: string[];
  updated: string[];
  unchanged: string[];
  seconds: number;
}

export interface ApplierOptions {
  /** Terraform variables by name (`TF_VAR_*`). */
  readonly variables?: Readonly<Record<string, string>>;
  /** How long `must_run` waits for "running" (provider: 15 s). */
  readonly runningTimeoutMs?: number;
}

function dockerFor(host: string): Docker {
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  throw new Error(`docker provider host ${host} not modelled (unix:// only in the deployed tests)`);
}

function durationNs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`duration ${text}`);
  const unit = { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function oneTar(file: string, content: Buffer, mode: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pack = tar.pack();
    const chunks: Buffer[] = [];
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
    pack.entry({ name: file, mode, size: content.length, uid: 0, gid: 0 }, content, (err) => {
      if (err) reject(err);
      else pack.finalize();
    });
  });
}

export class Applier {
  private readonly stacks = new Map<string, StackState>();

  constructor(private readonly options: ApplierOptions = {}) {}

  /** The state of an applied stack (resource address -> id and values). */
  stateOf(stack: string): StackState | undefined {
    return this.stacks.get(stack);
  }

  /** The value of a stack's output, resolved (the stack must be applied). */
  output(stack: string, name: string): string {
    const s = this.stacks.get(stack);
    if (!s?.applied) throw new Error(`stack ${stack} is not applied`);
    const out = s.json.output?.[name];
    if (!out) throw new Error(`stack ${stack} has no output ${name}`);
    return this.resolveString(stack, String(out.value), `output.${name}`, 'value');
  }

  /** The container id of `name` in `stack`. */
  containerId(stack: string, containerName: string): string {
    const s = this.stacks.get(stack);
    for (const [address, r] of Object.entries(s?.resources ?? {})) {
      if (address.startsWith('docker_container.') && r.resolved?.name === containerName && r.id) return r.id;
    }
    throw new Error(`no container ${containerName} applied in ${stack}`);
  }

  /**
   * The engine of a resource: its `provider` meta-argument (`docker`, or `docker.<alias>` for a
   * second engine of one stack, as the hub's peer Alertmanager), else the stack's default provider.
   */
  private docker(stack: string, provider?: string): Docker {
    const s = this.stacks.get(stack)!;
    const alias = provider?.startsWith('docker.') ? provider.slice('docker.'.length) : undefined;
    const block = (s.json.provider?.docker ?? []).find((candidate) => candidate.alias === alias);
    const host = block?.host;
    if (!host) throw new ApplyError(`${stack}: provider.docker${alias ? ` (alias ${alias})` : ''}`, 'host', 'no Docker endpoint');
    return dockerFor(host);
  }

  private block(stack: string, type: string, name: string): ResourceBlock {
    const b = this.stacks.get(stack)?.json.resource?.[type]?.[name];
    if (!b) throw new Error(`${stack}: no resource ${type}.${name}`);
    return b;
  }

  private state(stack: string, address: string): ResourceState {
    const s = this.stacks.get(stack)!;
    return (s.resources[address] ??= { values: {} });
  }

  /** Evaluates one `${...}` expression in `stack`. */
  private evaluate(stack: string, expr: string, address: string, attribute: string): string {
    if (expr === 'terraform.workspace') return 'default';
    let m = /^var\.([A-Za-z0-9_-]+)$/.exec(expr);
    if (m) {
      const v = this.options.variables?.[m[1]];
      if (v === undefined) throw new ApplyError(address, attribute, `variable ${m[1]} has no value (set it for the deployed test)`);
      return v;
    }
    m = /^data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(expr);
    if (m) {
      const data = this.stacks.get(stack)!.json.data?.terraform_remote_state?.[m[1]];
      if (!data) throw new ApplyError(address, attribute, `no data.terraform_remote_state.${m[1]}`);
      const path = data.config?.path;
      const producer = [...this.stacks.entries()].find(([, s]) => s.json.terraform?.backend?.local?.path === path);
      if (!producer || !producer[1].applied) throw new ApplyError(address, attribute, `remote state ${path} does not exist: apply the stack that writes it first`);
      return this.output(producer[0], m[2]);
    }
    m = /^([a-z_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)$/.exec(expr);
    if (m) {
      const [, type, name, attr] = m;
      const ref = `${type}.${name}`;
      const st = this.state(stack, ref);
      if (type.startsWith('docker_')) {
        const v = st.values[attr];
        if (v === undefined) throw new ApplyError(address, attribute, `${ref}.${attr} is not known yet (not applied)`);
        return v;
      }
      const block = this.resolveValue(stack, this.block(stack, type, name), ref, '(inputs)') as ResourceBlock;
      try {
        return computeAttribute(type, block, attr, st.values);
      } catch (e) {
        throw new ApplyError(address, attribute, `${ref}.${attr}: ${(e as Error).message}`);
      }
    }
    throw new ApplyError(address, attribute, `expression \${${expr}} not modelled by the deployed-test applier`);
  }

  private resolveString(stack: string, text: string, address: string, attribute: string): string {
    let out = '';
    let i = 0;
    while (i < text.length) {
      if (text.startsWith('$${', i)) {
        out += '${';
        i += 3;
      } else if (text.startsWith('%%{', i)) {
        out += '%{';
        i += 3;
      } else if (text.startsWith('${', i)) {
        const end = text.indexOf('}', i);
        out += this.evaluate(stack, text.slice(i + 2, end), address, attribute);
        i = end + 1;
      } else if (text.startsWith('%{', i)) {
        throw new ApplyError(address, attribute, 'template directive %{...} not modelled');
      } else {
        out += text[i];
        i++;
      }
    }
    return out;
  }

  private resolveValue(stack: string, value: unknown, address: string, attribute: string): unknown {
    if (typeof value === 'string') return this.resolveString(stack, value, address, attribute);
    if (Array.isArray(value)) return value.map((v) => this.resolveValue(stack, v, address, attribute));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => k !== '//')
          .map(([k, v]) => [k, this.resolveValue(stack, v, address, attribute === '(inputs)' ? k : attribute)]),
      );
    }
    return value;
  }

  private resolveResource(stack: string, address: string, block: ResourceBlock): ResourceBlock {
    const out: ResourceBlock = {};
    for (const [k, v] of Object.entries(block)) {
      if (META.has(k)) continue;
      if (k === 'upload') {
        // content is a template; content_base64 is decoded after its (rare) references resolve.
        out.upload = (v as ResourceBlock[]).map((u) => ({
          file: u.file,
          permissions: u.permissions,
          executable: u.executable,
          text:
            u.content_base64 !== undefined
              ? uploadText({ content_base64: this.resolveString(stack, u.content_base64, address, `upload ${u.file}`) })
              : this.resolveString(stack, u.content ?? '', address, `upload ${u.file}`),
        }));
        continue;
      }
      out[k] = this.resolveValue(stack, v, address, k);
    }
    return out;
  }

  /** Applies one stack; stacks it reads remote state from must be applied first. */
  async apply(stackName: string, json: StackJson): Promise<ApplyReport> {
    const started = Date.now();
    checkModelled(stackName, json);
    const previous = this.stacks.get(stackName);
    this.stacks.set(stackName, { json, resources: previous?.resources ?? {}, applied: false });
    const report: ApplyReport = { created: [], replaced: [], updated: [], unchanged: [], seconds: 0 };
    const res = json.resource ?? {};
    const at = (type: string, name: string) => `${stackName}: ${type}.${name}`;

    // Resources that went away from the configuration: destroyed, dependents first.
    if (previous) {
      for (const type of ['docker_container', 'docker_volume', 'docker_network', 'docker_image']) {
        for (const [address, st] of Object.entries(previous.resources)) {
          if (!address.startsWith(`${type}.`) || res[type]?.[address.slice(type.length + 1)]) continue;
          await this.destroyOne(this.docker(stackName, st.provider), stackName, type, address, st);
          delete previous.resources[address];
        }
      }
    }

    for (const [name, block] of Object.entries(res.docker_image ?? {})) {
      const address = at('docker_image', name);
      const st = this.state(stackName, `docker_image.${name}`);
      const docker = this.docker(stackName, block.provider);
      st.provider = block.provider;
      let image: Docker.ImageInspectInfo;
      try {
        image = await docker.getImage(block.name).inspect();
      } catch (e) {
        this.engineDown(e, address);
        // The provider pulls an image that is not there; no registry answers in these tests.
        const pull = await new Promise<string>((resolve) => {
          docker.pull(block.name, (err: Error | null, stream: NodeJS.ReadableStream) => {
            if (err) return resolve(err.message);
            docker.modem.followProgress(stream, (err2: Error | null) => resolve(err2 ? err2.message : 'pulled'));
          });
        });
        if (pull !== 'pulled') throw new ApplyError(address, 'name', `image ${block.name} is not on the engine and could not be pulled: ${pull}`);
        image = await docker.getImage(block.name).inspect();
      }
      if (st.values.image_id === image.Id) report.unchanged.push(address);
      else report.created.push(address);
      st.id = image.Id;
      st.values = { image_id: image.Id, name: block.name, repo_digest: image.RepoDigests?.[0] ?? '' };
    }
    for (const [name, block] of Object.entries(res.docker_network ?? {})) {
      const address = at('docker_network', name);
      const st = this.state(stackName, `docker_network.${name}`);
      const docker = this.docker(stackName, block.provider);
      st.provider = block.provider;
      const resolved = this.resolveResource(stackName, address, block);
      const existing = st.id ? await docker.getNetwork(st.id).inspect().catch(() => undefined) : undefined;
      if (existing && existing.Name === resolved.name) {
        report.unchanged.push(address);
        continue;
      }
      try {
        const net = await docker.createNetwork({ Name: resolved.name, Driver: resolved.driver ?? 'bridge', CheckDuplicate: true } as Docker.NetworkCreateOptions);
        st.id = net.id;
      } catch (e) {
        this.engineDown(e, address);
        throw new ApplyError(address, 'name', `network ${resolved.name}: ${(e as Error).message}`);
      }
      st.values = { id: st.id!, name: resolved.name };
      report.created.push(address);
    }
    for (const [name, block] of Object.entries(res.docker_volume ?? {})) {
      const address = at('docker_volume', name);
      const st = this.state(stackName, `docker_volume.${name}`);
      const docker = this.docker(stackName, block.provider);
      st.provider = block.provider;
      const resolved = this.resolveResource(stackName, address, block);
      if (st.values.name === resolved.name && (await docker.getVolume(resolved.name).inspect().catch(() => undefined))) {
        report.unchanged.push(address);
        continue;
      }
      try {
        await docker.createVolume({ Name: resolved.name });
      } catch (e) {
        this.engineDown(e, address);
        throw new ApplyError(address, 'name', `volume ${resolved.name}: ${(e as Error).message}`);
      }
      st.id = resolved.name;
      st.values = { id: resolved.name, name: resolved.name, mountpoint: '' };
      report.created.push(address);
    }
    for (const [name, block] of Object.entries(res.docker_container ?? {})) {
      const address = at('docker_container', name);
      const key = `docker_container.${name}`;
      const st = this.state(stackName, key);
      const docker = this.docker(stackName, block.provider);
      st.provider = block.provider;
      const resolved = this.resolveResource(stackName, address, block);
      const hash = createHash('sha256').update(JSON.stringify(resolved)).digest('hex');
      const exists = st.id ? await docker.getContainer(st.id).inspect().catch(() => undefined) : undefined;
      if (exists && st.hash === hash) {
        report.unchanged.push(address);
        continue;
      }
      if (exists && st.resolved) {
        const changed = Object.keys({ ...st.resolved, ...resolved }).filter((k) => JSON.stringify(st.resolved![k]) !== JSON.stringify(resolved[k]));
        if (changed.every((k) => UPDATABLE.includes(k))) {
          await docker.getContainer(st.id!).update({
            RestartPolicy: { Name: resolved.restart ?? 'no' },
            Memory: (resolved.memory ?? 0) * 1024 * 1024,
            MemorySwap: resolved.memory_swap > 0 ? resolved.memory_swap * 1024 * 1024 : (resolved.memory_swap ?? 0),
          });
          st.hash = hash;
          st.resolved = resolved;
          report.updated.push(address);
          continue;
        }
      }
      if (exists) {
        await this.removeContainer(docker, st.id!);
        report.replaced.push(address);
      } else {
        report.created.push(address);
      }
      st.id = await this.createContainer(docker, address, resolved);
      st.hash = hash;
      st.resolved = resolved;
      st.values = { id: st.id, name: resolved.name };
    }
    this.stacks.get(stackName)!.applied = true;
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }

  private engineDown(e: unknown, address: string): void {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES') {
      throw new ApplyError(address, 'provider.docker.host', `the Docker engine does not answer (${code}: ${(e as Error).message})`);
    }
  }

  private async createContainer(docker: Docker, address: string, r: ResourceBlock): Promise<string> {
    const binds: string[] = [];
    const volumes: Record<string, object> = {};
    for (const v of r.volumes ?? []) {
      const source = v.volume_name ?? v.host_path;
      if (!source) {
        volumes[v.container_path] = {};
        continue;
      }
      binds.push(`${source}:${v.container_path}${v.read_only ? ':ro' : ''}`);
    }
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const p of r.ports ?? []) {
      const port = `${p.internal}/${p.protocol ?? 'tcp'}`;
      exposed[port] = {};
      (bindings[port] ??= []).push({ HostIp: p.ip ?? '0.0.0.0', HostPort: p.external !== undefined ? String(p.external) : '' });
    }
    const hc = r.healthcheck ? (Array.isArray(r.healthcheck) ? r.healthcheck[0] : r.healthcheck) : undefined;
    const caps = r.capabilities ? (Array.isArray(r.capabilities) ? r.capabilities[0] : r.capabilities) : undefined;
    const options: Docker.ContainerCreateOptions = {
      name: r.name,
      Image: r.image,
      Cmd: r.command,
      Entrypoint: r.entrypoint,
      User: r.user,
      Env: r.env,
      WorkingDir: r.working_dir,
      ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
      Volumes: Object.keys(volumes).length ? volumes : undefined,
      Labels: r.labels ? Object.fromEntries((r.labels as ResourceBlock[]).map((l) => [l.label, l.value])) : undefined,
      Healthcheck: hc
        ? { Test: hc.test, Interval: durationNs(hc.interval), Timeout: durationNs(hc.timeout), StartPeriod: durationNs(hc.start_period), Retries: hc.retries }
        : undefined,
      HostConfig: {
        Privileged: r.privileged ?? false,
        RestartPolicy: { Name: r.restart ?? 'no', MaximumRetryCount: 0 },
        Mounts: (r.mounts ?? []).map((m: ResourceBlock) => {
          const bo = Array.isArray(m.bind_options) ? m.bind_options[0] : m.bind_options;
          return {
            Type: m.type,
            Target: m.target,
            Source: m.source,
            ReadOnly: m.read_only ?? false,
            ...(m.type === 'bind' && bo ? { BindOptions: { Propagation: bo.propagation } } : {}),
          };
        }),
        LogConfig: { Type: r.log_driver ?? 'json-file', Config: r.log_opts ?? {} },
        PortBindings: Object.keys(bindings).length ? bindings : undefined,
        ExtraHosts: (r.host ?? []).map((h: ResourceBlock) => `${h.host}:${h.ip}`),
        Binds: binds.length ? binds : undefined,
        CapAdd: caps?.add,
        CapDrop: caps?.drop,
        Devices: (r.devices ?? []).map((d: ResourceBlock) => ({ PathOnHost: d.host_path, PathInContainer: d.container_path ?? d.host_path, CgroupPermissions: d.permissions ?? 'rwm' })),
        SecurityOpt: r.security_opts,
        Memory: r.memory !== undefined ? r.memory * 1024 * 1024 : undefined,
        MemorySwap: r.memory_swap !== undefined ? (r.memory_swap > 0 ? r.memory_swap * 1024 * 1024 : r.memory_swap) : undefined,
        NetworkMode: r.network_mode,
        PidMode: r.pid_mode,
        Init: false,
      },
    };
    let container: Docker.Container;
    try {
      container = await docker.createContainer(options);
    } catch (e) {
      this.engineDown(e, address);
      const msg = (e as Error).message;
      const attribute = /No such image|image/i.test(msg) ? 'image' : /name .* already in use|Conflict/i.test(msg) ? 'name' : /mount|bind|volume/i.test(msg) ? 'volumes/mounts' : '(create)';
      throw new ApplyError(address, attribute, `ContainerCreate: ${msg}`);
    }
    const fail = async (attribute: string, detail: string): Promise<never> => {
      await this.removeContainer(docker, container.id).catch(() => undefined);
      throw new ApplyError(address, attribute, detail);
    };
    if (r.networks_advanced?.length) {
      await docker
        .getNetwork('bridge')
        .disconnect({ Container: container.id })
        .catch((e: Error) => {
          if (!/is not connected to the network/.test(e.message)) throw e;
        });
      for (const n of r.networks_advanced) {
        await docker
          .getNetwork(n.name)
          .connect({ Container: container.id, EndpointConfig: { Aliases: n.aliases ?? [] } })
          .catch((e: Error) => fail('networks_advanced', `connect to ${n.name}: ${e.message}`));
      }
    }
    for (const u of r.upload ?? []) {
      const mode = u.permissions !== undefined ? parseInt(u.permissions, 8) : u.executable ? 0o744 : 0o644;
      const archive = await oneTar(u.file, Buffer.from(u.text, 'utf8'), mode);
      await container.putArchive(archive, { path: '/' }).catch((e: Error) => fail(`upload ${u.file}`, e.message));
    }
    const startedAt = Date.now();
    try {
      await container.start();
    } catch (e) {
      const msg = (e as Error).message;
      const attribute = /port is already allocated|address already in use|bind for/i.test(msg) ? 'ports' : /mount|bind source path|no such file/i.test(msg) ? 'volumes/mounts' : '(start)';
      await fail(attribute, `ContainerStart: ${msg}`);
    }
    // The provider's read: wait up to 15 s for "running"; must_run (default true) fails on exit.
    const mustRun = r.must_run ?? true;
    const until = Date.now() + (this.options.runningTimeoutMs ?? 15_000);
    for (;;) {
      const info = await container.inspect();
      if (info.State.Running) break;
      if (!mustRun) break;
      const finished = Date.parse(info.State.FinishedAt);
      if (finished >= startedAt - 1000 || Date.now() > until) {
        const logs = await logTail(container);
        await fail('must_run', `container exited immediately (exit ${info.State.ExitCode}); logs:\n${logs}`);
      }
      await sleep(100);
    }
    if (r.wait) {
      const waitUntil = Date.now() + (r.wait_timeout ?? 60) * 1000;
      for (;;) {
        const info = await container.inspect();
        if (info.State.Health?.Status === 'healthy') break;
        if (Date.now() > waitUntil) {
          const last = info.State.Health?.Log?.at(-1);
          const logs = await logTail(container);
          await fail(
            'wait',
            `not healthy after ${r.wait_timeout ?? 60} s (${info.State.Health?.Status}, restarted ${info.RestartCount} times; last check: exit ${last?.ExitCode}, ${JSON.stringify((last?.Output ?? '').slice(0, 300))}); logs:\n${logs}`,
          );
        }
        await sleep(500);
      }
    }
    return container.id;
  }

  private async removeContainer(docker: Docker, id: string): Promise<void> {
    // The provider: ContainerRemove(force, remove_volumes default true), then wait until removed.
    await docker
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch((e: Error) => {
        if (!/No such container|404/.test(e.message)) throw e;
      });
    for (let i = 0; i < 100; i++) {
      if (!(await docker.getContainer(id).inspect().catch(() => undefined))) return;
      await sleep(100);
    }
  }

  private async destroyOne(docker: Docker, stack: string, type: string, address: string, st: ResourceState): Promise<void> {
    try {
      if (type === 'docker_container' && st.id) await this.removeContainer(docker, st.id);
      if (type === 'docker_volume' && st.id) await docker.getVolume(st.id).remove();
      if (type === 'docker_network' && st.id) await docker.getNetwork(st.id).remove();
      if (type === 'docker_image' && st.id) {
        const block = this.stacks.get(stack)?.json.resource?.docker_image?.[address.slice(type.length + 1)];
        if (block && !block.keep_locally) await docker.getImage(st.id).remove();
      }
    } catch (e) {
      if (!/No such|404/.test((e as Error).message)) throw new ApplyError(`${stack}: ${address}`, '(destroy)', (e as Error).message);
    }
  }

  /** `terraform destroy` of one stack: containers, then volumes and networks, then images (unless keep_locally). */
  async destroy(stackName: string): Promise<string[]> {
    const s = this.stacks.get(stackName);
    if (!s) return [];
    const done: string[] = [];
    for (const type of ['docker_container', 'docker_volume', 'docker_network', 'docker_image']) {
      for (const [address, st] of Object.entries(s.resources)) {
        if (!address.startsWith(`${type}.`)) continue;
        await this.destroyOne(this.docker(stackName, st.provider), stackName, type, address, st);
        done.push(address);
      }
    }
    this.stacks.delete(stackName);
    return done;
  }
}

/** The last 30 lines a container wrote, for a failure message. */
async function logTail(container: Docker.Container): Promise<string> {
  // eslint-disable-next-line no-control-regex -- the frame headers of Docker's multiplexed log stream are control bytes: matching them is the point
  return (await container.logs({ stdout: true, stderr: true, tail: 30 })).toString('utf8').replace(/[\x00-\x08]/g, '');
}
