import { toYaml } from './yaml';

/**
 * Alertmanager's `--cluster.tls-config` file: gossip between the two Alertmanagers of a pair over
 * mutual TLS. Each side serves and dials with the same certificate, and accepts only a peer whose
 * client certificate its CA signed (`RequireAndVerifyClientCert`): gossip is encrypted and
 * authenticated. Pure: the same input always gives the same text.
 * @see https://github.com/prometheus/alertmanager/blob/main/docs/https.md (gossip traffic)
 */
export interface ClusterTlsConfigInput {
  /** Path, inside the container, of this Alertmanager's PEM certificate (server and client auth). */
  readonly certFile: string;
  /** Path, inside the container, of the PEM private key of `certFile`. */
  readonly keyFile: string;
  /** Path, inside the container, of the PEM CA that signs every peer's certificate. */
  readonly caFile: string;
}

/** Renders the cluster TLS config. */
export function renderClusterTlsConfig(input: ClusterTlsConfigInput): string {
  return toYaml(
    {
      tls_server_config: {
        cert_file: input.certFile,
        key_file: input.keyFile,
        client_auth_type: 'RequireAndVerifyClientCert',
        client_ca_file: input.caFile,
        min_version: 'TLS12',
      },
      tls_client_config: {
        cert_file: input.certFile,
        key_file: input.keyFile,
        ca_file: input.caFile,
        min_version: 'TLS12',
      },
    },
    'Rendered by PeekStack CDK. Gossip of the Alertmanager pair: mutual TLS, peers verified against the cluster CA.',
  );
}
