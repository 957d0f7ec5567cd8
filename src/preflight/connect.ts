/**
 * Reaching a host's Docker engine the way `apply` does, from its fleet-file endpoint:
 *
 * - `unix:///path`: the socket;
 * - `tcp://host:port`: HTTPS with the client certificate in `certPath` (`ca.pem`, `cert.pem`,
 *   `key.pem`), the engine's certificate verified against that `ca.pem` and the host name;
 * - `ssh://user@host[:port]`: the user's own `ssh` with the endpoint's `sshOpts`, running
 *   `docker system dial-stdio` on the host: what the Docker CLI and the Terraform provider do (their
 *   connection helper), so ssh config, agent, known_hosts and keys behave as they do for `apply`.
 *   (dockerode's built-in ssh uses the ssh2 library, which reads none of those and does not check
 *   host keys: not used.)
 *
 * Errors are turned into one plain sentence by {@link describeConnectionError}; no key, certificate
 * or ssh output beyond its last error line is ever shown.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../core/docker-endpoint';

/** A failure to reach or talk to an engine, already in words. */
export class ConnectionProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionProblem';
  }
}

/** An ssh process that ended before the engine answered; `stderr` is ssh's own last words. */
export class SshExit extends Error {
  constructor(
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`ssh exited with ${code}`);
    this.name = 'SshExit';
  }
}

/** The parts of an `ssh://user@host[:port]` endpoint (already validated by the fleet schema). */
export function parseSshEndpoint(host: string): { user: string; host: string; port?: number } {
  const rest = host.replace(/^ssh:\/\//, '');
  const at = rest.lastIndexOf('@');
  const user = rest.slice(0, at);
  const hostPort = rest.slice(at + 1);
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) throw new ConnectionProblem(`cannot read the ssh endpoint ${JSON.stringify(host)}`);
  return { user, host: m[1].replace(/^\[|\]$/g, ''), ...(m[2] ? { port: Number(m[2]) } : {}) };
}

/** The ssh command line of an endpoint: the user's options first (ssh keeps the first value of an option). */
export function sshCommand(endpoint: DockerEndpoint, connectTimeoutSeconds: number): string[] {
  const { user, host, port } = parseSshEndpoint(endpoint.host);
  return [
    ...(endpoint.sshOpts ?? []),
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${Math.max(1, Math.round(connectTimeoutSeconds))}`,
    '-l', user,
    ...(port ? ['-p', String(port)] : []),
    '--', host, 'docker', 'system', 'dial-stdio',
  ];
}

/** One ssh process as a socket for node's http client. */
function sshSocket(args: readonly string[], sshBinary: string): Duplex {
  const child = spawn(sshBinary, args as string[], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let received = false;
  const stream = new Duplex({
    write(chunk, _encoding, callback) {
      if (child.stdin.destroyed) return callback();
      child.stdin.write(chunk, () => callback());
    },
    final(callback) {
      child.stdin.end();
      callback();
    },
    read() {
      child.stdout.resume();
    },
    destroy(error, callback) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      callback(error);
    },
  });
  child.stdin.on('error', () => undefined);
  child.stdout.on('data', (data: Buffer) => {
    received = true;
    if (!stream.push(data)) child.stdout.pause();
  });
  child.stderr.on('data', (data: Buffer) => {
    if (stderr.length < 8192) stderr += data.toString('utf8');
  });
  child.on('error', (error) => stream.destroy(error));
  child.on('close', (code) => {
    if (!received && code !== 0) stream.destroy(new SshExit(code, stderr));
    else stream.push(null);
  });
  // What node's http client calls on a socket.
  const socket = stream as Duplex & Record<string, unknown>;
  for (const name of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref']) socket[name] = () => socket;
  return stream;
}

/** An http agent whose every connection is `ssh ... docker system dial-stdio`. */
class SshAgent extends Agent {
  constructor(
    private readonly args: readonly string[],
    private readonly sshBinary: string,
  ) {
    super({ keepAlive: true, maxSockets: 4 });
  }
  override createConnection(): Duplex {
    return sshSocket(this.args, this.sshBinary);
  }
}

export interface ConnectOptions {
  /** Seconds to wait for a connection and for each plain API call. */
  readonly timeoutSeconds: number;
  /** The ssh program. @default 'ssh' */
  readonly sshBinary?: string;
  /** Folder relative certPath values are taken from. @default - the current directory */
  readonly baseDir?: string;
}

/** A client of one engine, and how to let it go. */
export interface EngineClient {
  readonly docker: Docker;
  close(): void;
}

function readCert(dir: string, file: string): Buffer {
  const path = resolve(dir, file);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConnectionProblem(`certPath: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); a tcp:// endpoint needs ca.pem, cert.pem and key.pem there`);
  }
}

