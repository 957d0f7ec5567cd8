import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { PeekStackValidationError } from './errors';

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

const SCHEMES: Record<string, RegExp> = {
  unix: /^unix:\/\/\/[^\s]+$/,
  ssh: /^ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/,
  tcp: /^tcp:\/\/[A-Za-z0-9.:[\]-]+:[0-9]{1,5}$/,
};

/** Checks an endpoint and returns it; throws naming `field` on an unknown scheme or a malformed URL. */
export function validateDockerEndpoint(field: string, endpoint: DockerEndpoint): DockerEndpoint {
  const scheme = /^([a-z]+):\/\//.exec(endpoint.host ?? '')?.[1];
  if (!scheme || !(scheme in SCHEMES)) {
    throw new PeekStackValidationError(`${field}.host`, endpoint.host, 'a Docker endpoint with scheme unix://, ssh:// or tcp://');
  }
  if (!SCHEMES[scheme].test(endpoint.host)) {
    const shapes: Record<string, string> = {
      unix: 'unix:///absolute/path/to/docker.sock',
      ssh: 'ssh://user@host or ssh://user@host:port',
      tcp: 'tcp://host:port',
    };
    throw new PeekStackValidationError(`${field}.host`, endpoint.host, shapes[scheme]);
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

/** Creates the Docker provider for an endpoint, validated. */
export function dockerProviderFor(scope: Construct, id: string, field: string, endpoint: DockerEndpoint): DockerProvider {
  validateDockerEndpoint(field, endpoint);
  return new DockerProvider(scope, id, {
    host: endpoint.host,
    certPath: endpoint.certPath,
    sshOpts: endpoint.sshOpts ? [...endpoint.sshOpts] : undefined,
  });
}
