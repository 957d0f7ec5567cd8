import { LocalBackend, TerraformStack } from 'cdktf';

/**
 * Where a stack keeps its Terraform state. State holds every generated secret, so it is git-ignored
 * and, in CI, belongs in a remote backend with locking.
 */
export type StateBackend = LocalStateBackend;

/** State in a local file. */
export interface LocalStateBackend {
  readonly type: 'local';
  /**
   * Path of the state file, relative to the stack's directory under cdktf.out (where Terraform runs).
   * Relative on purpose: cdktf's default is an absolute, machine-specific path.
   * @default '../../../terraform.<stack>.tfstate' (the project root, next to cdktf.json)
   */
  readonly path?: string;
}

/** Applies `backend` to `stack`. */
export function applyStateBackend(stack: TerraformStack, stackName: string, backend: StateBackend): void {
  new LocalBackend(stack, { path: backend.path ?? `../../../terraform.${stackName}.tfstate` });
}
