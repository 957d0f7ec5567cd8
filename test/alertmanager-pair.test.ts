import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFleet } from '../src/config';
import { alertmanagerTargetsFrom, fleetAlertmanagers } from '../src/config/alertmanagers';
import { buildFleetApp } from '../src/fleet/fleet';
import { HubStack } from '../src/fleet/hub-stack';
import { Alertmanager, ALERTMANAGER_PATHS } from '../src/hub/alertmanager';
import { CertificateAuthority } from '../src/constructs/certificate-authority';
import { GeneratedCredentials } from '../src/constructs/credentials';
import { onlyProblem, problemsOf } from './config/helpers';
import { resourcesOf, synthConstructs, synthStack, testApp, uploadedFile } from './support/synth';

/** A fleet whose hub host (ops) and db-1 run the Alertmanager pair. */
const PAIR_FLEET = `hosts:
  - { name: ops, docker: { host: "unix:///var/run/docker.sock" }, addresses: [ops.example.net, 192.0.2.10] }
  - { name: db-1, docker: { host: "ssh://deploy@db-1.example.net" }, addresses: [db-1.example.net, 192.0.2.11] }
  - { name: web-1, docker: { host: "ssh://deploy@web-1.example.net" }, addresses: [web-1.example.net] }
alerting:
  peerHost: db-1
  receivers:
    - { name: hook, type: webhook, url: "https://hooks.example.net/x", secretVariable: alerting_hook_token }
interface: { host: ops }
`;

