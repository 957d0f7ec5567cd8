import { ServerCertificate } from './certificate-authority';
import { BasicAuthCredentials } from './credentials';
import { UploadedFile } from './docker-service';
import { renderWebConfig } from '../render/web-config';

/** Where a server of the Prometheus exporter toolkit reads its TLS and basic-auth settings, inside its container. */
export interface ServedTlsPaths {
  /** The `--web.config.file`. */
  readonly webConfig: string;
  /** PEM server certificate. */
  readonly certificate: string;
  /** PEM private key of the certificate. */
  readonly key: string;
}

/**
 * The files a server of the exporter toolkit (Prometheus, node_exporter, Alertmanager) needs to serve
 * HTTPS with basic auth: its web config, its certificate and its key. The web config is rendered at
 * synthesis, like every rendered file: a stack built only to be read from costs no rendering.
 *
 * @param keyPermissions octal mode of the key file (@default '0444': these images run as nobody)
 */
export function servedTlsFiles(paths: ServedTlsPaths, certificate: ServerCertificate, credentials: BasicAuthCredentials, keyPermissions?: string): UploadedFile[] {
  return [
    {
      path: paths.webConfig,
      content: () =>
        renderWebConfig({
          certFile: paths.certificate,
          keyFile: paths.key,
          basicAuthUsers: { [credentials.username]: credentials.passwordBcryptHash },
        }),
    },
    { path: paths.certificate, content: certificate.certificatePem },
    { path: paths.key, content: certificate.privateKeyPem, ...(keyPermissions !== undefined ? { permissions: keyPermissions } : {}) },
  ];
}
