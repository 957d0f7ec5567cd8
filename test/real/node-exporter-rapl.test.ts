/**
 * node_exporter reads RAPL on current Docker without privileges. Docker >= 20.10.27 / 24.0.7 masks
 * /sys/devices/virtual/powercap in unprivileged containers (moby GHSA-jq35-85cj-fj4p), so the
 * container's /sys/class/powercap links dangle; the host's sysfs is still visible through the
 * recursive read-only bind of / at /host. Here the real node_exporter runs the synthesized command
 * line in a mount namespace with exactly that file system (nodeExporterMounts): the rendered flags must find
 * both sockets of a simulated two-socket tree, and the same command without `--path.sysfs` must not
 * (which proves the masked view is what the container would see).
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector';
import { NODE_EXPORTER_SYSFS } from '../../src/components/node-exporter/node-exporter';
import { materializeUploads } from '../support/deployed-files';
import { containerNamed, synthConstructs } from '../support/synth';
import { makeTestSecrets, type TestSecrets } from '../support/test-secrets';
import { listenOnLoopback, nodeExporterMounts } from './harness';
import { allocateLoopback, COMPONENT_PORTS } from './loopback';
import { type ManagedProcess, parseExposition, type Sample, startProcess } from './processes';
import { httpsGet, type PrometheusEndpoint } from './prometheus-api';
import { type RaplSimulation, startRaplSimulation } from './rapl-simulator';
import { toolPath } from './tools';
import { BIND_MOUNTS_SCRIPT } from './mount-namespace';

describe('node_exporter as deployed reads RAPL through the host sysfs, past Docker\'s powercap mask', () => {
  let rapl: RaplSimulation;
  let secrets: TestSecrets;
  let configRoot: string;
  let command: string[];
  let address: string;
  const running: ManagedProcess[] = [];

  beforeAll(async () => {
    rapl = await startRaplSimulation({
      sockets: [
        { package: { watts: 50 }, core: { watts: 30 } },
        { package: { watts: 30 }, core: { watts: 20 } },
      ],
    });
    address = (await allocateLoopback()).node;
    secrets = makeTestSecrets(['host.docker.internal', address]);
    const synth = synthConstructs((scope) => new Collector(scope, 'collector', { hostName: 'rapl-host', addresses: ['192.0.2.10'] }));
    const container = containerNamed(synth, 'peekstack-node-exporter');
    command = listenOnLoopback(container.command as string[], address);
    configRoot = materializeUploads(container as never, secrets);
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await rapl?.stop();
    if (secrets) rmSync(secrets.tls.dir, { recursive: true, force: true });
    if (configRoot) rmSync(configRoot, { recursive: true, force: true });
  });

  /** Runs node_exporter with `args` in the container's file system; returns one scrape, then stops it. */
  async function scrapeWith(args: readonly string[]): Promise<Sample[]> {
    const proc = startProcess(
      BIND_MOUNTS_SCRIPT,
      [...nodeExporterMounts(rapl), '-b', `${path.join(configRoot, 'etc/node_exporter')}:/etc/node_exporter`, toolPath('node_exporter'), ...args],
      { name: 'node_exporter' },
    );
    running.push(proc);
    const endpoint: PrometheusEndpoint = {
      address,
      port: COMPONENT_PORTS.node,
      caPem: secrets.caPem,
      serverName: 'host.docker.internal',
      username: 'prometheus',
      password: secrets.password,
    };
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (proc.exitInfo()) throw new Error(`node_exporter exited:\n${proc.output()}`);
        const answer = await httpsGet(endpoint, '/metrics').catch(() => undefined);
        if (answer?.status === 200) return parseExposition(answer.body);
        if (Date.now() > deadline) throw new Error(`node_exporter did not answer on ${address}:9100:\n${proc.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await proc.stop();
    }
  }

  it('the synthesized command reads sysfs at /host/sys', () => {
    expect(NODE_EXPORTER_SYSFS).toBe('/host/sys');
    expect(command).toContain(`--path.sysfs=${NODE_EXPORTER_SYSFS}`);
  });

  it('with the rendered flags: both sockets\' package and core counters, collector successful', async () => {
    const samples = await scrapeWith(command);
    const success = samples.find((s) => s.name === 'node_scrape_collector_success' && s.labels.collector === 'rapl');
    expect(success?.value).toBe(1);
    const zones = samples.filter((s) => s.name.startsWith('node_rapl_')).map((s) => `${s.name}{index=${s.labels.index}}`).sort();
    expect(zones).toEqual([
      'node_rapl_core_joules_total{index=0}',
      'node_rapl_core_joules_total{index=1}',
      'node_rapl_package_joules_total{index=0}',
      'node_rapl_package_joules_total{index=1}',
    ]);
    // The counters read are the simulation's (µJ → J), not some other tree's.
    const socket1 = samples.find((s) => s.name === 'node_rapl_package_joules_total' && s.labels.index === '1')!;
    const simulated = rapl.zones().find((z) => z.id === 'intel-rapl:1')!.counterUj / 1e6;
    expect(Math.abs(socket1.value - simulated)).toBeLessThan(30 * 2); // 30 W for at most 2 s between the two reads
  });

  it('without --path.sysfs (the container\'s own, masked /sys): no RAPL counter at all', async () => {
    const samples = await scrapeWith(command.filter((arg) => !arg.startsWith('--path.sysfs=')));
    expect(samples.filter((s) => s.name.startsWith('node_rapl_'))).toEqual([]);
    // The collector ran (it is not switched off) and found no zone behind the dangling links:
    // node_exporter treats a missing powercap as "no data", so this is silent in production.
    expect(samples.some((s) => s.name === 'node_scrape_collector_success' && s.labels.collector === 'rapl')).toBe(true);
  });
});
