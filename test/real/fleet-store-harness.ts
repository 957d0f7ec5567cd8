/**
 * The fleet store on loopback, from the very files and command lines the `FleetStore` construct
 * deploys: VictoriaMetrics single-node and vmauth (Debian's 1.145 build, the release the images pin),
 * each in a mount namespace with its uploads bound at their container paths (mount-namespace/).
 *
 *   VictoriaMetrics  -b <data>:/victoria-metrics-data   victoria-metrics <synthesized command>
 *   vmauth           -b <root>/etc/vmauth:/etc/vmauth -b <hosts>:/etc/hosts   vmauth <synthesized command>
 *
 * What differs from production, and only this:
 * - listen addresses: VictoriaMetrics' `-httpListenAddr=:8428` becomes `<loopback>:8428`; vmauth's
 *   `-httpListenAddr=:8427` becomes `<loopback>:<published port>` (Docker's port mapping, which
 *   clients reach) and its internal `127.0.0.1:8426` becomes `<loopback>:8426`, so parallel runs
 *   don't collide;
 * - vmauth's backend `peekstack-victoria-metrics` (the container name in the rendered auth config)
 *   resolves to VictoriaMetrics' loopback address through a hosts file bound over /etc/hosts.
 * - with `selfScrape`, VictoriaMetrics gets its uploads bound at /etc/victoria-metrics and the same
 *   hosts file, where the hub services it scrapes (vmauth, and `extraHosts`) resolve to loopback.
 * `stopStore()` / `startStore()` stop and start both processes on the same data directory: an outage.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CertificateAuthority } from '../../src/constructs/certificate-authority';
import { FleetStore, FLEET_STORE_PATHS, FleetStoreProps, VICTORIA_METRICS_CONTAINER_PORT, VMAUTH_CONTAINER_PORT, VMAUTH_INTERNAL_ADDRESS, VMAUTH_INTERNAL_PORT } from '../../src/hub/fleet-store';
import type { Construct } from 'constructs';
import { FLEET_STORE_DEFAULTS } from '../../src/core/defaults';
import { materializeUploads } from '../support/deployed-files';
import { containerNamed, synthConstructs } from '../support/synth';
import type { TestSecrets } from '../support/test-secrets';
import { canListen } from './loopback';
import { type ManagedProcess, startProcess } from './processes';
import { httpsGet, type PrometheusEndpoint, query, type QueryOutcome } from './prometheus-api';
import { toolPath } from './tools';
import { BIND_MOUNTS_SCRIPT } from './mount-namespace';

/** The name collectors reach the store's host at, in the tests (its certificate holds it). */
export const STORE_HOST_NAME = 'hub.peekstack.test';

/** The FleetStore as the hub builds it (a CA of its own issuing vmauth's certificate), in `scope`. */
export function buildFleetStore(scope: Construct, props: Partial<FleetStoreProps> = {}): FleetStore {
  const ca = new CertificateAuthority(scope, 'hub-ca', { commonName: 'PeekStack hub CA' });
  return new FleetStore(scope, 'fleet-store', {
    addresses: [STORE_HOST_NAME],
    certificate: ca.issueServerCertificate('fleet-store-cert', 'PeekStack fleet store', [STORE_HOST_NAME, 'localhost']),
    caCertificatePem: ca.certificatePem,
    networkName: 'peekstack-hub',
    ...props,
  });
}

/** Passwords of the store's two users, and the resolver that gives each its own. */
export interface StoreSecrets {
  readonly writer: { readonly username: string; readonly password: string };
  readonly reader: { readonly username: string; readonly password: string };
}

/** Test secrets whose fleet-store writer and reader passwords differ from each other and from the rest. */
export function withStorePasswords(secrets: TestSecrets): TestSecrets & StoreSecrets {
  const writer = { username: FLEET_STORE_DEFAULTS.writerUsername, password: `writer-${Math.random().toString(36).slice(2)}` };
  const reader = { username: FLEET_STORE_DEFAULTS.readerUsername, password: `reader-${Math.random().toString(36).slice(2)}` };
  return {
    ...secrets,
    writer,
    reader,
    byReference: (reference) =>
      reference.startsWith('${random_password.') && reference.endsWith('.result}')
        ? reference.includes('writer-credentials')
          ? writer.password
          : reference.includes('reader-credentials')
            ? reader.password
            : undefined
        : undefined,
  };
}

