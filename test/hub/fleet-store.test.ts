import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CertificateAuthority } from '../../src/constructs/certificate-authority';
import { FleetStore, FleetStoreProps, fleetDatasource, fleetRemoteWrite, FLEET_REMOTE_WRITE_QUEUE } from '../../src/hub/fleet-store';
import { DEFAULT_IMAGES } from '../../src/core/images';
import { VMAUTH_READ_PATHS } from '../../src/render/vmauth-config';
import { containerNamed, resourcesOf, synthConstructs, uploadedFile } from '../support/synth';

function synthStore(props: Partial<FleetStoreProps> = {}) {
  let store: FleetStore | undefined;
  const synth = synthConstructs((scope) => {
    const ca = new CertificateAuthority(scope, 'ca', { commonName: 'hub CA' });
    store = new FleetStore(scope, 'store', {
      addresses: ['hub.example.net', '192.0.2.5'],
      certificate: ca.issueServerCertificate('server-cert', 'store', ['hub.example.net']),
      caCertificatePem: ca.certificatePem,
      networkName: 'peekstack-hub',
      ...props,
    });
  });
  return { synth, store: store! };
}

describe('FleetStore', () => {
  const { synth, store } = synthStore();
  const vm = containerNamed(synth, 'peekstack-victoria-metrics');
  const vmauth = containerNamed(synth, 'peekstack-vmauth');

  it('runs VictoriaMetrics single-node, pinned, on a named volume, with retention and dedup, reachable only on the hub network', () => {
    expect(resourcesOf(synth, 'docker_image').map((image) => image.name).sort()).toEqual([DEFAULT_IMAGES.victoriaMetrics, DEFAULT_IMAGES.vmauth].sort());
    expect(DEFAULT_IMAGES.vmauth.split(':')[1]).toBe(DEFAULT_IMAGES.victoriaMetrics.split(':')[1]); // same release
    expect(vm.command).toEqual(['-storageDataPath=/victoria-metrics-data', '-httpListenAddr=:8428', '-retentionPeriod=90d', '-dedup.minScrapeInterval=15s']);
    expect(vm.ports).toBeUndefined();
    expect(vm.networks_advanced).toEqual([{ name: 'peekstack-hub', aliases: ['peekstack-victoria-metrics'] }]);
    expect(vm.volumes).toEqual([{ volume_name: expect.stringMatching(/^\$\{docker_volume\.store_data_[0-9A-F]+\.name\}$/), container_path: '/victoria-metrics-data' }]);
    expect(resourcesOf(synth, 'docker_volume').map((volume) => volume.name)).toEqual(['peekstack-fleet-store-data']);
  });

  it('publishes only vmauth, over HTTPS with the hub CA\'s certificate, its internal API kept inside the container', () => {
    expect(vmauth.ports).toEqual([{ internal: 8427, external: 18427, ip: '0.0.0.0', protocol: 'tcp' }]);
    expect(vmauth.command).toEqual(expect.arrayContaining(['-tls', '-tlsCertFile=/etc/vmauth/tls/server.crt', '-tlsKeyFile=/etc/vmauth/tls/server.key', '-tlsMinVersion=TLS12', '-httpInternalListenAddr=127.0.0.1:8426']));
    expect(uploadedFile(vmauth, '/etc/vmauth/tls/server.crt')).toMatch(/^\$\{tls_locally_signed_cert\./);
  });

  it('routes the writer to /api/v1/write only and the reader to the query API only; passwords are Terraform references', () => {
    const config = parse(uploadedFile(vmauth, '/etc/vmauth/auth.yml'));
    expect(config.users.map((user: { username: string; url_map: { src_paths: string[]; url_prefix: string }[] }) => [user.username, user.url_map[0]!.src_paths, user.url_map[0]!.url_prefix])).toEqual([
      ['peekstack-writer', ['/api/v1/write'], 'http://peekstack-victoria-metrics:8428'],
      ['peekstack-reader', [...VMAUTH_READ_PATHS], 'http://peekstack-victoria-metrics:8428'],
    ]);
    expect(config.users[0].password).toMatch(/^\$\{random_password\.store_writer-credentials_password_[0-9A-F]+\.result\}$/);
    expect(config.users[1].password).toMatch(/^\$\{random_password\.store_reader-credentials_password_[0-9A-F]+\.result\}$/);
    expect(VMAUTH_READ_PATHS.some((path) => /write|import|admin|delete/.test(path))).toBe(false);
  });

  it('gives collectors a write target and Grafana a read target, through the host gateway when on the same host', () => {
    expect(fleetRemoteWrite(store.writeTarget())).toMatchObject({
      name: 'fleet',
      url: 'https://hub.example.net:18427/api/v1/write',
      basicAuth: { username: 'peekstack-writer', password: store.writer.password },
      caCertificatePem: store.caCertificatePem,
      queue: FLEET_REMOTE_WRITE_QUEUE,
    });
    expect(store.writeTarget(true).url).toBe('https://host.docker.internal:18427/api/v1/write');
    expect(fleetDatasource(store.readTarget())).toMatchObject({
      name: 'PeekStack fleet',
      uid: 'peekstack-fleet',
      isDefault: true,
      url: 'https://hub.example.net:18427',
      basicAuth: { username: 'peekstack-reader', password: store.reader.password },
      scrapeIntervalSeconds: 15,
    });
  });

  it('takes retention, dedup interval, port and images as props', () => {
    const custom = synthStore({ retentionDays: 400, dedupMinScrapeIntervalSeconds: 30, publishedPort: 8443, image: 'victoriametrics/victoria-metrics:v1.146.0', vmauthImage: 'victoriametrics/vmauth:v1.146.0' });
    expect(containerNamed(custom.synth, 'peekstack-victoria-metrics').command).toEqual(expect.arrayContaining(['-retentionPeriod=400d', '-dedup.minScrapeInterval=30s']));
    expect(containerNamed(custom.synth, 'peekstack-vmauth').ports[0].external).toBe(8443);
  });

  it('refuses bad props, naming the field', () => {
    expect(() => synthStore({ retentionDays: 0 })).toThrow(/FleetStore.retentionDays: got 0/);
    expect(() => synthStore({ image: 'victoriametrics/victoria-metrics:latest' })).toThrow(/FleetStore.image/);
    expect(() => synthStore({ addresses: [] })).toThrow(/FleetStore.addresses/);
    expect(() => synthStore({ dedupMinScrapeIntervalSeconds: 0 })).toThrow(/FleetStore.dedupMinScrapeIntervalSeconds/);
  });
});
