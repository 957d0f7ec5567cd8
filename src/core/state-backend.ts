import { PeekStackValidationError } from './errors';
import { containsSecret, redactSecrets } from './secrets';

/**
 * Where a stack keeps its Terraform state. State holds every generated secret, so it is git-ignored
 * and, in CI, belongs in a remote backend with locking.
 *
 * No backend option carries a credential: each remote backend reads its own from the environment
 * of the machine running Terraform (`AWS_*` for s3, `PGPASSWORD`/`PGUSER` for pg,
 * `TF_HTTP_USERNAME`/`TF_HTTP_PASSWORD` for http), so the fleet file and cdk.tf.json stay secret-free.
 *
 * String options may contain `{stack}`, replaced by the stack's name, so one backend description
 * can serve every stack of a fleet without two stacks sharing a state.
 */
export type StateBackend = LocalStateBackend | S3StateBackend | PgStateBackend | HttpStateBackend;

/**
 * The backend of a stack that names none: a local file with a relative path, beside cdktf.json (see
 * {@link LocalStateBackend}). Stacks and fleet files share this one default.
 */
export const DEFAULT_STATE_BACKEND: StateBackend = Object.freeze({ type: 'local' });

/** The placeholder replaced by the stack name in backend options. */
export const STACK_PLACEHOLDER = '{stack}';

/** State in a local file. */
export interface LocalStateBackend {
  readonly type: 'local';
  /**
   * Path of the state file, relative to the stack's directory under cdktf.out (where Terraform runs).
   * Relative on purpose: cdktf's default is an absolute, machine-specific path.
   * @default '../../../terraform.{stack}.tfstate' (the project root, next to cdktf.json)
   */
  readonly path?: string;
}

/**
 * State in an S3 bucket (or an S3-compatible store via `endpoint`), locked with a DynamoDB table or
 * with Terraform's S3-native lock file (`use_lockfile`, Terraform >= 1.10).
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export interface S3StateBackend {
  readonly type: 's3';
  readonly bucket: string;
  /**
   * Object key of the state.
   * @default 'peekstack/{stack}.tfstate'
   */
  readonly key?: string;
  /** @default - from AWS_REGION / the AWS profile */
  readonly region?: string;
  /** Custom S3 endpoint (MinIO, Ceph, ...). @default - AWS */
  readonly endpoint?: string;
  /** Named AWS profile to take credentials from. @default - the AWS SDK's default chain */
  readonly profile?: string;
  /**
   * DynamoDB table used for locking.
   * @default - none: locking by `useLockfile`
   */
  readonly dynamodbTable?: string;
  /**
   * Lock with a `.tflock` object beside the state (Terraform >= 1.10).
   * @default true when no `dynamodbTable` is given
   */
  readonly useLockfile?: boolean;
  /** Server-side encryption of the state object. @default true */
  readonly encrypt?: boolean;
}

/**
 * State in PostgreSQL, locked with advisory locks. The password comes from `PGPASSWORD` (or
 * `PG_CONN_STR`'s libpq variables), never from `connStr`.
 * @see https://developer.hashicorp.com/terraform/language/backend/pg
 */
export interface PgStateBackend {
  readonly type: 'pg';
  /** `postgres://[user@]host[:port]/database[?sslmode=...]`, without a password. */
  readonly connStr: string;
  /**
   * Schema holding this stack's state.
   * @default 'peekstack_{stack}' with "-" turned into "_"
   */
  readonly schemaName?: string;
}

/**
 * State behind a REST endpoint (GitLab's managed state, Terraform Enterprise-compatible servers, ...),
 * locked through `lockAddress`. Credentials come from `TF_HTTP_USERNAME` / `TF_HTTP_PASSWORD`.
 * @see https://developer.hashicorp.com/terraform/language/backend/http
 */
