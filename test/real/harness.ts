/**
 * The whole collector on loopback, from the very files and command lines the constructs deploy.
 *
 * A `Collector` is synthesized with `synthConstructs`; the uploads of its Prometheus and
 * node_exporter containers are written out with `materializeUploads` (Terraform references filled
 * with a password, bcrypt hash, CA and certificate the test generates), and each real binary runs
 * in a mount namespace with those files bound at their container paths (mount-namespace/):
 *
 *   Prometheus     -b <root>/etc/prometheus:/etc/prometheus -b <tsdb>:/prometheus
 *                  -b <hosts>:/etc/hosts   prometheus <synthesized command>
 *   node_exporter  <the container's view of sysfs: see nodeExporterMounts>
 *                  -b <root>/etc/node_exporter:/etc/node_exporter   node_exporter <synthesized command>
 *   Scaphandre     -b <fake modules>:/proc/modules -b <simulated powercap>:/sys/class/powercap
 *                  scaphandre <synthesized command>
 *   cAdvisor       a Node HTTP server with cAdvisor's golden exposition (no cAdvisor binary here)
 *
 * What differs from production, and only this:
 * - listen addresses: `--web.listen-address=:9090` / `:9100` become `<loopback IP>:9090` / `:9100`,
 *   Scaphandre's `--address 0.0.0.0` becomes its loopback IP (the ports stay the rendered ones);
 * - Scaphandre runs without `--containers` (it needs Docker's socket);
 * - the scrape targets' container names (`peekstack-cadvisor`, `host.docker.internal`, ...) resolve
 *   to those loopback IPs through the hosts file bound over /etc/hosts; prometheus.yml is unchanged;
 * - the collector is built with `prometheus.scrapeIntervalSeconds` (a prop, default 2 here) so the
 *   tests need seconds, not minutes.
 * Everything started is stopped by `stop()`, and by `startHarness` itself when starting fails.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Construct } from 'constructs';
import { Collector } from '../../src/collector/collector';
import { PROMETHEUS_PATHS } from '../../src/components/prometheus/prometheus';
import { materializeUploads } from '../support/deployed-files';
import { containerNamed, synthConstructs } from '../support/synth';
import { makeTestSecrets, type TestSecrets } from '../support/test-secrets';
import { startCadvisorFixture, type CadvisorFixtureServer } from './cadvisor-fixture';
import { allocateLoopback, COMPONENT_PORTS, HARNESS_ALERTMANAGER_NAME, hostsFile, type LoopbackPlan } from './loopback';

export { HARNESS_ALERTMANAGER_NAME };
import { type ManagedProcess, startProcess, waitForHttp } from './processes';
import { httpsGet, query, type PrometheusEndpoint, type QueryOutcome, seriesOf } from './prometheus-api';
import { type RaplSimulation, type RaplSocketOptions, startRaplSimulation } from './rapl-simulator';
import { type AcpiMeterSimulation, startAcpiMeterSimulation } from './acpi-meter-simulator';
import type { PlatformPowerOptions } from '../../src/components/platform-power/platform-power';
import { toolPath } from './tools';
import type { CpuSimulation } from './cpu-simulator';
import { sandboxed } from './container-sandbox';
import type { UntypedJson } from '../support/untyped-json';

/** Host name of the harness's collector: the `host` label of every series. */
export const HARNESS_HOST = 'real-host';

/** The scrape jobs of the rendered configuration, all of which must come up. */
export const HARNESS_JOBS = ['node', 'cadvisor', 'scaphandre', 'prometheus', 'blackbox-prometheus', 'blackbox-node-exporter'] as const;

