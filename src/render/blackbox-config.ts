import { toYaml } from './yaml';

/**
 * blackbox_exporter's configuration (blackbox.yml): one module per probe, since each probe verifies
 * its endpoint against its own CA. Pure: the same input always gives the same text.
 * @see https://github.com/prometheus/blackbox_exporter/blob/master/CONFIGURATION.md
 */

/** One probe's module. */
export interface BlackboxModule {
  /** Module name (`module` parameter of the probe). */
  readonly name: string;
  /**
   * `https`: an HTTPS GET whose certificate is verified (and whose expiry is reported), expecting
   * `expectStatus`; `tcp`: a TCP connect only.
   */
  readonly kind: 'https' | 'tcp';
  /** Path, inside the container, of the CA the endpoint's certificate is verified against. @default - the system's CAs */
  readonly caFile?: string;
  /** Name verified in the certificate. @default - the target's host */
  readonly serverName?: string;
  /**
   * HTTP status that counts as success; 401 proves TLS works and the endpoint still asks for credentials.
   * @default 401
   */
  readonly expectStatus?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
}

function renderModule(module: BlackboxModule): Record<string, unknown> {
  const timeout = `${module.timeoutSeconds ?? 5}s`;
  if (module.kind === 'tcp') return { prober: 'tcp', timeout, tcp: { preferred_ip_protocol: 'ip4', ip_protocol_fallback: true } };
  return {
    prober: 'http',
    timeout,
    http: {
      method: 'GET',
      valid_status_codes: [module.expectStatus ?? 401],
      fail_if_not_ssl: true,
      follow_redirects: false,
      preferred_ip_protocol: 'ip4',
      ip_protocol_fallback: true,
      tls_config: {
        ...(module.caFile ? { ca_file: module.caFile } : {}),
        ...(module.serverName ? { server_name: module.serverName } : {}),
        min_version: 'TLS12',
      },
    },
  };
}

/** Renders blackbox.yml. */
export function renderBlackboxConfig(modules: readonly BlackboxModule[]): string {
  return toYaml(
    { modules: Object.fromEntries(modules.map((module) => [module.name, renderModule(module)])) },
    'Rendered by PeekStack CDK. Do not edit: it is replaced on every deploy.',
  );
}
