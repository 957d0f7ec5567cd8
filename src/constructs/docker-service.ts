import { Construct } from 'constructs';
import { Container, ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Lazy, Token } from 'cdktf';
import { PeekStackValidationError } from '../core/errors';
import { COMPONENT_LABEL } from '../core/labels';
import { hardeningSettings, HardeningProfile } from './hardening';

export { COMPONENT_LABEL };

/** A file put into a container by the Docker provider's `upload`, so nothing is prepared on the host. */
export interface UploadedFile {
  /** Absolute path inside the container. */
  readonly path: string;
  /**
   * File content: literal text, text holding Terraform tokens (secrets), or a function rendering the
   * text at synthesis, for files that grow after construction (prometheus.yml, rule files,
   * provisioning). Text without tokens goes base64-encoded; text with tokens goes as `content` and
   * may not hold a literal `${` or `%{`; rendered text goes as `content`, those sequences escaped.
   */
  readonly content: string | (() => string);
  /**
   * Octal mode.
   * @default '0444'
   */
  readonly permissions?: string;
}

// Defined with the names (no cdktf) so the fleet file's pure modules share it; re-exported here for the constructs.
import { DOCKER_HOST_GATEWAY_NAME } from '../core/names';
export { DOCKER_HOST_GATEWAY_NAME };

/** The container `host` entry that makes {@link DOCKER_HOST_GATEWAY_NAME} resolve (Docker's `host-gateway`). */
export const DOCKER_HOST_GATEWAY_ENTRY = { host: DOCKER_HOST_GATEWAY_NAME, ip: 'host-gateway' } as const;

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
  /**
   * What of Docker's hardening this container takes (memory limit, no-new-privileges, dropped
   * capabilities, health check); each component states its own, with the reason for each exception.
   * @default - none
   */
  readonly hardening?: HardeningProfile;
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
  public readonly containerName: string;
  private readonly files: UploadedFile[];
  /**
   * The container's upload blocks, one per file, made once: each holds a token (a lazy render), and
   * remaking every block on each addFile registered a Prometheus's dozen files a hundred times. The
   * container keeps this very list (putUpload stores it as given), so a file added later joins it
   * without copying the list: Grafana uploads two files per host.
   */
  private readonly uploads: ReturnType<typeof toUpload>[];
  /** The paths uploaded, to refuse a second file at one of them. */
  private readonly paths: Set<string>;

  constructor(scope: Construct, id: string, props: DockerServiceProps) {
    super(scope, id);
    const { image, containerName, component, files, provider, hardening, ...containerConfig } = props;
    this.containerName = containerName;
    this.files = [...(files ?? [])];
    this.uploads = this.files.map((file) => toUpload(`${containerName}.files`, file));
    this.paths = new Set(this.files.map((file) => file.path));
    this.image = new Image(this, 'image', { name: image, keepLocally: true, provider });
    this.container = new Container(this, 'container', {
      restart: 'unless-stopped',
      // Bounded logs: these containers run for months on hosts nobody watches the disk of.
      logDriver: 'json-file',
      logOpts: { 'max-size': '10m', 'max-file': '3' },
      ...(hardening ? hardeningSettings(`${containerName}.hardening`, hardening) : {}),
      ...containerConfig,
      provider,
      name: containerName,
      image: this.image.imageId,
      labels: [{ label: COMPONENT_LABEL, value: component }],
      upload: this.uploads,
    });
  }

  /** The files uploaded into the container, in order. */
  public get uploadedFiles(): readonly UploadedFile[] {
    return this.files;
  }

  /** Uploads one more file; a path already uploaded is refused. */
  public addFile(file: UploadedFile): void {
    if (this.paths.has(file.path)) {
      throw new PeekStackValidationError(`${this.containerName}.files`, file.path, 'a path no other uploaded file of this container uses');
    }
    const upload = toUpload(`${this.containerName}.files`, file);
    this.files.push(file);
    this.paths.add(file.path);
    this.uploads.push(upload);
    this.container.putUpload(this.uploads);
  }
}

/** A cdktf token inside a string, as `Token.asString` encodes it. */
const TOKEN_IN_STRING = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * Escapes `${` and `%{` (Terraform's `$${` and `%%{`) in the literal parts of `text`, keeping cdktf
 * tokens intact, so Terraform writes the literal text and interpolates only the references.
 */
export function escapeTemplateSequences(text: string): string {
  // Replacement functions, not strings: in a replacement string "$$" would itself mean one "$".
  const escape = (literal: string) => literal.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  let result = '';
  let last = 0;
  for (const match of text.matchAll(TOKEN_IN_STRING)) {
    result += escape(text.slice(last, match.index)) + match[0];
    last = (match.index ?? 0) + match[0].length;
  }
  return result + escape(text.slice(last));
}

/**
 * Literal `${` or `%{` in an uploaded file would be read by Terraform as an interpolation. Files
 * without tokens go as base64, which Terraform never interprets; files with tokens (secrets) must not
 * hold such sequences in their literal parts.
 */
function toUpload(field: string, file: UploadedFile) {
  const permissions = file.permissions ?? '0444';
  const render = file.content;
  if (typeof render === 'function') {
    // Rendered at synthesis, when every add* call has been made. The text may hold tokens (a URL or
    // CA from another stack), so it goes as `content` with its literal template sequences escaped.
    return { file: file.path, content: Lazy.stringValue({ produce: () => escapeTemplateSequences(render()) }), permissions };
  }
  if (!Token.isUnresolved(render)) {
    return { file: file.path, contentBase64: Buffer.from(render, 'utf8').toString('base64'), permissions };
  }
  const literalParts = render.replace(/\$\{TfToken\[[^\]]+\]\}/g, '');
  if (/[$%]\{/.test(literalParts)) {
    throw new PeekStackValidationError(`${field}[${file.path}]`, '"${" or "%{" beside a Terraform token', 'text without Terraform template sequences around the secret');
  }
  return { file: file.path, content: render, permissions };
}