/** Where each deployed file tree was written; edit them in `mutateFiles` to break things on purpose. */
export interface HarnessFiles {
  /** Mirrors the Prometheus container: `<root>/etc/prometheus/prometheus.yml`, ... */
  readonly prometheusRoot: string;
  /** Mirrors the node_exporter container: `<root>/etc/node_exporter/web-config.yml`, ... */
  readonly nodeExporterRoot: string;
  /** Mirrors the blackbox_exporter container: `<root>/etc/blackbox_exporter/config.yml`, ... */
  readonly blackboxRoot: string;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** @default HARNESS_HOST */
  readonly hostName?: string;
  /** The Collector's `prometheus.scrapeIntervalSeconds` prop. @default 2 */
  readonly scrapeIntervalSeconds?: number;
  /**
   * The Collector's `scaphandre.scrapeIntervalSeconds` prop. 3, not the 2 s floor: Scaphandre
   * refreshes only when MORE than 2 s passed since the previous request, so at exactly 2 s about
   * half the scrapes return the previous reading (its energy counter then moves in steps of 0 and
   * 2 intervals, and rate/increase over short windows are off by 10-20 %).
   * @default 3
   */
  readonly scaphandreScrapeIntervalSeconds?: number;
  /** Simulated RAPL package power (one socket). @default 50 */
  readonly packageWatts?: number;
  /** Simulated RAPL core power (one socket). @default 30 */
  readonly coreWatts?: number;
  /**
   * Simulated sockets, for multi-socket and wrap cases; excludes `packageWatts` / `coreWatts`.
   * @default - one socket at `packageWatts` / `coreWatts`
   */
  readonly raplSockets?: readonly RaplSocketOptions[];
  /**
   * Simulate an ACPI power meter at this many watts (the host's /sys/class/hwmon holds only it).
   * @default - no meter (the machine's own hwmon devices)
   */
  readonly acpiMeterWatts?: number;
  /**
   * The Collector's `platformPower` prop (e.g. a power model).
   * @default - the Collector's default (the ACPI meter's records, no model)
   */
  readonly platformPower?: PlatformPowerOptions;
  /** Start the exporters (false: Prometheus alone, for tests of Prometheus's own files). @default true */
  readonly exporters?: boolean;
  /**
   * Edit the deployed files before anything starts. Only for tests that break a file on purpose
   * and for the series measurement's baseline: the real tests leave the files as rendered.
   */
  readonly mutateFiles?: (files: HarnessFiles) => void;
  /** Replace node_exporter's (loopback-rewritten) arguments; only for the measurement baseline. */
  readonly nodeExporterArgs?: (args: readonly string[]) => string[];
  /**
   * Statuses of an authenticated `GET /-/ready` that count as "Prometheus serves". A test that
   * breaks the credentials on purpose adds 401. @default [200]
   */
  readonly readyStatuses?: readonly number[];
  /** Give up waiting for Prometheus's HTTPS port after this long. @default 30000 */
  readonly prometheusReadyTimeoutMs?: number;
  /**
   * Wire more into the synthesized collector before synthesis, as an app would (e.g. a remote_write
   * to a fleet store built in the same `scope`). @default - the collector as it is
   */
  readonly configure?: (collector: Collector, scope: Construct) => void;
  /** Test material for the Terraform references (shared by several harnesses and a store). @default - made for this harness */
  readonly secrets?: TestSecrets;
  /** More name → loopback address lines for Prometheus's hosts file (e.g. the fleet store's host). @default - none */
  readonly extraHosts?: Readonly<Record<string, string>>;
  /**
   * Simulated CPU time: node_exporter reads its /proc/stat, and the cAdvisor fixture serves its
   * containers' CPU seconds (for shares of CPU time that are known; this machine's are not).
   * @default - node_exporter reads this machine's /proc/stat, the cAdvisor fixture alone
   */
  readonly cpu?: CpuSimulation;
  /**
   * Containers added in `configure` (an add-on's exporter) whose deployed files the test runs its
   * own binary on: each is written out like Prometheus's, removed by `stop()`. @default - none
   */
  readonly extraContainers?: readonly string[];
  /** Values of the Terraform variables (`${var.NAME}`) in the extra containers' files. @default - none */
  readonly variables?: Readonly<Record<string, string>>;
}

