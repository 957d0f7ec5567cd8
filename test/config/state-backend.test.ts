import { describe, expect, it } from 'vitest';
import { Testing, TerraformStack } from 'cdktf';
import { StateBackend } from '../../src/core/state-backend';
import { applyStateBackend } from '../../src/constructs/state-backend-apply';
import { PeekStackValidationError } from '../../src/core/errors';

/** The `terraform.backend` block a backend synthesizes to for stack `collector-web-1`. */
function backendBlock(backend: StateBackend): Record<string, unknown> {
  const stack = new TerraformStack(Testing.app(), 'collector-web-1');
  applyStateBackend(stack, 'collector-web-1', backend);
  return JSON.parse(Testing.synth(stack)).terraform.backend;
}

describe('applyStateBackend', () => {
  it('local: a relative path by default', () => {
    expect(backendBlock({ type: 'local' })).toEqual({ local: { path: '../../../terraform.collector-web-1.tfstate' } });
    expect(backendBlock({ type: 'local', path: 'state/{stack}.tfstate' })).toEqual({ local: { path: 'state/collector-web-1.tfstate' } });
  });

  it('s3: per-stack key, encryption, and the S3 lock file unless a DynamoDB table locks', () => {
    expect(backendBlock({ type: 's3', bucket: 'b', region: 'eu-west-1' })).toEqual({
      s3: { bucket: 'b', key: 'peekstack/collector-web-1.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
    expect(backendBlock({ type: 's3', bucket: 'b', dynamodbTable: 'locks', key: 'x/{stack}' })).toEqual({
      s3: { bucket: 'b', key: 'x/collector-web-1', dynamodb_table: 'locks', encrypt: true },
    });
  });

  it('pg: a schema per stack, no password', () => {
    expect(backendBlock({ type: 'pg', connStr: 'postgres://ci@db/state?sslmode=require' })).toEqual({
      pg: { conn_str: 'postgres://ci@db/state?sslmode=require', schema_name: 'peekstack_collector_web_1' },
    });
    expect(() => backendBlock({ type: 'pg', connStr: 'postgres://ci:pw@db/state' })).toThrow(PeekStackValidationError);
    expect(() => backendBlock({ type: 'pg', connStr: 'postgres://db/state?password=pw' })).toThrow(/without a password/);
  });

  it('http: per-stack address with a lock address, unlock defaulting to it', () => {
    expect(backendBlock({ type: 'http', address: 'https://s/{stack}', lockAddress: 'https://s/{stack}/lock' })).toEqual({
      http: { address: 'https://s/collector-web-1', lock_address: 'https://s/collector-web-1/lock', unlock_address: 'https://s/collector-web-1/lock' },
    });
    expect(() => backendBlock({ type: 'http', address: 'https://u:p@s/x', lockAddress: 'https://s/l' })).toThrow(/without a password/);
  });
});
