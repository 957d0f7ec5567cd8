import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolve } from 'node:path';
import { loadFleetFile, parseFleet } from '../src/config';
import { buildFleetApp } from '../src/fleet/fleet';
import { containerNamed, synthStack, testApp, uploadedFile } from './support/synth';
import { VALID_FLEET } from './config/helpers';

describe('buildFleetApp', () => {
  const fleet = parseFleet(
    VALID_FLEET.replace('    addresses: [ops.example.net]\n', '    addresses: [ops.example.net]\n    scrapeIntervalSeconds: 30\n    retentionDays: 90\n'),
    'fleet.yaml',
  );
  const app = testApp();
  const stacks = buildFleetApp(app, fleet);
  const ui = synthStack(stacks.interface);

  it('makes one collector stack per host, named collector-<host>, and one interface stack', () => {
    expect(stacks.collectors.map((s) => s.node.id)).toEqual(['collector-web-1', 'collector-db-1', 'collector-ops']);
    expect(stacks.interface.node.id).toBe('interface');
    expect(app.node.children.map((c) => c.node.id).filter((id) => id.startsWith('collector-') || id === 'interface')).toHaveLength(4);
  });

  it('maps the per-host settings onto the constructs', () => {
    const [web, db, ops] = stacks.collectors.map((s) => s.collector);
    expect(db.nodeExporter?.port).toBe(9101);
    expect(ops.prometheus.scrapeIntervalSeconds).toBe(30);
    expect(ops.prometheus.retentionDays).toBe(90);
    expect(web.prometheusUrl).toBe('https://web-1.example.net:19090');
  });

  it('connects each collector stack to its host\'s Docker endpoint', () => {
    const db = synthStack(stacks.collectors[1]);
    expect(db.provider?.docker).toEqual([{ host: 'tcp://db-1.example.net:2376', cert_path: '/etc/certs/db-1' }]);
    expect(ui.provider?.docker).toEqual([{ host: 'unix:///var/run/docker.sock' }]);
  });

  it('gives Grafana one datasource per host, read across stacks', () => {
    const provisioning = parse(uploadedFile(containerNamed(ui, 'peekstack-grafana'), '/etc/grafana/provisioning/datasources/peekstack.yml'));
    expect(provisioning.datasources.map((d: { uid: string; url: string }) => [d.uid, d.url])).toEqual([
      ['peekstack-web-1', 'https://web-1.example.net:19090'],
      ['peekstack-db-1', 'https://db-1.example.net:19090'],
      ['peekstack-ops', 'https://host.docker.internal:19090'], // ops runs Grafana: reached through the host gateway
      ['peekstack-fleet', 'https://host.docker.internal:18427'], // the hub (fleet store) runs on the interface host by default
    ]);
    expect(Object.keys(ui.data?.terraform_remote_state ?? {}).sort()).toEqual([
      'cross-stack-reference-input-collector-db-1',
      'cross-stack-reference-input-collector-ops',
      'cross-stack-reference-input-collector-web-1',
      'cross-stack-reference-input-hub',
    ]);
  });

  it('with credentials from variables: sensitive TF_VAR_ variables, no generated password', () => {
    const withVariables = buildFleetApp(testApp(), parseFleet(`${VALID_FLEET}credentials: { source: variables }\n`, 'f'));
    const web = synthStack(withVariables.collectors[0]);
    expect(web.variable).toEqual({
      collector_web_1_prometheus_password: expect.objectContaining({ sensitive: true, type: 'string' }),
      collector_web_1_prometheus_password_bcrypt: expect.objectContaining({ sensitive: true, type: 'string' }),
    });
    expect(Object.keys(web.resource.random_password ?? {})).toHaveLength(1); // node_exporter's, internal to the collector
    const prometheus = containerNamed(web, 'peekstack-prometheus');
    expect(uploadedFile(prometheus, '/etc/prometheus/web-config.yml')).toContain('${var.collector_web_1_prometheus_password_bcrypt}');
    const interfaceJson = synthStack(withVariables.interface);
    expect(Object.keys(interfaceJson.variable ?? {})).toEqual(['interface_grafana_admin_password']);
  });
});

describe('the example fleet with its fleet store', () => {
  const stacks = buildFleetApp(testApp(), loadFleetFile(resolve(__dirname, '..', 'stacks', 'fleet.example.yaml')));

  it('has a hub stack holding the store, deduplicating at the finest scrape interval', () => {
    expect(stacks.hub?.node.id).toBe('hub');
    const hub = synthStack(stacks.hub!);
    expect(containerNamed(hub, 'peekstack-victoria-metrics').command).toEqual(expect.arrayContaining(['-retentionPeriod=180d', '-dedup.minScrapeInterval=5s']));
    expect(containerNamed(hub, 'peekstack-vmauth').ports[0].external).toBe(18427);
  });

  it('every collector remote_writes to it with TLS and basic auth from files, read across stacks from the hub', () => {
    for (const stack of stacks.collectors) {
      const synth = synthStack(stack);
      const prometheus = containerNamed(synth, 'peekstack-prometheus');
      const remote = parse(uploadedFile(prometheus, '/etc/prometheus/prometheus.yml')).remote_write;
      const onHub = stack.collector.hostName === 'ops';
      expect(remote).toEqual([
        expect.objectContaining({
          name: 'fleet',
          url: onHub ? 'https://host.docker.internal:18427/api/v1/write' : 'https://ops.example.net:18427/api/v1/write',
          basic_auth: { username: 'peekstack-writer', password_file: '/etc/prometheus/secrets/remote-write-fleet.password' },
          tls_config: { ca_file: '/etc/prometheus/tls/remote-write-fleet-ca.crt', min_version: 'TLS12' },
        }),
      ]);
      expect(uploadedFile(prometheus, '/etc/prometheus/secrets/remote-write-fleet.password')).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-hub\.outputs\./);
      expect(JSON.stringify(synth)).not.toMatch(/"password":\s*"[A-Za-z0-9]{32}"/);
    }
  });

  it('Grafana gets the fleet datasource as default, on the coarsest interval, and the Fleet dashboard', () => {
    const grafana = containerNamed(synthStack(stacks.interface), 'peekstack-grafana');
    const datasources = parse(uploadedFile(grafana, '/etc/grafana/provisioning/datasources/peekstack.yml')).datasources;
    expect(datasources.filter((d: { isDefault: boolean }) => d.isDefault).map((d: { uid: string }) => d.uid)).toEqual(['peekstack-fleet']);
    expect(datasources.find((d: { uid: string }) => d.uid === 'peekstack-fleet')).toMatchObject({ basicAuthUser: 'peekstack-reader', jsonData: { timeInterval: '30s', tlsAuthWithCACert: true } });
    expect(stacks.interface.grafana.dashboards.map((d) => d.uid)).toContain('peekstack-fleet');
    expect(JSON.stringify(uploadedFile(grafana, '/etc/grafana/dashboards/peekstack/peekstack-fleet.json'))).toContain('Fleet power now');
  });
});