/** An extra container of {@link HarnessOptions.extraContainers}: as synthesized, and where its files were written. */
export interface HarnessContainer {
  /** The synthesized container (its command, hardening...), as in cdk.tf.json. */
  readonly container: Record<string, UntypedJson>;
  /** Mirrors the container's paths: `<root>/etc/...`. */
  readonly root: string;
}

/** A running harness. */
export interface Harness {
  readonly hostName: string;
  readonly scrapeIntervalSeconds: number;
  readonly scaphandreScrapeIntervalSeconds: number;
  readonly plan: LoopbackPlan;
  /** How the tests reach Prometheus (HTTPS, CA-verified as `localhost`, basic auth). */
  readonly endpoint: PrometheusEndpoint;
  readonly secrets: TestSecrets;
  readonly rapl: RaplSimulation;
  /** The simulated ACPI power meter, when `acpiMeterWatts` was given. */
  readonly acpiMeter?: AcpiMeterSimulation;
  readonly files: HarnessFiles;
  /** The synthesized Prometheus container (its health check, hardening...), as in cdk.tf.json. */
  readonly prometheusContainer: Record<string, UntypedJson>;
  /** The commands as synthesized, and as run (after the loopback rewrite). */
  readonly commands: {
    readonly synthesized: { prometheus: string[]; nodeExporter: string[]; scaphandre: string[]; blackbox: string[] };
    readonly run: { prometheus: string[]; nodeExporter: string[]; scaphandre: string[]; blackbox: string[] };
  };
  readonly processes: { prometheus: ManagedProcess; nodeExporter?: ManagedProcess; scaphandre?: ManagedProcess; blackbox?: ManagedProcess };
  /** Starts node_exporter again (after a test stopped it) and waits until it serves. */
  restartNodeExporter(): Promise<void>;
  /**
   * Ends Prometheus with `signal` (SIGKILL: no shutdown, the WAL as the kill left it; SIGTERM: a
   * clean stop), then starts it again on the same TSDB directory and waits until it is ready.
   * `processes.prometheus` is the new process afterwards. Resolves with the times (Unix s) it was
   * killed and ready again.
   */
  restartPrometheus(signal?: 'SIGKILL' | 'SIGTERM'): Promise<{ killedAt: number; readyAt: number }>;
  readonly cadvisor?: CadvisorFixtureServer;
  /** The containers of {@link HarnessOptions.extraContainers}, by name. */
  readonly extraContainers: Readonly<Record<string, HarnessContainer>>;
  /** Unix time (s) at which Prometheus first answered. */
  readonly startedAt: number;
  /** Runs a PromQL query against the harness Prometheus. */
  query(expr: string, opts?: Parameters<typeof query>[2]): Promise<QueryOutcome>;
  /** Polls `up` until every job in `jobs` is 1; throws with each target's last error on timeout. */
  waitForTargetsUp(jobs?: readonly string[], timeoutMs?: number): Promise<void>;
  /** Polls `expr` until `accept` holds for its series; returns the last outcome, throws on timeout. */
  waitForQuery(expr: string, accept: (outcome: QueryOutcome) => boolean, timeoutMs?: number): Promise<QueryOutcome>;
  /** Stops every process, the fixture server and the simulation, and removes the temp dirs. */
  stop(): Promise<void>;
}

/**
 * Rewrites the one `--web.listen-address=:PORT` of a synthesized command to `ADDRESS:PORT`, the
 * only change the harness makes to Prometheus's and node_exporter's command lines.
 */
export function listenOnLoopback(command: readonly string[], address: string): string[] {
  const matches = command.filter((arg) => /^--web\.listen-address=:\d+$/.test(arg));
  if (matches.length !== 1) throw new Error(`expected one --web.listen-address=:PORT in ${JSON.stringify(command)}`);
  return command.map((arg) => arg.replace(/^--web\.listen-address=:(\d+)$/, `--web.listen-address=${address}:$1`));
}

