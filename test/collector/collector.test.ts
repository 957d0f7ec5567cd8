import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector';
import { DEFAULT_IMAGES } from '../../src/core/images';
import { PeekStackValidationError } from '../../src/core/errors';
import { containerNamed, resourcesOf, synthConstructs, uploadedFile } from '../support/synth';
import type { UntypedJson } from '../support/untyped-json';

const build = (props: Partial<ConstructorParameters<typeof Collector>[2]> = {}) =>
  synthConstructs((scope) => new Collector(scope, 'collector', { hostName: 'host-a', addresses: ['192.0.2.10', 'host-a.example'], ...props }));

describe('Collector', () => {
  const synth = build();
  const containers = resourcesOf(synth, 'docker_container');

  it('deploys the five containers with pinned images', () => {
    expect(containers.map((c) => c.name).sort()).toEqual(
      ['peekstack-blackbox', 'peekstack-cadvisor', 'peekstack-node-exporter', 'peekstack-prometheus', 'peekstack-scaphandre'],
    );
    const images = resourcesOf(synth, 'docker_image').map((image) => image.name).sort();
    expect(images).toEqual(
      [DEFAULT_IMAGES.blackboxExporter, DEFAULT_IMAGES.cadvisor, DEFAULT_IMAGES.nodeExporter, DEFAULT_IMAGES.prometheus, DEFAULT_IMAGES.scaphandre].sort(),
    );
    for (const image of images) expect(image).not.toMatch(/:latest$/);
    expect(DEFAULT_IMAGES.cadvisor).toMatch(/^ghcr\.io\/google\/cadvisor:v/);
  });

  it('publishes only the Prometheus HTTPS port, 19090 by default', () => {
    const published = containers.filter((c) => c.ports?.length);
    expect(published.map((c) => c.name)).toEqual(['peekstack-prometheus']);
    expect(published[0].ports).toEqual([{ internal: 9090, external: 19090, ip: '0.0.0.0', protocol: 'tcp' }]);
  });

  it('keeps cAdvisor, Scaphandre and Prometheus on a private bridge network', () => {
    const [network] = resourcesOf(synth, 'docker_network');
    expect(network).toMatchObject({ name: 'peekstack-collector', driver: 'bridge' });
    for (const name of ['peekstack-cadvisor', 'peekstack-scaphandre', 'peekstack-prometheus']) {
      const networks = containerNamed(synth, name).networks_advanced;
      expect(networks).toHaveLength(1);
      expect(networks[0].name).toMatch(/^\$\{docker_network\..+\.name\}$/);
    }
  });

  it('runs node_exporter in the host network and PID namespaces, behind TLS and basic auth', () => {
    const node = containerNamed(synth, 'peekstack-node-exporter');
    expect(node.network_mode).toBe('host');
    expect(node.pid_mode).toBe('host');
    expect(node.user).toBe('0:0'); // RAPL counters are root-only
    expect(node.privileged).toBeUndefined();
    expect(node.mounts).toEqual([
      { type: 'bind', source: '/', target: '/host', read_only: true, bind_options: { propagation: 'rslave' } },
    ]);
    expect(node.command).toEqual(expect.arrayContaining(['--path.rootfs=/host', '--path.sysfs=/host/sys', '--web.listen-address=:9100', '--web.config.file=/etc/node_exporter/web-config.yml', '--no-collector.textfile']));
    expect(node.command).toContain('--no-collector.systemd');
    const webConfig = uploadedFile(node, '/etc/node_exporter/web-config.yml');
    expect(webConfig).toContain('min_version: "TLS12"');
    expect(webConfig).toMatch(/prometheus: "\$\{random_password\.[^}]+\.bcrypt_hash\}"/);
    expect(uploadedFile(node, '/etc/node_exporter/tls/server.key')).toMatch(/^\$\{tls_private_key\.[^}]+\.private_key_pem\}$/);
  });

  it('runs cAdvisor with the cheap flags, its mounts and /dev/kmsg', () => {
    const cadvisor = containerNamed(synth, 'peekstack-cadvisor');
    expect(cadvisor.command).toEqual([
      '--port=8080',
      '--docker_only=true',
      '--housekeeping_interval=10s',
      '--enable_metrics=cpu,memory,network,oom_event',
      '--store_container_labels=false',
      '--whitelisted_container_labels=com.docker.compose.project,com.docker.compose.service,peekstack.component',
    ]);
    expect(cadvisor.privileged).toBe(true);
    expect(cadvisor.devices).toEqual([{ host_path: '/dev/kmsg', container_path: '/dev/kmsg' }]);
    expect(cadvisor.volumes.map((v: UntypedJson) => `${v.host_path}:${v.container_path}:${v.read_only ? 'ro' : 'rw'}`)).toEqual([
      '/:/rootfs:ro',
      '/var/run:/var/run:ro',
      '/sys:/sys:ro',
      '/var/lib/docker:/var/lib/docker:ro',
    ]);
  });

  it('runs Scaphandre with powercap_rapl, --containers, privileges and the mounts it needs', () => {
    const scaphandre = containerNamed(synth, 'peekstack-scaphandre');
    expect(scaphandre.command).toEqual(['--sensor', 'powercap_rapl', 'prometheus', '--address', '0.0.0.0', '--port', '8080', '--containers']);
    expect(scaphandre.privileged).toBe(true);
    expect(scaphandre.pid_mode).toBe('host');
    expect(scaphandre.volumes).toEqual([
      { host_path: '/sys/class/powercap', container_path: '/sys/class/powercap', read_only: true },
      { host_path: '/var/run/docker.sock', container_path: '/var/run/docker.sock', read_only: true },
    ]);
  });

  it('runs Prometheus with its web config, retention and the TSDB on a named volume', () => {
    const prometheus = containerNamed(synth, 'peekstack-prometheus');
    expect(prometheus.command).toEqual([
      '--config.file=/etc/prometheus/prometheus.yml',
      '--web.config.file=/etc/prometheus/web-config.yml',
      '--web.listen-address=:9090',
      '--storage.tsdb.path=/prometheus',
      '--storage.tsdb.retention.time=15d',
      '--storage.tsdb.retention.size=10GB',
    ]);
    const [volume] = resourcesOf(synth, 'docker_volume');
    expect(volume.name).toBe('peekstack-prometheus-data');
    expect(prometheus.volumes).toEqual([{ volume_name: expect.stringMatching(/^\$\{docker_volume\..+\.name\}$/), container_path: '/prometheus' }]);
    expect(prometheus.host).toEqual([{ host: 'host.docker.internal', ip: 'host-gateway' }]);
    expect(prometheus.upload.map((u: UntypedJson) => u.file).sort()).toEqual([
      '/etc/prometheus/healthcheck.yml',
      '/etc/prometheus/prometheus.yml',
      '/etc/prometheus/rules/energy.rules.yml',
      '/etc/prometheus/rules/peekstack.rules.yml',
      '/etc/prometheus/rules/platform-power.rules.yml',
      '/etc/prometheus/rules/power-split.rules.yml',
      '/etc/prometheus/secrets/node.password',
      '/etc/prometheus/secrets/prometheus.password',
      '/etc/prometheus/tls/node-ca.crt',
      '/etc/prometheus/tls/prometheus-ca.crt',
      '/etc/prometheus/tls/server.crt',
      '/etc/prometheus/tls/server.key',
      '/etc/prometheus/web-config.yml',
    ]);
    const webConfig = uploadedFile(prometheus, '/etc/prometheus/web-config.yml');
    expect(webConfig).toMatch(/peekstack: "\$\{random_password\.[^}]+\.bcrypt_hash\}"/);
    // Its health check: promtool in the image, over HTTPS, with the self-scrape's CA and password file.
    expect(prometheus.healthcheck.test).toEqual(['CMD', 'promtool', 'check', 'healthy', '--url=https://localhost:9090', '--http.config.file=/etc/prometheus/healthcheck.yml']);
    expect(parse(uploadedFile(prometheus, '/etc/prometheus/healthcheck.yml'))).toEqual({
      basic_auth: { username: 'peekstack', password_file: '/etc/prometheus/secrets/prometheus.password' },
      tls_config: { ca_file: '/etc/prometheus/tls/prometheus-ca.crt', server_name: 'localhost', min_version: 'TLS12' },
    });
  });

  it('hardens every container as far as its component allows, each exception on purpose', () => {
    const synth = build();
    const settings = Object.fromEntries(
      resourcesOf(synth, 'docker_container').map((c) => [c.name, { memory: c.memory, swap: c.memory_swap, opts: c.security_opts, caps: c.capabilities, privileged: c.privileged ?? false, readOnly: c.read_only ?? false }]),
    );
    expect(settings).toEqual({
      'peekstack-prometheus': { memory: 2048, swap: 2048, opts: ['no-new-privileges:true'], caps: { drop: ['ALL'] }, privileged: false, readOnly: false },
      'peekstack-node-exporter': { memory: 128, swap: 128, opts: ['no-new-privileges:true'], caps: { drop: ['ALL'] }, privileged: false, readOnly: false },
      // Privileged: capabilities cannot be dropped, and none are listed.
      'peekstack-cadvisor': { memory: 512, swap: 512, opts: ['no-new-privileges:true'], caps: undefined, privileged: true, readOnly: false },
      'peekstack-scaphandre': { memory: 256, swap: 256, opts: ['no-new-privileges:true'], caps: undefined, privileged: true, readOnly: false },
      'peekstack-blackbox': { memory: 64, swap: 64, opts: ['no-new-privileges:true'], caps: { drop: ['ALL'] }, privileged: false, readOnly: false },
    });
  });

  it('labels every container with its component, restarts them unless stopped, bounds their logs', () => {
    for (const container of containers) {
      expect(container.log_driver).toBe('json-file');
      expect(container.log_opts).toEqual({ 'max-size': '10m', 'max-file': '3' });
      expect(container.labels).toEqual([{ label: 'peekstack.component', value: expect.any(String) }]);
      expect(container.restart).toBe('unless-stopped');
    }
  });

  it('puts the host addresses and localhost into the Prometheus certificate', () => {
    const requests = resourcesOf(synth, 'tls_cert_request');
    const prometheusCsr = requests.find((r) => r.subject[0].common_name === 'host-a Prometheus');
    expect(prometheusCsr?.dns_names).toEqual(['host-a.example', 'host-a', 'host.docker.internal', 'localhost']);
    expect(prometheusCsr?.ip_addresses).toEqual(['192.0.2.10', '127.0.0.1']);
    const [ca] = resourcesOf(synth, 'tls_self_signed_cert');
    expect(ca.is_ca_certificate).toBe(true);
  });

  it('writes no password, hash or private key in plain text', () => {
    const text = JSON.stringify(synth);
    expect(text).not.toMatch(/-----BEGIN/);
    expect(text).not.toMatch(/\$2[aby]\$/);
    for (const password of resourcesOf(synth, 'random_password')) expect(password.length).toBeGreaterThanOrEqual(32);
    // Every secret-bearing upload is a reference to a Terraform resource, never a literal.
    for (const container of containers) {
      for (const upload of container.upload ?? []) {
        if (/password|\.key$/.test(upload.file)) expect(upload.content).toMatch(/^\$\{(random_password|tls_private_key)\./);
      }
    }
  });

  it('lets exporters be switched off and images be overridden', () => {
    const small = build({ cadvisor: { enabled: false }, scaphandre: { enabled: false }, prometheus: { image: 'prom/prometheus:v3.5.1' } });
    expect(resourcesOf(small, 'docker_container').map((c) => c.name).sort()).toEqual(['peekstack-blackbox', 'peekstack-node-exporter', 'peekstack-prometheus']);
    expect(resourcesOf(small, 'docker_image').map((i) => i.name)).toContain('prom/prometheus:v3.5.1');
  });
});

