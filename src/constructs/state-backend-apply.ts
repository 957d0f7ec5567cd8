import { HttpBackend, LocalBackend, PgBackend, S3Backend, TerraformStack } from 'cdktf';
import { checkStateBackend, DEFAULT_STATE_BACKEND, resolveStateBackend, StateBackend } from '../core/state-backend';

// Apart from state-backend.ts because it needs cdktf: the fleet-file checks resolve and compare
// state locations without loading the framework.

/**
 * Applies `backend` to `stack`, with `{stack}` replaced by `stackName`.
 * @param backend @default DEFAULT_STATE_BACKEND (a local file with a relative path)
 */
export function applyStateBackend(stack: TerraformStack, stackName: string, backend: StateBackend = DEFAULT_STATE_BACKEND): void {
  checkStateBackend(stackName, backend);
  const resolved = resolveStateBackend(stackName, backend);
  switch (resolved.type) {
    case 'local':
      new LocalBackend(stack, { path: resolved.path });
      return;
    case 's3':
      new S3Backend(stack, {
        bucket: resolved.bucket,
        key: resolved.key as string,
        region: resolved.region,
        endpoint: resolved.endpoint,
        profile: resolved.profile,
        dynamodbTable: resolved.dynamodbTable,
        encrypt: resolved.encrypt,
      });
      // cdktf 0.21 predates Terraform 1.10's `use_lockfile`; the override writes it next to the rest.
      if (resolved.useLockfile) stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    case 'pg':
      new PgBackend(stack, { connStr: resolved.connStr, schemaName: resolved.schemaName });
      return;
    case 'http':
      new HttpBackend(stack, {
        address: resolved.address,
        lockAddress: resolved.lockAddress,
        unlockAddress: resolved.unlockAddress,
        lockMethod: resolved.lockMethod,
        unlockMethod: resolved.unlockMethod,
      });
      return;
  }
}