/** Scaphandre's synthesized command with its `--address` set to `address` and without `--containers` (no Docker here). */
export function scaphandreOnLoopback(command: readonly string[], address: string): string[] {
  const at = command.indexOf('--address');
  if (at < 0 || at + 1 >= command.length) throw new Error(`no --address in ${JSON.stringify(command)}`);
  return command.map((arg, i) => (i === at + 1 ? address : arg)).filter((arg) => arg !== '--containers');
}

/** The `host` part of the single target of a job in a rendered prometheus.yml; checks its port is the expected one. */
function targetHost(config: { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }, job: string, port: number): string {
  const target = config.scrape_configs.find((j) => j.job_name === job)?.static_configs?.[0]?.targets?.[0];
  if (!target) throw new Error(`rendered prometheus.yml has no target for job ${job}`);
  const [host, targetPort] = target.split(':');
  if (Number(targetPort) !== port) throw new Error(`job ${job} scrapes ${target}; the harness expects port ${port}`);
  return host!;
}


/**
 * Bind mounts that give node_exporter the file system its container has on a current Docker
 * host whose RAPL tree is the simulation:
 * - `/host` is the host's `/`, bound recursively (Docker's default), so `/host/sys` is the host's
 *   sysfs and `/host/sys/class/powercap` its RAPL tree (here: the simulated one);
 * - the container's own `/sys` has `/sys/devices/virtual/powercap` masked (moby GHSA-jq35-85cj-fj4p),
 *   so its `/sys/class/powercap/intel-rapl:*` links dangle.
 * The rest of `/sys` stays this machine's real one: node_exporter's cpu collector needs it. With an
 * ACPI meter simulation, the host's `/sys/class/hwmon` is the simulated one.
 */
export function nodeExporterMounts(rapl: RaplSimulation, acpiMeter?: AcpiMeterSimulation): string[] {
  return [
    '-b', '/:/host',
    '-b', `${rapl.powercapDir}:/host/sys/class/powercap`,
    ...(acpiMeter ? ['-b', `${acpiMeter.hwmonDir}:/host/sys/class/hwmon`] : []),
    '-b', `${rapl.maskedPowercap.classDir}:/sys/class/powercap`,
    '-b', `${rapl.maskedPowercap.devicesDir}:/sys/devices/virtual/powercap`,
  ];
}

/**
 * Polls `check` until it returns true; fails at once when `proc` exits, with its output.
 * @throws Error naming `what`, the last failure, and the process output.
 */
