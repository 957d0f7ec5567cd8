/**
 * Each built-in exporter construct on its own: defaults exposed, its component (job, rules,
 * dashboards, catalog) from one place, and bad props refused at construction.
 */
import { describe, expect, it } from 'vitest';
import { TerraformVariable } from 'cdktf';
import { Cadvisor } from '../src/components/cadvisor/cadvisor';
import { CADVISOR_COMPONENT, NODE_EXPORTER_COMPONENT, SCAPHANDRE_COMPONENT } from '../src/components';
import { JOB } from '../src/core/labels';
import { NodeExporter } from '../src/components/node-exporter/node-exporter';
import { Scaphandre } from '../src/components/scaphandre/scaphandre';
import { containerNamed, synthConstructs } from './support/synth';

describe('NodeExporter', () => {
  const build = (props: { port?: number; rapl?: boolean } = {}) => {
    let exporter!: NodeExporter;
    const synth = synthConstructs((scope) => {
      const password = new TerraformVariable(scope, 'pw', { type: 'string', sensitive: true }).stringValue;
      exporter = new NodeExporter(scope, 'node', {
        certificate: { certificatePem: 'CERT', privateKeyPem: 'KEY' },
        caCertificatePem: 'CA',
        credentials: { username: 'prometheus', password, passwordBcryptHash: 'HASH' },
        ...props,
      });
    });
    return { exporter, synth };
  };

  it('exposes its defaults and its component', () => {
    const { exporter } = build();
    expect(exporter).toMatchObject({ port: 9100, rapl: true, containerName: 'peekstack-node-exporter' });
    expect(exporter.component).toMatchObject({ name: NODE_EXPORTER_COMPONENT.name, scrapeTarget: { jobName: JOB.node, address: 'host.docker.internal:9100' } });
    expect(exporter.component.dashboards?.map((d) => d.uid)).toEqual(['peekstack-system']);
    expect(exporter.component.metrics?.every((m) => m.jobs.includes(JOB.node))).toBe(true);
  });

  it('runs as root only to read RAPL; otherwise the image user, and no rapl collector', () => {
    expect(containerNamed(build().synth, 'peekstack-node-exporter').user).toBe('0:0');
    const off = containerNamed(build({ rapl: false }).synth, 'peekstack-node-exporter');
    expect(off.user).toBeUndefined();
    expect(off.command).toContain('--no-collector.rapl');
  });

  it('serves HTTPS from its web config, certificate and key; the key readable by root only when it runs as root', () => {
    const uploads = (rapl: boolean) =>
      Object.fromEntries((containerNamed(build({ rapl }).synth, 'peekstack-node-exporter').upload as { file: string; permissions: string }[]).map((u) => [u.file, u.permissions]));
    expect(uploads(true)).toEqual({
      '/etc/node_exporter/web-config.yml': '0444',
      '/etc/node_exporter/tls/server.crt': '0444',
      '/etc/node_exporter/tls/server.key': '0400',
    });
    expect(uploads(false)['/etc/node_exporter/tls/server.key']).toBe('0444');
  });

  it('refuses a port out of range', () => {
    expect(() => build({ port: 70000 })).toThrow(/^NodeExporter\.port: got 70000; expected an integer TCP port from 1 to 65535$/);
  });
});

describe('Cadvisor', () => {
  it('exposes its defaults and its component', () => {
    let cadvisor!: Cadvisor;
    synthConstructs((scope) => {
      cadvisor = new Cadvisor(scope, 'cadvisor', { networkName: 'net' });
    });
    expect(cadvisor.enabledMetrics).toEqual(['cpu', 'memory', 'network', 'oom_event']);
    expect(cadvisor.component).toMatchObject({ name: CADVISOR_COMPONENT.name, scrapeTarget: { jobName: JOB.cadvisor } });
    expect(cadvisor.component.dashboards?.map((d) => d.uid)).toEqual(['peekstack-containers']);
  });

  it('refuses an unknown metric group', () => {
    expect(() => synthConstructs((scope) => new Cadvisor(scope, 'cadvisor', { networkName: 'net', enabledMetrics: ['cpu', 'gpu-magic'] }))).toThrow(/^Cadvisor\.enabledMetrics/);
  });
});

describe('Scaphandre', () => {
  it('exposes its defaults and its component, rules included', () => {
    let scaphandre!: Scaphandre;
    synthConstructs((scope) => {
      scaphandre = new Scaphandre(scope, 'scaphandre', { networkName: 'net' });
    });
    expect(scaphandre.containers).toBe(true);
    expect(scaphandre.component).toMatchObject({ name: SCAPHANDRE_COMPONENT.name, scrapeTarget: { jobName: JOB.scaphandre, minScrapeIntervalSeconds: 3 } });
    expect(scaphandre.component.ruleGroups?.flatMap((g) => g.rules.map((r) => ('record' in r ? r.record : r.alert)))).toEqual(['host:scaph_host_power:watts', 'PeekStackNoPowerReading', 'PeekStackHostEnergyStuck', 'PeekStackHostPowerHigh', 'PeekStackDailyEnergyOverBudget']);
    expect(scaphandre.component.dashboards?.map((d) => d.uid)).toEqual(['peekstack-power']);
  });

  it('refuses an interval under its floor', () => {
    expect(() => synthConstructs((scope) => new Scaphandre(scope, 'scaphandre', { networkName: 'net', scrapeIntervalSeconds: 2 }))).toThrow(/^Scaphandre\.scrapeIntervalSeconds: got 2; expected at least 3 seconds/);
  });
});