describe('Collector bad input', () => {
  const cases: [string, Partial<ConstructorParameters<typeof Collector>[2]>, RegExp][] = [
    ['a port out of range', { prometheus: { publishedPort: 70000 } }, /^Prometheus\.publishedPort: got 70000; expected an integer TCP port from 1 to 65535$/],
    ['a Scaphandre interval under the floor', { scaphandre: { scrapeIntervalSeconds: 2 } }, /^Scaphandre\.scrapeIntervalSeconds: got 2; expected at least 3 seconds: Scaphandre refreshes its readings only when more than 2 s have passed/],
    ['a global interval under the Scaphandre floor', { prometheus: { scrapeIntervalSeconds: 2 } }, /^Prometheus\.scrapeIntervalSeconds \(used by job "scaphandre"\): got 2; expected an integer from 3 to 3600 seconds: job "scaphandre" must not be scraped more often than every 3 s$/],
    ['a timeout over the interval', { prometheus: { scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 6 } }, /^Prometheus\.scrapeTimeoutSeconds: got 6; expected at most the scrape interval \(5 s\), Prometheus\.scrapeIntervalSeconds/],
    ['an empty user name', { prometheus: { username: '' } }, /^Collector\.prometheus\.username: got ""; expected a non-empty string/],
    ['a malformed image', { nodeExporter: { image: 'Prom/Node Exporter' } }, /^NodeExporter\.image: got "Prom\/Node Exporter"; expected an image reference pinned to a version/],
    ['an image on latest', { cadvisor: { image: 'ghcr.io/google/cadvisor:latest' } }, /^Cadvisor\.image: got "ghcr.io\/google\/cadvisor:latest"/],
    ['an untagged image', { scaphandre: { image: 'hubblo/scaphandre' } }, /^Scaphandre\.image: got "hubblo\/scaphandre"/],
    ['no address', { addresses: [] }, /^Collector\.addresses: got \[\]; expected at least one DNS name or IP address/],
    ['a bad host name', { hostName: 'Host_A' }, /^Collector\.hostName: got "Host_A"; expected lower-case letters/],
    ['a literal password', { prometheus: { password: { password: 'hunter2', passwordBcryptHash: 'x' } } }, /^Collector\.prometheus\.password: got "<a literal secret, not shown>"; expected a Terraform token/],
  ];
  it.each(cases)('refuses %s with a message naming field, value and what is allowed', (_name, props, message) => {
    expect(() => build(props)).toThrow(PeekStackValidationError);
    expect(() => build(props)).toThrow(message);
  });

  it('never echoes a literal secret in the error', () => {
    expect(() => build({ prometheus: { password: { password: 'hunter2', passwordBcryptHash: 'x' } } })).not.toThrow(/hunter2/);
  });
});
