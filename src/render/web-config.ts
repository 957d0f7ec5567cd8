import { toYaml } from './yaml';

/**
 * Input of the exporter-toolkit web config that Prometheus (`--web.config.file`) and node_exporter
 * (`--web.config.file`) read to serve HTTPS with basic auth.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/https/
 */
export interface WebConfigInput {
  /** Path, inside the container, of the PEM server certificate (chain). */
  readonly certFile: string;
  /** Path, inside the container, of the PEM private key of `certFile`. */
  readonly keyFile: string;
  /**
   * Lowest TLS version accepted.
   * @default 'TLS12'
   */
  readonly minTlsVersion?: 'TLS12' | 'TLS13';
  /** User name → bcrypt hash (`$2a$`, `$2b$` or `$2y$`). May be Terraform tokens. */
  readonly basicAuthUsers: Readonly<Record<string, string>>;
}

/** Renders web-config.yml. Pure: the same input always gives the same text. */
export function renderWebConfig(input: WebConfigInput): string {
  return toYaml(
    {
      tls_server_config: {
        cert_file: input.certFile,
        key_file: input.keyFile,
        min_version: input.minTlsVersion ?? 'TLS12',
      },
      basic_auth_users: { ...input.basicAuthUsers },
    },
    'Rendered by PeekStack CDK. Served TLS and basic auth for this endpoint.',
  );
}