const containerOn = (synth: ReturnType<typeof synthStack>, provider: string) => {
  const found = resourcesOf(synth, 'docker_container').filter((container) => container.name === 'peekstack-alertmanager' && container.provider === provider);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('an Alertmanager pair (alerting.peerHost)', () => {
  const spec = parseFleet(PAIR_FLEET, 'fleet.yaml');
  const stacks = buildFleetApp(testApp(), spec);
  const hub = synthStack(stacks.hub as HubStack);

  it('every Alertmanager of the fleet: the hub\'s, then the peer, each reached at its host\'s first address or, on its own host, the host gateway', () => {
    expect(fleetAlertmanagers(spec).map((each) => [each.role, each.hostName, each.port])).toEqual([['hub', 'ops', 9093], ['peer', 'db-1', 9093]]);
    expect(alertmanagerTargetsFrom(spec, 'web-1')).toEqual(['ops.example.net:9093', 'db-1.example.net:9093']);
    expect(alertmanagerTargetsFrom(spec, 'db-1')).toEqual(['ops.example.net:9093', 'host.docker.internal:9093']);
    expect(alertmanagerTargetsFrom(spec, 'ops')).toEqual(['host.docker.internal:9093', 'db-1.example.net:9093']);
    expect(fleetAlertmanagers(parseFleet(PAIR_FLEET.replace('  peerHost: db-1\n', ''), 'fleet.yaml')).map((each) => each.role)).toEqual(['hub']);
  });

  it('the hub stack deploys the peer on db-1\'s engine through a second, aliased Docker provider', () => {
    const providers = hub.provider!.docker as { host: string; alias?: string }[];
    expect(providers).toEqual([{ host: 'unix:///var/run/docker.sock' }, { alias: 'alertmanager-peer', host: 'ssh://deploy@db-1.example.net' }]);
    const peer = containerOn(hub, 'docker.alertmanager-peer');
    expect(resourcesOf(hub, 'docker_volume').filter((volume) => volume.name === 'peekstack-alertmanager-data').map((volume) => volume.provider).sort()).toEqual([
      'docker',
      'docker.alertmanager-peer',
    ]);
    expect(peer.volumes).toEqual([expect.objectContaining({ container_path: ALERTMANAGER_PATHS.data })]);
  });

  it('each member gossips over mutual TLS with the other, advertising and publishing its gossip port on its IP address only', () => {
    const members = [
      { container: containerOn(hub, 'docker'), self: '192.0.2.10', other: '192.0.2.11' },
      { container: containerOn(hub, 'docker.alertmanager-peer'), self: '192.0.2.11', other: '192.0.2.10' },
    ];
    for (const { container, self, other } of members) {
      const gossip = (container.command as string[]).filter((arg) => arg.startsWith('--cluster.'));
      expect(gossip).toEqual([
        '--cluster.listen-address=0.0.0.0:9094',
        `--cluster.advertise-address=${self}:9094`,
        `--cluster.tls-config=${ALERTMANAGER_PATHS.clusterTlsConfig}`,
        `--cluster.peer=${other}:9094`,
      ]);
      expect(container.ports).toEqual([
        { internal: 9093, external: 9093, ip: '0.0.0.0', protocol: 'tcp' },
        { internal: 9094, external: 9094, ip: self, protocol: 'tcp' },
      ]);
      const tls = parse(uploadedFile(container, ALERTMANAGER_PATHS.clusterTlsConfig));
      expect(tls.tls_server_config).toMatchObject({ client_auth_type: 'RequireAndVerifyClientCert', client_ca_file: ALERTMANAGER_PATHS.clusterCa });
      expect(tls.tls_client_config).toMatchObject({ cert_file: ALERTMANAGER_PATHS.clusterCertificate, ca_file: ALERTMANAGER_PATHS.clusterCa });
      expect(tls.tls_client_config.insecure_skip_verify).toBeUndefined();
    }
  });

  it('gossip trusts a CA of its own, whose two certificates carry client and server auth for each member\'s IP', () => {
    expect(resourcesOf(hub, 'tls_self_signed_cert').map((ca) => ca.subject[0].common_name).sort()).toEqual(['PeekStack Alertmanager cluster CA', 'PeekStack hub CA']);
    const gossip = resourcesOf(hub, 'tls_locally_signed_cert').filter((cert) => (cert.allowed_uses as string[]).includes('client_auth'));
    expect(gossip).toHaveLength(2);
    for (const cert of gossip) expect(cert.ca_cert_pem).toMatch(/alertmanager-cluster-ca_cert/);
    const requests = resourcesOf(hub, 'tls_cert_request').filter((request) => /gossip/.test(request.subject[0].common_name));
    expect(requests.map((request) => request.ip_addresses).sort()).toEqual([['192.0.2.10'], ['192.0.2.11']]);
    // The peer's HTTPS certificate (hub CA) holds the names collectors reach it at.
    const peerHttps = resourcesOf(hub, 'tls_cert_request').find((request) => request.subject[0].common_name === 'PeekStack Alertmanager (peer)')!;
    expect(peerHttps.dns_names.sort()).toEqual(['db-1', 'db-1.example.net', 'host.docker.internal', 'localhost']);
  });

  it('every collector sends to both; the peer has the same receivers and secrets (variables), and its URL is an output', () => {
    for (const collector of stacks.collectors) {
      const prometheus = resourcesOf(synthStack(collector), 'docker_container').find((container) => container.name === 'peekstack-prometheus')!;
      const config = parse(uploadedFile(prometheus, '/etc/prometheus/prometheus.yml'));
      expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(alertmanagerTargetsFrom(spec, collector.collector.hostName));
    }
    const hubConfig = uploadedFile(containerOn(hub, 'docker'), ALERTMANAGER_PATHS.config);
    expect(uploadedFile(containerOn(hub, 'docker.alertmanager-peer'), ALERTMANAGER_PATHS.config)).toBe(hubConfig);
    expect(JSON.stringify(hub)).not.toMatch(/BEGIN .*PRIVATE KEY/);
    expect(Object.keys(hub.variable ?? {})).toEqual(['alerting_hook_token']);
    expect(hub.output!.alertmanager_peer_url!.value).toBe('https://db-1.example.net:9093');
  });

  it('vmalert on the hub sends to both: the hub\'s Alertmanager on the hub network, the peer at its host\'s address', () => {
    const vmalert = resourcesOf(hub, 'docker_container').find((container) => container.name === 'peekstack-vmalert')!;
    const notifierUrls = (vmalert.command as string[]).filter((flag) => flag.startsWith('-notifier.url='));
    expect(notifierUrls).toEqual(['-notifier.url=https://peekstack-alertmanager:9093', '-notifier.url=https://db-1.example.net:9093']);
    // Each URL carries its own user, password file and CA (vmalert matches the array flags by position).
    for (const flag of ['-notifier.basicAuth.username=', '-notifier.basicAuth.passwordFile=', '-notifier.tlsCAFile=']) {
      expect((vmalert.command as string[]).filter((f) => f.startsWith(flag))).toHaveLength(2);
    }
  });

  it('bad input: an unknown peer host, the hub\'s own host, a gossip port clash on either host, a host without an IP address', () => {
    expect(onlyProblem(PAIR_FLEET.replace('peerHost: db-1', 'peerHost: db-9'))).toMatchObject({ path: 'alerting.peerHost', found: '"db-9"' });
    expect(onlyProblem(PAIR_FLEET.replace('peerHost: db-1', 'peerHost: ops')).allowed).toMatch(/a host other than the hub's \("ops"/);
    // The gossip port on Alertmanager's own HTTPS port: reported for each host of the pair.
    expect(problemsOf(PAIR_FLEET.replace('peerHost: db-1', 'peerHost: db-1\n  clusterPort: 9093')).map((problem) => [problem.path, problem.allowed])).toEqual([
      ['alerting.clusterPort', 'a port not already published on host "ops" (Alertmanager uses 9093)'],
      ['alerting.clusterPort', 'a port not already published on host "db-1" (the peer Alertmanager uses 9093)'],
    ]);
    // On the peer host: the peer's HTTPS port on that host's Prometheus.
    const peerClash = onlyProblem(PAIR_FLEET.replace('addresses: [db-1.example.net, 192.0.2.11] }', 'addresses: [db-1.example.net, 192.0.2.11], ports: { prometheus: 9093 } }'));
    expect(peerClash).toMatchObject({ path: 'alerting.peerHost', found: 'port 9093 for the peer Alertmanager', allowed: expect.stringContaining('"db-1" (Prometheus uses 9093)') });
    expect(onlyProblem(PAIR_FLEET.replace('peerHost: db-1', 'peerHost: web-1')).found).toMatch(/host "web-1" with no IP address/);
  });

  it('the constructs refuse a pair they cannot advertise: a gossip address that is a name, a hub without an IP address', () => {
    const cluster = (address: string) => () =>
      synthConstructs((scope) => {
        const ca = new CertificateAuthority(scope, 'ca', { commonName: 'test CA' });
        new Alertmanager(scope, 'am', {
          certificate: ca.issueServerCertificate('server-cert', 'am', ['localhost']),
          credentials: new GeneratedCredentials(scope, 'credentials', { field: 'Alertmanager', username: 'prometheus' }),
          receivers: [{ name: 'hook', kind: 'webhook', url: 'https://hooks.example.net/x' }],
          cluster: { address, peers: ['192.0.2.11:9094'], certificate: ca.issuePeerCertificate('gossip-cert', 'am', [address]), caCertificatePem: ca.certificatePem },
        });
      });
    expect(cluster('db-1.example.net')).toThrow(/Alertmanager\.cluster\.address.*an IP address/);
    expect(cluster('192.0.2.10')).not.toThrow();
    const peer = { hostName: 'db-1', addresses: ['192.0.2.11'], gossipAddress: '192.0.2.11', docker: { host: 'unix:///var/run/docker.sock' } };
    const receivers = [{ name: 'hook', kind: 'webhook' as const, url: 'https://hooks.example.net/x' }];
    expect(() => new HubStack(testApp(), 'hub', { hostName: 'ops', addresses: ['ops.example.net'], alertmanager: { receivers, peer } })).toThrow(/HubStack\.alertmanager\.gossipAddress/);
    const named = synthStack(new HubStack(testApp(), 'hub', { hostName: 'ops', addresses: ['ops.example.net'], alertmanager: { receivers, peer, gossipAddress: '192.0.2.10', clusterPort: 19094 } }));
    expect(containerOn(named, 'docker').command).toContain('--cluster.advertise-address=192.0.2.10:19094');
    expect(containerOn(named, 'docker.alertmanager-peer').command).toContain('--cluster.peer=192.0.2.10:19094');
  });
});
