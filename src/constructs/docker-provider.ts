import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DockerEndpoint, validateDockerEndpoint } from '../core/docker-endpoint';

// Apart from docker-endpoint.ts because it needs the Docker provider: the fleet-file checks validate
// endpoints without loading it.

/** Creates the Docker provider for an endpoint, validated. */
export function dockerProviderFor(scope: Construct, id: string, field: string, endpoint: DockerEndpoint): DockerProvider {
  validateDockerEndpoint(field, endpoint);
  return new DockerProvider(scope, id, {
    host: endpoint.host,
    certPath: endpoint.certPath,
    sshOpts: endpoint.sshOpts ? [...endpoint.sshOpts] : undefined,
  });
}