/** A running store. */
export interface StoreHarness {
  /** vmauth's loopback address (what {@link STORE_HOST_NAME} resolves to). */
  readonly address: string;
  readonly publishedPort: number;
  /** VictoriaMetrics' own loopback address (behind vmauth; for measurements only). */
  readonly backendAddress: string;
  readonly dataDir: string;
  readonly commands: { readonly synthesized: { victoriaMetrics: string[]; vmauth: string[] }; readonly run: { victoriaMetrics: string[]; vmauth: string[] } };
  /** vmauth as a client reaches it, with `credentials` (default: the reader's). */
  endpoint(credentials?: { username: string; password: string }): PrometheusEndpoint;
  /** Query through vmauth as the reader. */
  query(expr: string, opts?: Parameters<typeof query>[2]): Promise<QueryOutcome>;
  /** Stops both processes (the data stays). */
  stopStore(): Promise<void>;
  /** Starts both processes again on the same data; resolves once vmauth answers the reader. */
  startStore(): Promise<void>;
  /**
   * Ends one process with `signal` (SIGKILL: no shutdown, nothing flushed), keeps it down for
   * `downMs`, starts it again (VictoriaMetrics on the same data) and resolves once vmauth answers the
   * reader, with the times (Unix s) it was killed and answering again.
   */
  restartProcess(name: 'victoria-metrics' | 'vmauth', signal: 'SIGKILL' | 'SIGTERM', downMs?: number): Promise<{ killedAt: number; readyAt: number }>;
  /** The running processes (each the binary itself, exec'd by the launcher), for CPU measurements. */
  processes(): readonly ManagedProcess[];
  /** Stops everything and removes the temp dirs. */
  stop(): Promise<void>;
}

/** Options of {@link startFleetStore} beyond the construct's props. */
export interface StoreHarnessOptions {
  /**
   * More names the store's processes resolve (container name -> loopback address): the hub
   * services a store with `selfScrape` scrapes (vmalert, Alertmanager).
   * @default - none
   */
  readonly extraHosts?: Readonly<Record<string, string>>;
}

async function allocateStoreAddresses(publishedPort: number): Promise<{ backend: string; vmauth: string }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const prefix = `127.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 256)}`;
    const backend = `${prefix}.8`;
    const vmauth = `${prefix}.9`;
    if ((await canListen(backend, VICTORIA_METRICS_CONTAINER_PORT)) && (await canListen(vmauth, publishedPort)) && (await canListen(vmauth, 8426))) return { backend, vmauth };
  }
  throw new Error('fleet store harness: no free loopback block after 8 attempts');
}

/** Replaces one `-flag=value` of a synthesized command; throws unless it is there exactly once. */
function replaceFlag(command: readonly string[], flag: string, from: string, to: string): string[] {
  const arg = `${flag}=${from}`;
  if (command.filter((each) => each === arg).length !== 1) throw new Error(`expected one ${arg} in ${JSON.stringify(command)}`);
  return command.map((each) => (each === arg ? `${flag}=${to}` : each));
}

/**
 * Synthesizes a FleetStore (as {@link buildFleetStore}), writes its uploads with `secrets`, and
 * starts VictoriaMetrics and vmauth on loopback. Resolves once vmauth serves the reader.
 */
