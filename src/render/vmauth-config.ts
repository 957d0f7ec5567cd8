import { toYaml } from './yaml';

/**
 * The paths of VictoriaMetrics single-node's Prometheus-compatible query API that Grafana's
 * Prometheus datasource calls (queries, label and series lookups, metadata, build info). Anchored
 * by vmauth: anything else, `/api/v1/write` and the admin API included, is refused for readers.
 * @see https://docs.victoriametrics.com/victoriametrics/single-server-victoriametrics/#prometheus-querying-api-usage
 */
export const VMAUTH_READ_PATHS = [
  '/api/v1/query',
  '/api/v1/query_range',
  '/api/v1/series',
  '/api/v1/labels',
  '/api/v1/label/[^/]+/values',
  '/api/v1/metadata',
  '/api/v1/query_exemplars',
  '/api/v1/status/buildinfo',
] as const;

/** The one path writers may use: Prometheus remote_write. */
export const VMAUTH_WRITE_PATHS = ['/api/v1/write'] as const;

/** One vmauth user: basic auth, and the paths it may reach on the backend. */
export interface VmauthUser {
  /** Basic-auth user name. */
  readonly username: string;
  /** The password; a Terraform token in production, filled in at apply time. */
  readonly password: string;
  /** Anchored regexes of the request paths this user may reach. */
  readonly paths: readonly string[];
}

/** Input of vmauth's `-auth.config` file. */
export interface VmauthConfigInput {
  /** `http://host:port` of the backend (VictoriaMetrics single-node). */
  readonly backendUrl: string;
  /** Every user vmauth accepts; anyone else gets 401. */
  readonly users: readonly VmauthUser[];
}

/**
 * Renders vmauth's auth config: one entry per user, each routed only on its own paths, so a
 * writer's credentials cannot read and a reader's cannot write (a path outside a user's
 * `url_map` is refused; an unknown user gets 401: there is no `unauthorized_user`). Pure.
 * @see https://docs.victoriametrics.com/victoriametrics/vmauth/#auth-config
 */
export function renderVmauthConfig(input: VmauthConfigInput): string {
  return toYaml(
    {
      users: input.users.map((user) => ({
        username: user.username,
        password: user.password,
        url_map: [{ src_paths: [...user.paths], url_prefix: input.backendUrl }],
      })),
    },
    'Rendered by PeekStack CDK: who may write to and read from the fleet store.',
  );
}