/** A dockerode client for `endpoint`. Loads dockerode on first use. */
export function connect(endpoint: DockerEndpoint, options: ConnectOptions): EngineClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const DockerClass = require('dockerode') as typeof Docker;
  const timeout = options.timeoutSeconds * 1000;
  const host = endpoint.host;
  if (host.startsWith('unix://')) {
    const docker = new DockerClass({ socketPath: host.slice('unix://'.length), timeout });
    return { docker, close: () => undefined };
  }
  if (host.startsWith('tcp://')) {
    const expanded = (endpoint.certPath ?? '').replace(/^~(?=\/|$)/, homedir());
    const dir = resolve(options.baseDir ?? process.cwd(), expanded);
    const url = new URL(host.replace(/^tcp:/, 'https:'));
    const agent = new HttpsAgent({ keepAlive: false });
    const docker = new DockerClass({
      protocol: 'https',
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port),
      ca: readCert(dir, 'ca.pem'),
      cert: readCert(dir, 'cert.pem'),
      key: readCert(dir, 'key.pem'),
      timeout,
      agent,
    } as Docker.DockerOptions);
    return { docker, close: () => agent.destroy() };
  }
  if (host.startsWith('ssh://')) {
    const agent = new SshAgent(sshCommand(endpoint, options.timeoutSeconds), options.sshBinary ?? 'ssh');
    const docker = new DockerClass({ protocol: 'http', host: 'docker.invalid', port: 80, agent, timeout } as Docker.DockerOptions);
    return { docker, close: () => agent.destroy() };
  }
  throw new ConnectionProblem(`unknown Docker endpoint scheme in ${JSON.stringify(host)}`);
}

/** The last non-empty line of ssh's stderr, without anything that looks like a key. */
function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/PRIVATE KEY|^Warning: Permanently added/.test(l));
  return (lines[lines.length - 1] ?? '').slice(0, 200);
}

/**
 * One sentence for why `endpoint` could not be used: unreachable, refused key, wrong CA, ... The
 * host's name and endpoint are added by the caller.
 */
export function describeConnectionError(error: unknown, endpoint: DockerEndpoint): string {
  if (error instanceof ConnectionProblem) return error.message;
  const e = error as NodeJS.ErrnoException & { reason?: string; statusCode?: number; json?: { message?: string } };
  if (error instanceof SshExit) {
    const said = lastLine(error.stderr);
    if (/Permission denied \(/.test(error.stderr)) return `ssh refused the key: the host does not accept any key this ssh offers (${said}); add the public key to the user's authorized_keys, or set sshOpts ["-i", "<key file>"]`;
    if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(error.stderr)) return `ssh could not verify the host key (${said}); add the host to known_hosts (ssh to it once)`;
    if (/Connection refused|timed out|No route to host|Could not resolve hostname|Network is unreachable|Name or service not known/.test(error.stderr)) return `unreachable over ssh (${said})`;
    if (/docker: (command )?not found|docker: No such file|unknown command "dial-stdio"/.test(error.stderr)) return `ssh logged in, but the host has no docker CLI to run \`docker system dial-stdio\` (${said}); install the Docker CLI there`;
    return `ssh failed (exit ${error.code}${said ? `: ${said}` : ''})`;
  }
  const code = e?.code ?? '';
  const tlsCa = ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE'];
  if (tlsCa.includes(code)) return `TLS: the engine's certificate is not signed by the CA in ${endpoint.certPath ?? 'certPath'}/ca.pem (wrong CA: ${code})`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS: the engine's certificate does not name this host (${(e.reason ?? e.message).slice(0, 160)})`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return `TLS: the engine's certificate is not valid now (${code})`;
  if (/^ERR_SSL_.*(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_REQUIRED|DECRYPT_ERROR|HANDSHAKE_FAILURE)/.test(code) || /alert (unknown ca|bad certificate|certificate required)/i.test(e?.message ?? '')) {
    return `TLS: the engine refused our client certificate (${endpoint.certPath ?? 'certPath'}/cert.pem is not signed by a CA the engine trusts: ${code || e.message})`;
  }
  if (code === 'EPROTO' || /wrong version number|packet length too long/i.test(e?.message ?? '')) return 'TLS: the endpoint does not speak TLS (a plain-HTTP engine port?)';
  if (code === 'ENOENT' && endpoint.host.startsWith('unix://')) return `unreachable: no socket at ${endpoint.host.slice(7)} (no engine runs there)`;
  if (code === 'EACCES') return `no permission to use ${endpoint.host} (EACCES): run as a user in the docker group`;
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET'].includes(code)) return `unreachable: ${e.message?.includes(code) ? e.message.slice(0, 200) : `${code}${e.message ? ` (${e.message.slice(0, 200)})` : ''}`}`;
  if (/timeout|timed out/i.test(e?.message ?? '') || code === 'ESOCKETTIMEDOUT') return 'unreachable: no answer before the timeout';
  if (typeof e?.statusCode === 'number') return `the engine answered HTTP ${e.statusCode}: ${String(e.json?.message ?? e.reason ?? '').slice(0, 200)}`;
  return `cannot talk to the engine: ${code ? `${code}: ` : ''}${String(e?.message ?? error).slice(0, 200)}`;
}
