/**
 * Grafana's side of the wire, without Grafana (there is no Grafana binary for this machine): the
 * datasource provisioning exactly as synthesized for the interface, `$__file{}` secrets read from the
 * files uploaded beside it, is used the way Grafana's Prometheus datasource uses it — URL, basic-auth
 * user and password, TLS verified against `tlsCACert` for the URL's host name — against the real
 * Prometheus of the harness. It proves the user, password and CA wired into Grafana are the ones the
 * collector serves with, and that verification is really on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Collector } from '../../src/collector/collector';
import { GRAFANA_PATHS } from '../../src/interface/grafana';
import { Interface } from '../../src/interface/interface';
import { PROMETHEUS_CONTAINER_PORT } from '../../src/components/prometheus/prometheus';
import { materializeUploads } from '../support/deployed-files';
import { containerNamed, synthConstructs } from '../support/synth';
import { makeTlsFixture } from '../support/tls-fixture';
import { type Harness, startHarness } from './harness';
import { httpsGet, type PrometheusEndpoint } from './prometheus-api';
import type { UntypedJson } from '../support/untyped-json';

let harness: Harness;
let grafanaRoot: string;
let datasource: UntypedJson;

/** Grafana's `$__file{path}` expansion, against the files uploaded into its container. */
const expandFile = (value: string) => {
  const path = /^\$__file\{(.+)\}$/.exec(value)?.[1];
  if (!path) throw new Error(`not a $__file{} reference: ${value}`);
  return readFileSync(join(grafanaRoot, path), 'utf8');
};

/** How Grafana would connect: to the URL's host and port (Docker maps the published port to 9090), verifying the URL's host name. */
function asGrafanaWould(source: UntypedJson, caPem: string): PrometheusEndpoint {
  const url = new URL(source.url);
  expect(Number(url.port)).toBe(19090);
  return {
    address: harness.endpoint.address, // what host.docker.internal resolves to from Grafana's container
    port: PROMETHEUS_CONTAINER_PORT,
    caPem,
    serverName: url.hostname,
    username: source.basicAuthUser,
    password: expandFile(source.secureJsonData.basicAuthPassword),
  };
}

beforeAll(async () => {
  harness = await startHarness({ exporters: false });
  const synth = synthConstructs((scope) => {
    const collector = new Collector(scope, 'collector', { hostName: harness.hostName, addresses: ['localhost'] });
    new Interface(scope, 'interface', { collectors: [collector], colocatedCollector: collector });
  });
  // Terraform references filled with the same material the harness Prometheus serves with.
  grafanaRoot = materializeUploads(containerNamed(synth, 'peekstack-grafana'), harness.secrets);
  const provisioning = parse(readFileSync(join(grafanaRoot, GRAFANA_PATHS.datasources), 'utf8'));
  datasource = provisioning.datasources[0];
});

afterAll(async () => {
  await harness?.stop();
});

describe('the provisioned Grafana datasource against the real Prometheus', () => {
  it('queries Prometheus with the provisioned user, password and CA, verifying the URL host name', async () => {
    expect(datasource).toMatchObject({ url: 'https://host.docker.internal:19090', basicAuth: true, jsonData: { tlsAuthWithCACert: true } });
    const answer = await httpsGet(asGrafanaWould(datasource, expandFile(datasource.secureJsonData.tlsCACert)), '/api/v1/query?query=up');
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body).status).toBe('success');
  });

  it('fails when the CA is not the one that signed the collector certificate (verification is on)', async () => {
    const strangerCa = makeTlsFixture(['localhost']).caPem;
    await expect(httpsGet(asGrafanaWould(datasource, strangerCa), '/api/v1/query?query=up')).rejects.toThrow(/self-signed certificate|unable to verify|certificate/i);
  });

  it('is refused with a wrong password', async () => {
    const endpoint = { ...asGrafanaWould(datasource, expandFile(datasource.secureJsonData.tlsCACert)), password: 'not-the-password' };
    expect((await httpsGet(endpoint, '/api/v1/query?query=up')).status).toBe(401);
  });
});
