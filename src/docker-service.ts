import { Construct } from 'constructs';
import { Container, ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Token } from 'cdktf';
import { PeekStackValidationError } from './errors';

/** A file put into a container by the Docker provider's `upload`, so nothing is prepared on the host. */
export interface UploadedFile {
  /** Absolute path inside the container. */
  readonly path: string;
  /** File content. Literal text, or text holding Terraform tokens (secrets). */
  readonly content: string;
  /**
   * Octal mode.
   * @default '0444'
   */
  readonly permissions?: string;
}

/** Name under which a container in a bridge network reaches its host's own network namespace. */
export const DOCKER_HOST_GATEWAY_NAME = 'host.docker.internal';

/** The container `host` entry that makes {@link DOCKER_HOST_GATEWAY_NAME} resolve (Docker's `host-gateway`). */
export const DOCKER_HOST_GATEWAY_ENTRY = { host: DOCKER_HOST_GATEWAY_NAME, ip: 'host-gateway' } as const;

/** The Docker label that tells PeekStack's own containers apart (dashboards use it for self-cost). */
export const COMPONENT_LABEL = 'peekstack.component';

/** Props of {@link DockerService}: the container config minus what this construct sets itself. */
export interface DockerServiceProps
  extends Omit<ContainerConfig, 'image' | 'name' | 'upload' | 'labels' | 'provider'> {
  /** Pinned image reference. */
  readonly image: string;
  /** Container name on the host. */
  readonly containerName: string;
  /** Value of the `peekstack.component` label. */
  readonly component: string;
  /** Files to upload into the container. */
  readonly files?: readonly UploadedFile[];
  /** Provider to deploy with. @default - the stack's default Docker provider */
  readonly provider?: DockerProvider;
}

/**
 * An image pulled by the Docker provider and one container running it, with the settings every
 * PeekStack container shares: restart unless stopped, the component label, uploaded files.
 */
export class DockerService extends Construct {
  public readonly image: Image;
  public readonly container: Container;

  constructor(scope: Construct, id: string, props: DockerServiceProps) {
    super(scope, id);
    const { image, containerName, component, files, provider, ...containerConfig } = props;
    this.image = new Image(this, 'image', { name: image, keepLocally: true, provider });
    this.container = new Container(this, 'container', {
      restart: 'unless-stopped',
      // Bounded logs: these containers run for months on hosts nobody watches the disk of.
      logDriver: 'json-file',
      logOpts: { 'max-size': '10m', 'max-file': '3' },
      ...containerConfig,
      provider,
      name: containerName,
      image: this.image.imageId,
      labels: [{ label: COMPONENT_LABEL, value: component }],
      upload: (files ?? []).map((file) => toUpload(`${containerName}.files`, file)),
    });
  }
}

/**
 * Literal `${` or `%{` in an uploaded file would be read by Terraform as an interpolation. Files
 * without tokens go as base64, which Terraform never interprets; files with tokens (secrets) must not
 * hold such sequences in their literal parts.
 */
function toUpload(field: string, file: UploadedFile) {
  const permissions = file.permissions ?? '0444';
  if (!Token.isUnresolved(file.content)) {
    return { file: file.path, contentBase64: Buffer.from(file.content, 'utf8').toString('base64'), permissions };
  }
  const literalParts = file.content.replace(/\$\{TfToken\[[^\]]+\]\}/g, '');
  if (/[$%]\{/.test(literalParts)) {
    throw new PeekStackValidationError(`${field}[${file.path}]`, '"${" or "%{" beside a Terraform token', 'text without Terraform template sequences around the secret');
  }
  return { file: file.path, content: file.content, permissions };
}
