import { describe, expect, it } from 'vitest';
import { isAbsolute } from 'node:path';
import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from 'cdktf';
import { CollectorStack, CollectorStackProps, CollectorStackStandIn } from '../../src/fleet/collector-stack';
import { MonitoringComponent } from '../../src/components/component';
import { synthStack, testApp } from '../support/synth';

const synthWith = (props: Partial<CollectorStackProps> = {}) =>
  synthStack(new CollectorStack(testApp(), 'collector-a', { hostName: 'a', addresses: ['192.0.2.1'], ...props }));

describe('CollectorStack', () => {
  it('uses the local Docker socket by default', () => {
    expect(synthWith().provider?.docker).toEqual([{ host: 'unix:///var/run/docker.sock' }]);
  });

  it('reaches a remote engine over ssh or over tcp with TLS client certificates', () => {
    expect(synthWith({ docker: { host: 'ssh://ops@a.example:2222', sshOpts: ['-o', 'StrictHostKeyChecking=yes'] } }).provider?.docker).toEqual([
      { host: 'ssh://ops@a.example:2222', ssh_opts: ['-o', 'StrictHostKeyChecking=yes'] },
    ]);
    expect(synthWith({ docker: { host: 'tcp://a.example:2376', certPath: 'certs/a' } }).provider?.docker).toEqual([
      { host: 'tcp://a.example:2376', cert_path: 'certs/a' },
    ]);
  });

  it('keeps its state in a local file at a relative path, one per stack', () => {
    const backend = synthWith().terraform.backend;
    expect(backend).toEqual({ local: { path: '../../../terraform.collector-a.tfstate' } });
    expect(isAbsolute(backend.local.path)).toBe(false);
  });

  it('outputs the URL, user and CA, and the password as sensitive', () => {
    const output = synthWith().output!;
    expect(output.prometheus_url.value).toBe('https://192.0.2.1:19090');
    expect(output.prometheus_username.value).toBe('peekstack');
    expect(output.prometheus_password).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{random_password\./) }));
    expect(output.prometheus_ca_certificate.value).toMatch(/^\$\{tls_self_signed_cert\./);
  });

  it.each([
    ['an unknown scheme', { host: 'http://a.example:2375' }, /^CollectorStack\.docker\.host: got "http:\/\/a\.example:2375"; expected a Docker endpoint with scheme unix:\/\/, ssh:\/\/ or tcp:\/\/$/],
    ['tcp without client certificates', { host: 'tcp://a.example:2376' }, /^CollectorStack\.docker\.certPath: got nothing; expected a directory with ca\.pem, cert\.pem and key\.pem/],
    ['a malformed ssh endpoint', { host: 'ssh://a.example' }, /^CollectorStack\.docker\.host: got "ssh:\/\/a\.example"; expected ssh:\/\/user@host/],
    ['a relative unix socket', { host: 'unix://docker.sock' }, /^CollectorStack\.docker\.host: got "unix:\/\/docker\.sock"; expected unix:\/\/\/absolute/],
  ])('refuses %s', (_name, docker, message) => {
    expect(() => synthWith({ docker })).toThrow(message);
  });
});

describe('CollectorStackStandIn', () => {
  /** A token as it resolves in `stack`: a reference reads `${<resource>.<attribute>}`. */
  const resolvedIn = (stack: TerraformStack, token: string) => Tokenization.resolve(token, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });

  it.each(['generate', 'variables'] as const)('reads as the whole collector stack of the host: the same values, references to the same resources (secrets: %s)', (secrets) => {
    const settings: Omit<CollectorStackProps, 'hostName' | 'addresses'> = {
      secrets,
      backend: { type: 's3', bucket: 'state', key: 'fleet/{stack}.tfstate', region: 'eu-west-1' },
      prometheus: { publishedPort: 19191, scrapeIntervalSeconds: 30 },
      nodeExporter: { port: 9191 },
      cadvisor: { enabled: false },
      alertThresholds: { diskFullPercent: 80 },
    };
    const whole = new CollectorStack(testApp(), 'collector-a', { hostName: 'a', addresses: ['a.example', '2001:db8::1'], ...settings });
    // The model: another host with the same settings, in a tree of its own.
    const like = new CollectorStack(testApp(), 'collector-b', { hostName: 'b', addresses: ['b.example'], ...settings });
    const standIn = new CollectorStackStandIn(testApp(), 'collector-a', { hostName: 'a', addresses: ['a.example', '2001:db8::1'], backend: settings.backend, secrets, like: like.collector });
    const view = standIn.collector;
    expect(view.prometheusUrl).toBe(whole.collector.prometheusUrl);
    expect([view.hostName, view.addresses, view.credentials.username]).toEqual([whole.collector.hostName, whole.collector.addresses, whole.collector.credentials.username]);
    expect([view.prometheus.publishedPort, view.prometheus.scrapeIntervalSeconds, view.nodeExporter?.port]).toEqual([19191, 30, 9191]);
    // What the interface reads of components: their dashboards, metrics and rules (not the targets).
    const read = (components: readonly MonitoringComponent[]) => JSON.stringify(components.map(({ name, dashboards, metrics, ruleGroups }) => ({ name, dashboards, metrics, ruleGroups })));
    expect(read(view.components)).toBe(read(whole.collector.components));
    expect(view.components.map((component) => component.scrapeTarget)).toEqual(view.components.map(() => undefined));
    expect(JSON.stringify([...view.prometheus.ruleGroups])).toBe(JSON.stringify([...whole.collector.prometheus.ruleGroups]));
    for (const read of [(c: typeof view) => c.credentials.password, (c: typeof view) => c.caCertificatePem]) {
      expect(resolvedIn(standIn, read(view))).toBe(resolvedIn(whole, read(whole.collector)));
    }
    expect(resolvedIn(standIn, view.credentials.password)).toMatch(secrets === 'variables' ? /^\$\{var\./ : /^\$\{random_password\./);
    // The same state backend: what a reader's remote state reads.
    expect(JSON.stringify(standIn.ensureBackendExists().toTerraform())).toBe(JSON.stringify(whole.ensureBackendExists().toTerraform()));
  });
});