export async function startFleetStore(secrets: TestSecrets & StoreSecrets, props: Partial<FleetStoreProps> = {}, options: StoreHarnessOptions = {}): Promise<StoreHarness> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  };
  try {
    let built: FleetStore | undefined;
    const synth = synthConstructs((scope) => {
      built = buildFleetStore(scope, props);
    });
    const store = built!;
    const vmContainer = containerNamed(synth, 'peekstack-victoria-metrics');
    const vmauthContainer = containerNamed(synth, 'peekstack-vmauth');
    const synthesized = { victoriaMetrics: [...(vmContainer.command as string[])], vmauth: [...(vmauthContainer.command as string[])] };
    const addresses = await allocateStoreAddresses(store.publishedPort);
    const run = {
      victoriaMetrics: replaceFlag(synthesized.victoriaMetrics, '-httpListenAddr', `:${VICTORIA_METRICS_CONTAINER_PORT}`, `${addresses.backend}:${VICTORIA_METRICS_CONTAINER_PORT}`),
      vmauth: replaceFlag(
        replaceFlag(synthesized.vmauth, '-httpListenAddr', `:${VMAUTH_CONTAINER_PORT}`, `${addresses.vmauth}:${store.publishedPort}`),
        '-httpInternalListenAddr',
        // On the hub network (`:8426`) when the store scrapes vmauth, else inside its container.
        props.selfScrape ? `:${VMAUTH_INTERNAL_PORT}` : VMAUTH_INTERNAL_ADDRESS,
        `${addresses.vmauth}:${VMAUTH_INTERNAL_PORT}`,
      ),
    };

    const vmauthRoot = materializeUploads(vmauthContainer, secrets);
    cleanups.push(() => rmSync(vmauthRoot, { recursive: true, force: true }));
    const work = mkdtempSync(path.join(tmpdir(), 'peekstack-store-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const dataDir = path.join(work, 'data');
    mkdirSync(dataDir);
    const hostsPath = path.join(work, 'hosts');
    const extraHosts = Object.entries(options.extraHosts ?? {}).map(([name, address]) => `${address}\t${name}\n`).join('');
    writeFileSync(hostsPath, `${addresses.backend}\tpeekstack-victoria-metrics\n${addresses.vmauth}\tpeekstack-vmauth\n${extraHosts}127.0.0.1\tlocalhost\n`);
    // A store that scrapes the hub (selfScrape) has uploads of its own: its scrape config, a CA, a password.
    const vmRoot = vmContainer.upload?.length ? materializeUploads(vmContainer, secrets) : undefined;
    if (vmRoot) cleanups.push(() => rmSync(vmRoot, { recursive: true, force: true }));
    const vmBinds = vmRoot ? ['-b', `${path.join(vmRoot, 'etc/victoria-metrics')}:/etc/victoria-metrics`, '-b', `${hostsPath}:/etc/hosts`] : [];

    const endpoint = (credentials = secrets.reader): PrometheusEndpoint => ({
      address: addresses.vmauth,
      port: store.publishedPort,
      caPem: secrets.caPem,
      serverName: STORE_HOST_NAME,
      username: credentials.username,
      password: credentials.password,
    });

    let processes: ManagedProcess[] = [];
    const launch = {
      'victoria-metrics': () =>
        startProcess(BIND_MOUNTS_SCRIPT, ['-b', `${dataDir}:${FLEET_STORE_PATHS.data}`, ...vmBinds, toolPath('victoria-metrics'), ...run.victoriaMetrics], { name: 'victoria-metrics' }),
      vmauth: () =>
        startProcess(
          BIND_MOUNTS_SCRIPT,
          ['-b', `${path.join(vmauthRoot, 'etc/vmauth')}:/etc/vmauth`, '-b', `${hostsPath}:/etc/hosts`, toolPath('vmauth'), ...run.vmauth],
          { name: 'vmauth' },
        ),
    };
    const waitAnswering = async () => {
      const deadline = Date.now() + 30_000;
      let last: string;
      for (;;) {
        const exited = processes.find((proc) => proc.exitInfo());
        if (exited) throw new Error(`${exited.name} exited before the store answered:\n${exited.output()}`);
        try {
          const answer = await httpsGet(endpoint(), '/api/v1/query?query=1');
          if (answer.status === 200) return;
          last = `HTTP ${answer.status} ${answer.body.slice(0, 200)}`;
        } catch (error) {
          last = String(error);
        }
        if (Date.now() > deadline) throw new Error(`fleet store not answering after 30 s (last: ${last})\n${processes.map((proc) => `--- ${proc.name}\n${proc.output()}`).join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const startStore = async () => {
      processes = [launch['victoria-metrics'](), launch.vmauth()];
      await waitAnswering();
    };
    const stopStore = async () => {
      // As `docker stop` does: SIGTERM, then SIGKILL after 10 s. A shorter grace can SIGKILL a busy
      // VictoriaMetrics before it flushed, and that loses the rows it acknowledged last (faults.test.ts).
      await Promise.all(processes.map((proc) => proc.stop(10_000)));
      processes = [];
    };
    const restartProcess = async (name: 'victoria-metrics' | 'vmauth', signal: 'SIGKILL' | 'SIGTERM', downMs = 0) => {
      const old = processes.find((proc) => proc.name === name);
      if (!old) throw new Error(`${name} is not running`);
      const killedAt = Date.now() / 1000;
      if (signal === 'SIGKILL') {
        try {
          process.kill(-old.pid, 'SIGKILL'); // the whole group
        } catch {
          // already gone
        }
      }
      await old.stop();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt * 1000 + downMs - Date.now())));
      processes = processes.map((proc) => (proc === old ? launch[name]() : proc));
      await waitAnswering();
      return { killedAt, readyAt: Date.now() / 1000 };
    };
    cleanups.push(() => stopStore());
    await startStore();
    return {
      address: addresses.vmauth,
      publishedPort: store.publishedPort,
      backendAddress: addresses.backend,
      dataDir,
      commands: { synthesized, run },
      endpoint,
      query: (expr, opts) => query(endpoint(), expr, opts),
      stopStore,
      startStore,
      restartProcess,
      processes: () => processes,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
