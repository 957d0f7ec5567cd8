import { toYaml } from './yaml';

/** One Prometheus datasource Grafana provisions. */
export interface PrometheusDatasourceInput {
  /** Display name, unique. */
  readonly name: string;
  /** Stable uid, unique: dashboards and links keep working across re-provisioning. */
  readonly uid: string;
  /** `https://host:port` of the collector's Prometheus (or of another Prometheus-compatible query API). */
  readonly url: string;
  /** @default - no basic auth */
  readonly basicAuthUser?: string;
  /** File inside the Grafana container that holds the basic-auth password. @default - no basic auth */
  readonly basicAuthPasswordFile?: string;
  /** Extra HTTP headers (a tenant header). @default - none */
  readonly httpHeaders?: Readonly<Record<string, string>>;
  /** File inside the Grafana container holding a bearer token, sent as `Authorization: Bearer ...`. @default - none */
  readonly bearerTokenFile?: string;
  /**
   * File inside the Grafana container with the PEM CA to verify the server against.
   * @default - the system's CAs (always set for collectors unless `skipTlsVerify`)
   */
  readonly caCertificateFile?: string;
  /** Explicit, documented opt-in to not verifying the server's certificate. */
  readonly skipTlsVerify?: boolean;
  /** The collector's scrape interval: Grafana never asks for a finer step than this. */
  readonly scrapeIntervalSeconds: number;
  /** Mark as the default datasource. */
  readonly isDefault?: boolean;
}

/**
 * Renders datasources.yml. Secrets are not in it: Grafana's `$__file{}` expansion reads the password
 * and CA from files uploaded beside it, so the rendered text is the same for every deploy and holds
 * nothing to hide. `prune: true` deletes provisioned datasources whose host left the fleet.
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
 */
export function renderDatasources(datasources: readonly PrometheusDatasourceInput[]): string {
  return toYaml(
    {
      apiVersion: 1,
      prune: true,
      datasources: datasources.map((source) => {
        // Grafana's custom headers: httpHeaderName<N> in jsonData, httpHeaderValue<N> in secureJsonData.
        const headers = [
          ...Object.entries(source.httpHeaders ?? {}),
          ...(source.bearerTokenFile !== undefined ? [['Authorization', `Bearer $__file{${source.bearerTokenFile}}`]] : []),
        ];
        return {
          name: source.name,
          uid: source.uid,
          type: 'prometheus',
          access: 'proxy',
          url: source.url,
          isDefault: source.isDefault ?? false,
          editable: false,
          basicAuth: source.basicAuthPasswordFile !== undefined,
          ...(source.basicAuthUser !== undefined ? { basicAuthUser: source.basicAuthUser } : {}),
          jsonData: {
            httpMethod: 'POST',
            timeInterval: `${source.scrapeIntervalSeconds}s`,
            ...(source.skipTlsVerify ? { tlsSkipVerify: true } : source.caCertificateFile ? { tlsAuthWithCACert: true } : {}),
            ...Object.fromEntries(headers.map(([name], index) => [`httpHeaderName${index + 1}`, name])),
          },
          secureJsonData: {
            ...(source.basicAuthPasswordFile !== undefined ? { basicAuthPassword: `$__file{${source.basicAuthPasswordFile}}` } : {}),
            ...(!source.skipTlsVerify && source.caCertificateFile ? { tlsCACert: `$__file{${source.caCertificateFile}}` } : {}),
            ...Object.fromEntries(headers.map(([, value], index) => [`httpHeaderValue${index + 1}`, value])),
          },
        };
      }),
    },
    'Rendered by PeekStack CDK: one datasource per collector host.',
  );
}

/** Input of the dashboards provider. */
export interface DashboardProviderInput {
  /** Folder in Grafana's UI. */
  readonly folder: string;
  /** Directory inside the container holding the dashboard JSON files. */
  readonly path: string;
}

/**
 * Renders the dashboards provider: dashboards come from files and cannot be changed or deleted in
 * the UI, so what runs is what is reviewed in git.
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#dashboards
 */
export function renderDashboardProvider(input: DashboardProviderInput): string {
  return toYaml(
    {
      apiVersion: 1,
      providers: [
        {
          name: 'peekstack',
          folder: input.folder,
          type: 'file',
          disableDeletion: true,
          allowUiUpdates: false,
          updateIntervalSeconds: 60,
          options: { path: input.path, foldersFromFilesStructure: false },
        },
      ],
    },
    'Rendered by PeekStack CDK.',
  );
}