async function pollUntil(what: string, check: () => Promise<boolean | string>, timeoutMs: number, proc?: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    const exit = proc?.exitInfo();
    if (proc && exit) {
      throw new Error(`${proc.name} exited (code ${exit.code}, signal ${exit.signal}) before ${what}.\n--- ${proc.name} output ---\n${proc.output()}`);
    }
    try {
      const result = await check();
      if (result === true) return;
      last = typeof result === 'string' ? result : 'not yet';
    } catch (err) {
      last = err instanceof Error ? `${err.message}${err.cause ? ` (${String(err.cause)})` : ''}` : String(err);
    }
    if (Date.now() >= deadline) {
      throw new Error(`${what}: not reached after ${timeoutMs} ms (last: ${last})${proc ? `\n--- ${proc.name} output ---\n${proc.output()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Synthesizes a Collector, writes its deployed files, and starts node_exporter, Scaphandre, the
 * cAdvisor fixture and Prometheus on loopback. Resolves once Prometheus answers over HTTPS
 * (scrape targets may not be up yet: see {@link Harness.waitForTargetsUp}).
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const hostName = opts.hostName ?? HARNESS_HOST;
  const scrapeIntervalSeconds = opts.scrapeIntervalSeconds ?? 2;
  const scaphandreScrapeIntervalSeconds = opts.scaphandreScrapeIntervalSeconds ?? 3;
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAllStarted = async () => {
    // Reverse order: Prometheus first, then exporters, then files.
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // keep stopping the rest
      }
    }
  };

  try {
    const plan = await allocateLoopback();
    // The loopback IP too, so that clients given a URL (peekstack energy --prometheus) verify it.
    const secrets = opts.secrets ?? makeTestSecrets(['localhost', '127.0.0.1', 'host.docker.internal', plan.prometheus]);
    if (!opts.secrets) cleanups.push(() => rmSync(secrets.tls.dir, { recursive: true, force: true }));

    const synth = synthConstructs((scope) => {
      const collector = new Collector(scope, 'collector', {
        hostName,
        addresses: ['192.0.2.10'],
        prometheus: { scrapeIntervalSeconds },
        scaphandre: { scrapeIntervalSeconds: scaphandreScrapeIntervalSeconds },
        platformPower: opts.platformPower,
      });
      opts.configure?.(collector, scope);
    });
    const prometheusContainer = containerNamed(synth, 'peekstack-prometheus');
    const nodeContainer = containerNamed(synth, 'peekstack-node-exporter');
    const scaphandreContainer = containerNamed(synth, 'peekstack-scaphandre');
    const blackboxContainer = containerNamed(synth, 'peekstack-blackbox');
    const synthesized = {
      prometheus: [...(prometheusContainer.command as string[])],
      nodeExporter: [...(nodeContainer.command as string[])],
      scaphandre: [...(scaphandreContainer.command as string[])],
      blackbox: [...(blackboxContainer.command as string[])],
    };

    const files: HarnessFiles = {
      prometheusRoot: materializeUploads(prometheusContainer as never, secrets),
      nodeExporterRoot: materializeUploads(nodeContainer as never, secrets),
      blackboxRoot: materializeUploads(blackboxContainer as never, secrets),
    };
    cleanups.push(() => rmSync(files.blackboxRoot, { recursive: true, force: true }));
    cleanups.push(() => rmSync(files.prometheusRoot, { recursive: true, force: true }));
    cleanups.push(() => rmSync(files.nodeExporterRoot, { recursive: true, force: true }));
    const extraContainers: Record<string, HarnessContainer> = {};
    for (const name of opts.extraContainers ?? []) {
      const container = containerNamed(synth, name);
      const root = materializeUploads(container as never, secrets, opts.variables);
      cleanups.push(() => rmSync(root, { recursive: true, force: true }));
      extraContainers[name] = { container, root };
    }

    // The container names the rendered scrape targets use, read from the rendered file itself.
    const rendered = parse(readFileSync(path.join(files.prometheusRoot, PROMETHEUS_PATHS.config), 'utf8'));
    const names = {
      cadvisor: targetHost(rendered, 'cadvisor', COMPONENT_PORTS.cadvisor),
      scaphandre: targetHost(rendered, 'scaphandre', COMPONENT_PORTS.scaphandre),
      node: targetHost(rendered, 'node', COMPONENT_PORTS.node),
      blackbox: targetHost(rendered, 'blackbox-prometheus', COMPONENT_PORTS.blackbox),
      // The blackbox probe of Prometheus reaches it by its container name.
      prometheus: new URL(rendered.scrape_configs.find((j: { job_name: string }) => j.job_name === 'blackbox-prometheus').params.target[0]).hostname,
    };
    if (targetHost(rendered, 'prometheus', COMPONENT_PORTS.prometheus) !== 'localhost') {
      throw new Error('the prometheus job no longer scrapes localhost:9090; update the harness hosts file');
    }
    opts.mutateFiles?.(files);

    const work = mkdtempSync(path.join(tmpdir(), 'peekstack-harness-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const hostsPath = path.join(work, 'hosts');
    writeFileSync(hostsPath, hostsFile(plan, names) + Object.entries(opts.extraHosts ?? {}).map(([name, address]) => `${address}\t${name}\n`).join(''));
    const tsdb = path.join(work, 'tsdb');
    mkdirSync(tsdb);

    const rapl = await startRaplSimulation(
      opts.raplSockets ? { sockets: opts.raplSockets } : { packageWatts: opts.packageWatts ?? 50, coreWatts: opts.coreWatts ?? 30 },
    );
    cleanups.push(() => rapl.stop());
    const acpiMeter = opts.acpiMeterWatts === undefined ? undefined : await startAcpiMeterSimulation({ watts: opts.acpiMeterWatts });
    if (acpiMeter) cleanups.push(() => acpiMeter.stop());

    const run = {
      prometheus: listenOnLoopback(synthesized.prometheus, plan.prometheus),
      nodeExporter: listenOnLoopback(synthesized.nodeExporter, plan.node),
      scaphandre: scaphandreOnLoopback(synthesized.scaphandre, plan.scaphandre),
      blackbox: listenOnLoopback(synthesized.blackbox, plan.blackbox),
    };
    if (opts.nodeExporterArgs) run.nodeExporter = opts.nodeExporterArgs(run.nodeExporter);

    const processes: { prometheus?: ManagedProcess; nodeExporter?: ManagedProcess; scaphandre?: ManagedProcess; blackbox?: ManagedProcess } = {};
    let launchNodeExporter: () => Promise<void> = async () => {
      throw new Error('the harness was started without exporters');
    };
    let cadvisor: CadvisorFixtureServer | undefined;
    const readiness: Promise<void>[] = [];
    if (opts.exporters ?? true) {
      cadvisor = await startCadvisorFixture(plan.cadvisor, COMPONENT_PORTS.cadvisor, { containerCpuSeconds: opts.cpu?.containerCpuSeconds });
      cleanups.push(() => cadvisor!.stop());

      const nodeConfig = path.join(files.nodeExporterRoot, 'etc/node_exporter');
      const nodeEndpoint: PrometheusEndpoint = {
        address: plan.node,
        port: COMPONENT_PORTS.node,
        caPem: secrets.caPem,
        serverName: names.node,
        username: 'prometheus',
        password: secrets.password,
      };
      launchNodeExporter = () => {
        const proc = startProcess(
          // Under the container's own no-new-privileges and dropped capabilities (container-sandbox.ts).
          // In the file system the container sees (nodeExporterMounts).
          ...sandboxed(nodeContainer, [...nodeExporterMounts(rapl, acpiMeter), ...(opts.cpu ? ['-b', `${opts.cpu.statFile}:/proc/stat`] : []), '-b', `${nodeConfig}:/etc/node_exporter`], toolPath('node_exporter'), run.nodeExporter),
          { name: 'node_exporter' },
        );
        processes.nodeExporter = proc;
        cleanups.push(() => proc.stop());
        return pollUntil(`node_exporter answering on https://${plan.node}:9100`, async () => {
          const res = await httpsGet(nodeEndpoint, '/metrics');
          return res.status === 200 || `HTTP ${res.status}`;
        }, 30_000, proc);
      };
      readiness.push(launchNodeExporter());

      // blackbox_exporter reads its deployed config (and the CAs beside it) and resolves the probed
      // container names through the same hosts file as Prometheus.
      processes.blackbox = startProcess(
        ...sandboxed(
          blackboxContainer,
          ['-b', `${path.join(files.blackboxRoot, 'etc/blackbox_exporter')}:/etc/blackbox_exporter`, '-b', `${hostsPath}:/etc/hosts`],
          toolPath('blackbox_exporter'),
          run.blackbox,
        ),
        { name: 'blackbox_exporter' },
      );
      cleanups.push(() => processes.blackbox!.stop());
      readiness.push(
        waitForHttp(`http://${plan.blackbox}:${COMPONENT_PORTS.blackbox}/metrics`, { process: processes.blackbox, timeoutMs: 30_000 }).then((res) => res.body?.cancel()),
      );

      processes.scaphandre = startProcess(
        ...sandboxed(scaphandreContainer, ['-b', `${rapl.modulesFile}:/proc/modules`, '-b', `${rapl.powercapDir}:/sys/class/powercap`], toolPath('scaphandre'), run.scaphandre),
        { name: 'scaphandre' },
      );
      cleanups.push(() => processes.scaphandre!.stop());
      readiness.push(
        waitForHttp(`http://${plan.scaphandre}:${COMPONENT_PORTS.scaphandre}/metrics`, { process: processes.scaphandre, timeoutMs: 30_000 }).then(
          (res) => res.body?.cancel(),
        ),
      );
    }

    const launchPrometheus = () => {
      const proc = startProcess(
        ...sandboxed(
          prometheusContainer,
          ['-b', `${path.join(files.prometheusRoot, 'etc/prometheus')}:/etc/prometheus`, '-b', `${tsdb}:${PROMETHEUS_PATHS.data}`, '-b', `${hostsPath}:/etc/hosts`],
          toolPath('prometheus'),
          run.prometheus,
        ),
        { name: 'prometheus' },
      );
      processes.prometheus = proc;
      cleanups.push(() => proc.stop());
      return proc;
    };
    launchPrometheus();

    const endpoint: PrometheusEndpoint = {
      address: plan.prometheus,
      port: COMPONENT_PORTS.prometheus,
      caPem: secrets.caPem,
      serverName: 'localhost',
      username: 'peekstack',
      password: secrets.password,
    };
    const prometheusReady = () =>
      pollUntil(`Prometheus ready on https://${plan.prometheus}:9090`, async () => {
        const res = await httpsGet(endpoint, '/-/ready');
        return (opts.readyStatuses ?? [200]).includes(res.status) || `HTTP ${res.status}`;
      }, opts.prometheusReadyTimeoutMs ?? 30_000, processes.prometheus);
    readiness.push(prometheusReady());
    // allSettled: wait for every starter before deciding, so a failure cleans up after all of them.
    const settled = await Promise.allSettled(readiness);
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed.length > 0) throw new Error(failed.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('\n\n'));
    const startedAt = Date.now() / 1000;

    const harness: Harness = {
      hostName,
      scrapeIntervalSeconds,
      scaphandreScrapeIntervalSeconds,
      plan,
      endpoint,
      secrets,
      rapl,
      acpiMeter,
      files,
      prometheusContainer,
      commands: { synthesized, run },
      processes: processes as Harness['processes'],
      async restartNodeExporter() {
        await processes.nodeExporter?.stop();
        await launchNodeExporter();
      },
      async restartPrometheus(signal = 'SIGKILL') {
        const old = processes.prometheus!;
        const killedAt = Date.now() / 1000;
        // The whole group, as stop() does, but with no grace.
        if (signal === 'SIGKILL') {
          try {
            process.kill(-old.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        await old.stop();
        launchPrometheus();
        await prometheusReady();
        return { killedAt, readyAt: Date.now() / 1000 };
      },
      cadvisor,
      extraContainers,
      startedAt,
      query: (expr, queryOpts) => query(endpoint, expr, queryOpts),
      async waitForTargetsUp(jobs = HARNESS_JOBS, timeoutMs = 30_000) {
        await pollUntil(
          `jobs ${jobs.join(', ')} up`,
          async () => {
            const up = seriesOf(await query(endpoint, 'up'));
            const down = jobs.filter((job) => !up.some((s) => s.metric.job === job && s.value?.[1] === '1'));
            if (down.length === 0) return true;
            const targets = JSON.parse((await httpsGet(endpoint, '/api/v1/targets')).body).data?.activeTargets ?? [];
            return `down: ${down
              .map((job) => `${job} (${targets.find((t: { labels: { job: string } }) => t.labels.job === job)?.lastError || 'no scrape yet'})`)
              .join('; ')}`;
          },
          timeoutMs,
          processes.prometheus,
        );
      },
      async waitForQuery(expr, accept, timeoutMs = 30_000) {
        let last: QueryOutcome | undefined;
        await pollUntil(`query ${expr}`, async () => {
          last = await query(endpoint, expr);
          return accept(last) || JSON.stringify(last).slice(0, 300);
        }, timeoutMs, processes.prometheus);
        return last!;
      },
      stop: stopAllStarted,
    };
    return harness;
  } catch (err) {
    await stopAllStarted();
    throw err;
  }
}
