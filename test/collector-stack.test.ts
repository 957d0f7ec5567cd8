import { describe, expect, it } from 'vitest';
import { isAbsolute } from 'node:path';
import { CollectorStack, CollectorStackProps } from '../src/collector-stack';
import { synthStack, testApp } from './support/synth';

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
