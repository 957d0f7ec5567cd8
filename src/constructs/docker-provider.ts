import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DockerEndpoint, validateDockerEndpoint } from '../core/docker-endpoint';

// Apart from docker-endpoint.ts because it needs the Docker provider: the fleet-file checks validate
// endpoints without loading it.

/**
 * Creates the Docker provider for an endpoint, validated; `alias` for a second engine in one stack
 * (the hub's peer Alertmanager on another host).
 */
export function dockerProviderFor(scope: Construct, id: string, field: string, endpoint: DockerEndpoint, alias?: string): DockerProvider {
  validateDockerEndpoint(field, endpoint);
  return new DockerProvider(scope, id, {
    alias,
    host: endpoint.host,
    certPath: endpoint.certPath,
    sshOpts: endpoint.sshOpts ? [...endpoint.sshOpts] : undefined,
  });
}
