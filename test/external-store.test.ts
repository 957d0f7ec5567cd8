import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseFleet } from '../src/config';
import { externalStoreEndpoints } from '../src/core/external-store';
import { buildFleetApp } from '../src/fleet/fleet';
import { VALID_FLEET } from './config/helpers';
import { makeTlsFixture } from './support/tls-fixture';
import { containerNamed, synthStack, testApp, uploadedFile } from './support/synth';

const dir = mkdtempSync(join(tmpdir(), 'peekstack-external-'));
// The fleet file checks that the CA file is a PEM certificate that parses: a real one.
const CA = makeTlsFixture(['store.example.net']).caPem;
writeFileSync(join(dir, 'store-ca.pem'), CA);

/** Builds the example fleet with `store` and returns web-1's prometheus.yml, its uploads, and Grafana's fleet datasource. */
function build(store: string) {
  const stacks = buildFleetApp(testApp(), parseFleet(`${VALID_FLEET}store:\n${store}`, join(dir, 'fleet.yaml')));
  const web = synthStack(stacks.collectors[0]!);
  const prometheus = containerNamed(web, 'peekstack-prometheus');
  const ui = synthStack(stacks.interface);
  const grafana = containerNamed(ui, 'peekstack-grafana');
  const datasources = parse(uploadedFile(grafana, '/etc/grafana/provisioning/datasources/peekstack.yml')).datasources;
  return {
    stacks,
    web,
    ui,
    prometheus,
    grafana,
    remoteWrite: parse(uploadedFile(prometheus, '/etc/prometheus/prometheus.yml')).remote_write[0],
    fleet: datasources.find((d: { uid: string }) => d.uid === 'peekstack-fleet'),
  };
}

describe('external fleet stores', () => {
  it('VictoriaMetrics cluster: vminsert with the tenant in the path, Grafana on vmselect; basic auth from sensitive variables; CA from the file', () => {
    const built = build('  kind: victoriametrics-cluster\n  url: https://vminsert.example.net:8480\n  queryUrl: https://vmselect.example.net:8481/\n  tenant: "42"\n  caFile: store-ca.pem\n  username: fleet\n');
    expect(built.stacks.hub).toBeUndefined();
    expect(built.remoteWrite).toMatchObject({
      url: 'https://vminsert.example.net:8480/insert/42/prometheus/api/v1/write',
      basic_auth: { username: 'fleet', password_file: '/etc/prometheus/secrets/remote-write-fleet.password' },
      tls_config: { ca_file: '/etc/prometheus/tls/remote-write-fleet-ca.crt' },
    });
    expect(uploadedFile(built.prometheus, '/etc/prometheus/secrets/remote-write-fleet.password')).toBe('${var.collector_web_1_fleet_store_password}');
    expect(uploadedFile(built.prometheus, '/etc/prometheus/tls/remote-write-fleet-ca.crt')).toBe(CA);
    expect(built.web.variable?.collector_web_1_fleet_store_password).toMatchObject({ sensitive: true });
    expect(built.fleet).toMatchObject({ url: 'https://vmselect.example.net:8481/select/42/prometheus', basicAuthUser: 'fleet', isDefault: true, jsonData: { tlsAuthWithCACert: true } });
    expect(built.ui.variable?.interface_fleet_store_password).toMatchObject({ sensitive: true });
    expect(uploadedFile(built.grafana, '/run/secrets/peekstack/peekstack-fleet.password')).toBe('${var.interface_fleet_store_password}');
  });

  it('Grafana Mimir: /api/v1/push and /prometheus, the tenant in X-Scope-OrgID on writes and queries', () => {
    const built = build('  kind: mimir\n  url: https://mimir.example.net\n  tenant: team-a\n  username: team-a\n');
    expect(built.remoteWrite).toMatchObject({ url: 'https://mimir.example.net/api/v1/push', headers: { 'X-Scope-OrgID': 'team-a' } });
    expect(built.remoteWrite.tls_config).toBeUndefined(); // no caFile: the system's CAs
    expect(built.fleet).toMatchObject({ url: 'https://mimir.example.net/prometheus', jsonData: { httpHeaderName1: 'X-Scope-OrgID' }, secureJsonData: { httpHeaderValue1: 'team-a' } });
  });

  it('Thanos: Receive for writes, Query for Grafana, THANOS-TENANT, a bearer token from a sensitive variable', () => {
    const built = build('  kind: thanos\n  url: https://receive.example.net:19291\n  queryUrl: https://query.example.net:10902\n  tenant: team-b\n  auth: bearer\n');
    expect(built.remoteWrite).toMatchObject({
      url: 'https://receive.example.net:19291/api/v1/receive',
      headers: { 'THANOS-TENANT': 'team-b' },
      authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/secrets/remote-write-fleet.token' },
    });
    expect(uploadedFile(built.prometheus, '/etc/prometheus/secrets/remote-write-fleet.token')).toBe('${var.collector_web_1_fleet_store_token}');
    expect(built.fleet).toMatchObject({ url: 'https://query.example.net:10902', basicAuth: false, jsonData: { httpHeaderName1: 'THANOS-TENANT', httpHeaderName2: 'Authorization' } });
    expect(built.fleet.secureJsonData.httpHeaderValue2).toBe('Bearer $__file{/run/secrets/peekstack/peekstack-fleet.token}');
    expect(uploadedFile(built.grafana, '/run/secrets/peekstack/peekstack-fleet.token')).toBe('${var.interface_fleet_store_token}');
  });

  it('no store at all: no remote_write, no fleet datasource, no hub', () => {
    const stacks = buildFleetApp(testApp(), parseFleet(`${VALID_FLEET}store: { enabled: false }\n`, 'fleet.yaml'));
    expect(stacks.hub).toBeUndefined();
    const prometheus = containerNamed(synthStack(stacks.collectors[0]!), 'peekstack-prometheus');
    expect(parse(uploadedFile(prometheus, '/etc/prometheus/prometheus.yml')).remote_write).toBeUndefined();
  });

  it('the URLs of each kind, from one function', () => {
    expect(externalStoreEndpoints({ kind: 'victoriametrics-cluster', url: 'https://vm' })).toEqual({ writeUrl: 'https://vm/insert/0/prometheus/api/v1/write', queryUrl: 'https://vm/select/0/prometheus', writeHeaders: {}, queryHeaders: {} });
    expect(() => externalStoreEndpoints({ kind: 'victoriametrics-cluster', url: 'https://vm', tenant: 'team' })).toThrow(/accountID/);
    expect(externalStoreEndpoints({ kind: 'mimir', url: 'https://m/' }).writeHeaders).toEqual({});
  });
});