export interface HttpStateBackend {
  readonly type: 'http';
  /** URL of the state, e.g. `https://gitlab.example/api/v4/projects/1/terraform/state/{stack}`. */
  readonly address: string;
  /** URL to lock the state; locking is required for CI. */
  readonly lockAddress: string;
  /** @default - `lockAddress` */
  readonly unlockAddress?: string;
  /** @default 'LOCK' */
  readonly lockMethod?: string;
  /** @default 'UNLOCK' */
  readonly unlockMethod?: string;
}

/** Replaces {@link STACK_PLACEHOLDER} in `value`. */
function forStack(value: string, stackName: string): string {
  return value.split(STACK_PLACEHOLDER).join(stackName);
}

/**
 * The backend with every default applied and `{stack}` replaced, as it will be written: the same
 * value the config loader uses to detect two stacks sharing one state.
 */
export function resolveStateBackend(stackName: string, backend: StateBackend): StateBackend {
  switch (backend.type) {
    case 'local':
      return { type: 'local', path: forStack(backend.path ?? `../../../terraform.${STACK_PLACEHOLDER}.tfstate`, stackName) };
    case 's3':
      return {
        ...backend,
        key: forStack(backend.key ?? `peekstack/${STACK_PLACEHOLDER}.tfstate`, stackName),
        useLockfile: backend.useLockfile ?? backend.dynamodbTable === undefined,
        encrypt: backend.encrypt ?? true,
      };
    case 'pg':
      return {
        ...backend,
        // Postgres identifiers: "-" would need quoting everywhere; stack names never hold "_".
        schemaName: forStack(backend.schemaName ?? `peekstack_${STACK_PLACEHOLDER}`, stackName.replace(/-/g, '_')),
      };
    case 'http': {
      const lockAddress = forStack(backend.lockAddress, stackName);
      return {
        ...backend,
        address: forStack(backend.address, stackName),
        lockAddress,
        unlockAddress: backend.unlockAddress === undefined ? lockAddress : forStack(backend.unlockAddress, stackName),
      };
    }
  }
}

/** Where a resolved backend keeps the state: two stacks with the same location would overwrite each other. */
export function stateLocation(backend: StateBackend): string {
  switch (backend.type) {
    case 'local':
      return `local:${backend.path}`;
    case 's3':
      return `s3://${backend.bucket}/${backend.key}${backend.endpoint ? ` at ${backend.endpoint}` : ''}`;
    case 'pg':
      return `pg:${backend.connStr}#${backend.schemaName}`;
    case 'http':
      return `http:${backend.address}`;
  }
}

/**
 * Refuses a credential written into a backend option (user:password@ in a URL, a token in a query
 * string, `password=` in a keyword connection string): credentials belong in the backend's
 * environment variables. The rule is {@link containsSecret}, the one every message redacts by.
 */
export function assertNoCredentials(field: string, value: string): string {
  if (containsSecret(value)) {
    throw new PeekStackValidationError(
      field,
      redactSecrets(value, 'value'),
      'a value without a password or token: the backend reads credentials from its environment variables (PGPASSWORD, TF_HTTP_PASSWORD, AWS_*)',
    );
  }
  return value;
}

/**
 * The checks a stack makes on its resolved backend before applying it (applyStateBackend), in one
 * place for the stacks and `peekstack validate`: no credentials in an endpoint, connection string
 * or address (they come from the backend's environment variables).
 */
export function checkStateBackend(stackName: string, backend: StateBackend = DEFAULT_STATE_BACKEND): void {
  const resolved = resolveStateBackend(stackName, backend);
  switch (resolved.type) {
    case 's3':
      if (resolved.endpoint !== undefined) assertNoCredentials('StateBackend.endpoint', resolved.endpoint);
      return;
    case 'pg':
      assertNoCredentials('StateBackend.connStr', resolved.connStr);
      return;
    case 'http':
      assertNoCredentials('StateBackend.address', resolved.address);
      assertNoCredentials('StateBackend.lockAddress', resolved.lockAddress);
      if (resolved.unlockAddress !== undefined) assertNoCredentials('StateBackend.unlockAddress', resolved.unlockAddress);
      return;
    default:
      return;
  }
}
