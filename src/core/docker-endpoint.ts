import { ipVersion } from './names';
import { PeekStackValidationError } from './errors';
import { REDACTED } from './secrets';
import { addressProblem } from './validate';

/**
 * How Terraform reaches a host's Docker engine.
 * @see https://registry.terraform.io/providers/kreuzwerker/docker/latest/docs#argument-reference
 */
export interface DockerEndpoint {
  /**
   * `unix:///path/to/docker.sock`, `ssh://user@host[:port]`, or `tcp://host:port` (TLS only).
   */
  readonly host: string;
  /**
   * Directory holding `ca.pem`, `cert.pem` and `key.pem`, the TLS client certificate for a `tcp://`
   * endpoint. A path on the machine that runs Terraform: the key itself never enters the config.
   * @default - required for tcp://, unused otherwise
   */
  readonly certPath?: string;
  /**
   * Extra ssh options for an `ssh://` endpoint, e.g. `["-o", "StrictHostKeyChecking=yes"]`.
   * @default - none
   */
  readonly sshOpts?: readonly string[];
}

/** The Docker socket of the machine Terraform runs on. */
export const LOCAL_DOCKER_ENDPOINT: DockerEndpoint = { host: 'unix:///var/run/docker.sock' };

/** The accepted shape of each scheme, as messages show it. */
const SHAPES: Record<string, string> = {
  unix: 'unix:///absolute/path/to/docker.sock',
  ssh: 'ssh://user@host or ssh://user@host:port (port 1-65535)',
  tcp: 'tcp://host:port (port 1-65535)',
};

/**
 * What is wrong with the part after `ssh://` or `tcp://`, or `undefined`. The host part follows
 * the same address rule as a host's `addresses` ({@link addressProblem}); an IPv6 address goes in
 * brackets here, as in any URL.
 */
function remoteProblem(scheme: 'ssh' | 'tcp', rest: string): string | undefined {
  // The user part first: a password may hold "/" or "?", which must not pass for a path.
  const at = rest.lastIndexOf('@');
  const user = at < 0 ? undefined : rest.slice(0, at);
  const hostPort = rest.slice(at + 1);
  if (scheme === 'tcp' && user !== undefined) return 'a user name: tcp:// authenticates with the TLS client certificates in certPath';
  if (scheme === 'ssh') {
    if (user === undefined || user === '') return 'no user name before "@"';
    if (user.includes(':')) return 'a password: ssh authenticates with a key (ssh-agent or IdentityFile), never a password in the fleet file';
    if (!/^[A-Za-z0-9._-]+$/.test(user)) return 'a user name with characters other than letters, digits, ".", "_" and "-"';
  }
  if (/[/?#]/.test(hostPort)) return 'a path, query or fragment after the host';
  const match = /^(\[[^\]]*\]|[^:]*)(?::([^:]*))?$/.exec(hostPort);
  if (!match) return 'a host that is neither a name, an IPv4 address nor a bracketed IPv6 address';
  const [, host, port] = match;
  const bracketed = host.startsWith('[');
  if (bracketed && ipVersion(host.slice(1, -1)) !== 6) return `the host ${JSON.stringify(host)}: brackets hold an IPv6 address`;
  const hostProblem = bracketed ? addressProblem(host.slice(1, -1)) : addressProblem(host);
  if (hostProblem !== undefined) return `a host part with ${hostProblem}`;
  if (port === undefined) return scheme === 'tcp' ? 'no port (the Docker TLS port is usually 2376)' : undefined;
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return `the port ${JSON.stringify(port)}: a port is 1 to 65535`;
  return undefined;
}

/** Checks an endpoint and returns it; throws naming `field` on an unknown scheme or a malformed URL. */
export function validateDockerEndpoint(field: string, endpoint: DockerEndpoint): DockerEndpoint {
  const host: unknown = endpoint.host;
  const scheme = /^([a-z]+):\/\//.exec(typeof host === 'string' ? host : '')?.[1];
  if (typeof host !== 'string' || !scheme || !(scheme in SHAPES)) {
    throw new PeekStackValidationError(`${field}.host`, endpoint.host, 'a Docker endpoint with scheme unix://, ssh:// or tcp://');
  }
  const rest = host.slice(scheme.length + 3);
  const problem =
    scheme === 'unix' ? (/^\/[^\s]+$/.test(rest) ? undefined : 'a socket path that is not absolute, or contains spaces') : remoteProblem(scheme as 'ssh' | 'tcp', rest);
  if (problem !== undefined) {
    // A password may hold spaces, which the generic redaction of messages would stop at: hide it here.
    const shown = host.replace(/^([a-z]+:\/\/[^:@]*:).*@/s, `$1${REDACTED}@`);
    throw new PeekStackValidationError(`${field}.host`, shown, `${SHAPES[scheme]}; this one has ${problem}`);
  }
  if (scheme === 'tcp' && !endpoint.certPath) {
    throw new PeekStackValidationError(
      `${field}.certPath`,
      endpoint.certPath,
      'a directory with ca.pem, cert.pem and key.pem: a tcp:// Docker endpoint is only used with TLS client certificates',
    );
  }
  if (scheme !== 'tcp' && endpoint.certPath) {
    throw new PeekStackValidationError(`${field}.certPath`, endpoint.certPath, 'nothing: certPath only applies to tcp:// endpoints');
  }
  if (scheme !== 'ssh' && endpoint.sshOpts?.length) {
    throw new PeekStackValidationError(`${field}.sshOpts`, endpoint.sshOpts, 'nothing: sshOpts only apply to ssh:// endpoints');
  }
  return endpoint;
}
