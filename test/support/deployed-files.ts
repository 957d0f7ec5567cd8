import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Values the test supplies for the Terraform references of a synthesized upload, keyed by the
 * attribute they stand for. Terraform would fill them in at apply time; the test fills them with
 * real material it generated itself (a bcrypt hash, an openssl certificate).
 */
export interface TerraformValues {
  /** `random_password.*.result` */
  password: string;
  /** `random_password.*.bcrypt_hash` */
  bcryptHash: string;
  /** `tls_self_signed_cert.*.cert_pem` (the CA) */
  caPem: string;
  /** `tls_locally_signed_cert.*.cert_pem` (a server certificate) */
  certPem: string;
  /** `tls_private_key.*.private_key_pem` */
  keyPem: string;
  /**
   * A value for one particular reference (the whole `${type.name.attribute}`), consulted first;
   * `undefined` falls back to the values above. For stacks with several passwords that must differ
   * (the fleet store's writer and reader).
   */
  byReference?: (reference: string) => string | undefined;
}

const REFERENCE = /\$\{([a-z_]+)\.[^}]+\.([a-z_]+)\}/g;

/** Replaces every Terraform reference in `content` with the matching test value; throws on an unknown one. */
export function resolveReferences(content: string, values: TerraformValues): string {
  return content.replace(REFERENCE, (whole, type: string, attribute: string) => {
    const specific = values.byReference?.(whole);
    if (specific !== undefined) return specific;
    const key = `${type}.${attribute}`;
    switch (key) {
      case 'random_password.result':
        return values.password;
      case 'random_password.bcrypt_hash':
        return values.bcryptHash;
      case 'tls_self_signed_cert.cert_pem':
        return values.caPem;
      case 'tls_locally_signed_cert.cert_pem':
        return values.certPem;
      case 'tls_private_key.private_key_pem':
        return values.keyPem;
      default:
        throw new Error(`no test value for Terraform reference ${whole}`);
    }
  });
}

/** Terraform's escapes of literal template sequences (`$${`, `%%{`), undone as Terraform would. */
export function unescapeTemplateSequences(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** The text of one upload of a synthesized container. */
export function uploadText(upload: { content?: string; content_base64?: string }): string {
  return upload.content_base64 !== undefined ? Buffer.from(upload.content_base64, 'base64').toString('utf8') : unescapeTemplateSequences(upload.content ?? '');
}

/**
 * Writes every file a synthesized container would receive into a fresh directory that mirrors the
 * container's paths (`<root>/etc/prometheus/prometheus.yml`, ...), references resolved. Run the real
 * binary under proot with `-b <root>/etc/prometheus:/etc/prometheus` and it reads the deployed files
 * at their deployed paths, unchanged.
 */
export function materializeUploads(
  container: { upload?: { file: string; content?: string; content_base64?: string }[] },
  values: TerraformValues,
  /** Values of Terraform variables (`${var.NAME}`), for secrets a stack asks for. */
  variables: Readonly<Record<string, string>> = {},
): string {
  const root = mkdtempSync(join(tmpdir(), 'peekstack-container-'));
  for (const upload of container.upload ?? []) {
    const target = join(root, upload.file);
    mkdirSync(dirname(target), { recursive: true });
    // Variables without a test value stay as they are (files that only promtool reads).
    const text = uploadText(upload).replace(/\$\{var\.([A-Za-z0-9_-]+)\}/g, (whole, name: string) => variables[name] ?? whole);
    writeFileSync(target, resolveReferences(text, values));
  }
  return root;
}
