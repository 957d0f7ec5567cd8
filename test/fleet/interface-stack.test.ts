import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CollectorStack } from '../../src/fleet/collector-stack';
import { InterfaceStack } from '../../src/fleet/interface-stack';
import { DEFAULT_IMAGES } from '../../src/core/images';
import { containerNamed, resourcesOf, synthStack, testApp, uploadedFile } from '../support/synth';

/** Two collectors and an interface on the first host's machine. */
function fleet(grafana: ConstructorParameters<typeof InterfaceStack>[2]['grafana'] = {}) {
  const app = testApp();
  const a = new CollectorStack(app, 'collector-a', { hostName: 'a', addresses: ['192.0.2.1'] });
  const b = new CollectorStack(app, 'collector-b', { hostName: 'b', addresses: ['b.example'], prometheus: { scrapeIntervalSeconds: 30 } });
  const ui = new InterfaceStack(app, 'interface', { collectors: [a.collector, b.collector], colocatedCollector: a.collector, grafana });
  return { app, a, b, ui, synth: synthStack(ui) };
}

describe('InterfaceStack', () => {
  const { synth } = fleet();
  const grafana = containerNamed(synth, 'peekstack-grafana');

  it('runs the pinned Grafana image, published on 13000, with its data on a named volume', () => {
    expect(resourcesOf(synth, 'docker_image').map((i) => i.name)).toEqual([DEFAULT_IMAGES.grafana]);
    expect(grafana.ports).toEqual([{ internal: 3000, external: 13000, ip: '0.0.0.0', protocol: 'tcp' }]);
    expect(resourcesOf(synth, 'docker_volume').map((v) => v.name)).toEqual(['peekstack-grafana-data']);
    expect(grafana.volumes).toEqual([{ volume_name: expect.stringMatching(/^\$\{docker_volume\./), container_path: '/var/lib/grafana' }]);
  });

  it('turns anonymous access and sign-up off and reads the admin password from a file', () => {
    expect(grafana.env).toEqual(
      expect.arrayContaining([
        'GF_AUTH_ANONYMOUS_ENABLED=false',
        'GF_USERS_ALLOW_SIGN_UP=false',
        'GF_SECURITY_ADMIN_USER=admin',
        'GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/peekstack/grafana-admin-password',
      ]),
    );
    expect(grafana.env.some((e: string) => e.startsWith('GF_SECURITY_ADMIN_PASSWORD='))).toBe(false);
    expect(uploadedFile(grafana, '/run/secrets/peekstack/grafana-admin-password')).toMatch(/^\$\{random_password\.[^}]+\.result\}$/);
  });

  it('serves the UI over HTTPS with a certificate for the interface host\'s addresses', () => {
    expect(grafana.env).toEqual(
      expect.arrayContaining([
        'GF_SERVER_PROTOCOL=https',
        'GF_SERVER_CERT_FILE=/etc/grafana/tls/server.crt',
        'GF_SERVER_CERT_KEY=/etc/grafana/tls/server.key',
        'GF_SECURITY_COOKIE_SECURE=true',
      ]),
    );
    expect(uploadedFile(grafana, '/etc/grafana/tls/server.key')).toMatch(/^\$\{tls_private_key\.[^}]+\.private_key_pem\}$/);
    const csr = resourcesOf(synth, 'tls_cert_request').find((r) => r.subject[0].common_name === 'PeekStack Grafana');
    expect(csr?.ip_addresses).toEqual(['192.0.2.1', '127.0.0.1']);
    expect(csr?.dns_names).toEqual(['localhost']);
  });

  it('resets the admin password on every start, so it also applies to an existing data volume', () => {
    expect(grafana.entrypoint[0]).toBe('/bin/sh');
    expect(grafana.entrypoint[2]).toMatch(/^grafana cli .* admin reset-admin-password --password-from-stdin < \/run\/secrets\/peekstack\/grafana-admin-password .*; exec \/run\.sh$/);
  });

  it('provisions one CA-verified, basic-auth datasource per collector', () => {
    const provisioning = parse(uploadedFile(grafana, '/etc/grafana/provisioning/datasources/peekstack.yml'));
    expect(provisioning.apiVersion).toBe(1);
    expect(provisioning.prune).toBe(true);
    expect(provisioning.datasources).toEqual([
      {
        name: 'PeekStack a',
        uid: 'peekstack-a',
        type: 'prometheus',
        access: 'proxy',
        // Host a runs Grafana too: reached through the Docker host gateway, a name in its certificate.
        url: 'https://host.docker.internal:19090',
        isDefault: true,
        editable: false,
        basicAuth: true,
        basicAuthUser: 'peekstack',
        jsonData: { httpMethod: 'POST', timeInterval: '15s', tlsAuthWithCACert: true },
        secureJsonData: {
          basicAuthPassword: '$__file{/run/secrets/peekstack/peekstack-a.password}',
          tlsCACert: '$__file{/etc/grafana/tls/peekstack-a-ca.crt}',
        },
      },
      expect.objectContaining({
        uid: 'peekstack-b',
        url: 'https://b.example:19090',
        isDefault: false,
        jsonData: { httpMethod: 'POST', timeInterval: '30s', tlsAuthWithCACert: true },
      }),
    ]);
    for (const source of provisioning.datasources) expect(source.jsonData.tlsSkipVerify).toBeUndefined();
  });

  it('gets each collector\'s password and CA through cross-stack references, never as text', () => {
    const remote = Object.keys(synth.data?.terraform_remote_state ?? {});
    expect(remote.sort()).toEqual(['cross-stack-reference-input-collector-a', 'cross-stack-reference-input-collector-b']);
    for (const host of ['a', 'b']) {
      expect(uploadedFile(grafana, `/run/secrets/peekstack/peekstack-${host}.password`)).toMatch(
        new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-collector-${host}\\.outputs\\.[^}]+\\}$`),
      );
      expect(uploadedFile(grafana, `/etc/grafana/tls/peekstack-${host}-ca.crt`)).toMatch(/^\$\{data\.terraform_remote_state\./);
    }
    const text = JSON.stringify(synth);
    expect(text).not.toMatch(/-----BEGIN/);
  });

  it('provisions the three dashboards from files, not editable in the UI', () => {
    const provider = parse(uploadedFile(grafana, '/etc/grafana/provisioning/dashboards/peekstack.yml'));
    expect(provider.providers).toEqual([
      expect.objectContaining({ type: 'file', folder: 'PeekStack', disableDeletion: true, allowUiUpdates: false, options: { path: '/etc/grafana/dashboards/peekstack', foldersFromFilesStructure: false } }),
    ]);
    const uids = ['peekstack-system', 'peekstack-containers', 'peekstack-power'];
    for (const uid of uids) {
      const dashboard = JSON.parse(uploadedFile(grafana, `/etc/grafana/dashboards/peekstack/${uid}.json`));
      expect(dashboard.uid).toBe(uid);
    }
  });

  it('exposes the admin password as a sensitive output only', () => {
    expect(synth.output?.grafana_admin_password).toEqual(expect.objectContaining({ sensitive: true }));
    expect(synth.output?.grafana_url?.value).toBe('https://192.0.2.1:13000');
    expect(synth.output?.grafana_ca_certificate?.value).toMatch(/^\$\{tls_self_signed_cert\./);
  });

  it('marks the collector outputs that feed the interface as sensitive', () => {
    const { a } = fleet();
    const collectorSynth = synthStack(a);
    const crossOutputs = Object.entries(collectorSynth.output ?? {}).filter(([name]) => name.startsWith('cross-stack-output-'));
    expect(crossOutputs.length).toBeGreaterThanOrEqual(2);
    for (const [, output] of crossOutputs) expect(output.sensitive).toBe(true);
  });

  it('skips TLS verification only when explicitly asked to', () => {
    const { synth: insecure } = fleet({ insecureSkipTlsVerify: true });
    const provisioning = parse(uploadedFile(containerNamed(insecure, 'peekstack-grafana'), '/etc/grafana/provisioning/datasources/peekstack.yml'));
    for (const source of provisioning.datasources) {
      expect(source.jsonData).toEqual({ httpMethod: 'POST', timeInterval: expect.any(String), tlsSkipVerify: true });
      expect(source.secureJsonData.tlsCACert).toBeUndefined();
    }
  });
});

describe('InterfaceStack bad input', () => {
  it('refuses an interface without collectors', () => {
    const app = testApp();
    expect(() => new InterfaceStack(app, 'interface', { collectors: [] })).toThrow(
      /^Grafana\.sources: got \[\]; expected at least one collector/,
    );
  });

  it('refuses two collectors with the same host name (duplicate datasource uid)', () => {
    const app = testApp();
    const a = new CollectorStack(app, 'collector-a', { hostName: 'same', addresses: ['192.0.2.1'] });
    const b = new CollectorStack(app, 'collector-b', { hostName: 'same', addresses: ['192.0.2.2'] });
    expect(() => new InterfaceStack(app, 'interface', { collectors: [a.collector, b.collector] })).toThrow(
      /^Grafana\.sources: got "peekstack-same"; expected a distinct datasource uid per collector/,
    );
  });

  it('refuses a Grafana port that a collector on the same host already publishes', () => {
    const app = testApp();
    const a = new CollectorStack(app, 'collector-a', { hostName: 'a', addresses: ['192.0.2.1'] });
    expect(() => new InterfaceStack(app, 'interface', { collectors: [a.collector], colocatedCollector: a.collector, grafana: { publishedPort: 19090 } })).toThrow(
      /^Grafana\.publishedPort: got 19090; expected a port not already published on this host \(collector "a" Prometheus uses 19090\)$/,
    );
    expect(() => new InterfaceStack(app, 'interface-2', { collectors: [a.collector], colocatedCollector: a.collector, grafana: { publishedPort: 9100 } })).toThrow(
      /node_exporter uses 9100/,
    );
  });

  it('refuses a Grafana port out of range and a literal admin password', () => {
    const app = testApp();
    const a = new CollectorStack(app, 'collector-a', { hostName: 'a', addresses: ['192.0.2.1'] });
    expect(() => new InterfaceStack(app, 'i1', { collectors: [a.collector], grafana: { publishedPort: 0 } })).toThrow(/^Grafana\.publishedPort: got 0; expected an integer TCP port/);
    expect(() => new InterfaceStack(app, 'i2', { collectors: [a.collector], grafana: { adminPassword: 'admin' } })).toThrow(/^Grafana\.adminPassword: got "<a literal secret, not shown>"/);
  });
});
