import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Collector } from '../../src/collector/collector';
import { materializeUploads } from '../support/deployed-files';
import { promtool } from '../support/promtool';
import { containerNamed, synthConstructs } from '../support/synth';
import { makeTestSecrets } from '../support/test-secrets';
import { toolPath } from '../real/tools';
import { spawnSync } from 'node:child_process';
import type { UntypedJson } from '../support/untyped-json';
import { BIND_MOUNTS_SCRIPT } from '../real/mount-namespace';

/**
 * Contract level: the files exactly as synthesized for the containers (Terraform references filled
 * with test material) are checked by the real promtool 3.x, at the paths the containers see them,
 * through bind mounts in a mount namespace (test/real/mount-namespace/).
 */
const secrets = makeTestSecrets();
const synth = synthConstructs((scope) => new Collector(scope, 'collector', { hostName: 'host-a', addresses: ['192.0.2.10'] }));

/** Runs promtool with `dir` bound at `mountPoint`, as the container would see it. */
function promtoolIn(root: string, mountPoint: string, ...args: string[]) {
  const result = spawnSync(BIND_MOUNTS_SCRIPT, ['-b', `${join(root, mountPoint)}:${mountPoint}`, toolPath('promtool'), ...args], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('rendered Prometheus files pass promtool 3.x', () => {
  const root = materializeUploads(containerNamed(synth, 'peekstack-prometheus'), secrets);

  it('uses promtool 3.x', () => {
    expect(promtool('--version').output).toMatch(/promtool, version 3\./);
  });

  it('prometheus.yml passes promtool check config', () => {
    const result = promtoolIn(root, '/etc/prometheus', 'check', 'config', '/etc/prometheus/prometheus.yml');
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('web-config.yml passes promtool check web-config (certificate and key opened, TLS 1.2, bcrypt user)', () => {
    const result = promtoolIn(root, '/etc/prometheus', 'check', 'web-config', '/etc/prometheus/web-config.yml');
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
    const webConfig = parse(readFileSync(join(root, 'etc/prometheus/web-config.yml'), 'utf8'));
    expect(webConfig.tls_server_config.min_version).toBe('TLS12');
    expect(webConfig.basic_auth_users.peekstack).toMatch(/^\$2[aby]\$04\$/);
  });

  it('a web config pointing at a missing certificate fails the check', () => {
    const path = join(root, 'etc/prometheus/web-config.yml');
    const broken = readFileSync(path, 'utf8').replace('/etc/prometheus/tls/server.crt', '/etc/prometheus/tls/missing.crt');
    writeFileSync(join(root, 'etc/prometheus/broken-web-config.yml'), broken);
    const result = promtoolIn(root, '/etc/prometheus', 'check', 'web-config', '/etc/prometheus/broken-web-config.yml');
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/missing\.crt/);
  });

  it('prometheus.yml puts the host label on every job and never holds a password', () => {
    const text = readFileSync(join(root, 'etc/prometheus/prometheus.yml'), 'utf8');
    const config = parse(text);
    expect(config.scrape_configs.map((job: UntypedJson) => job.job_name)).toEqual(['node', 'cadvisor', 'scaphandre', 'blackbox-prometheus', 'blackbox-node-exporter', 'prometheus']);
    for (const job of config.scrape_configs) {
      expect(job.relabel_configs).toContainEqual({ target_label: 'host', replacement: 'host-a' });
    }
    expect(text).not.toContain(secrets.password);
    expect(config.scrape_configs.find((job: UntypedJson) => job.job_name === 'node')).toMatchObject({
      scheme: 'https',
      tls_config: { ca_file: '/etc/prometheus/tls/node-ca.crt', server_name: 'host.docker.internal' },
      basic_auth: { username: 'prometheus', password_file: '/etc/prometheus/secrets/node.password' },
    });
  });
});

describe('rendered node_exporter web config passes promtool 3.x', () => {
  const root = materializeUploads(containerNamed(synth, 'peekstack-node-exporter'), secrets);

  it('passes promtool check web-config', () => {
    const result = promtoolIn(root, '/etc/node_exporter', 'check', 'web-config', '/etc/node_exporter/web-config.yml');
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
