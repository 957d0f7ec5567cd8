import { Token } from 'cdktf';
import { PeekStackValidationError } from '../core/errors';

// Apart from validate.ts because it needs cdktf's Token: validate.ts stays free of cdktf so that the
// fleet-file checks (src/config) share its assertions without loading the framework.

/**
 * A secret must reach the synthesized JSON as a Terraform reference (a generated resource, a
 * sensitive variable, a data source), never as a literal that would sit in cdk.tf.json in plain text.
 */
export function assertSecretToken(field: string, value: string): string {
  if (!Token.isUnresolved(value)) {
    throw new PeekStackValidationError(
      field,
      '<a literal secret, not shown>',
      'a Terraform token (for example a sensitive TerraformVariable\'s stringValue), so that no secret is written in plain text to cdk.tf.json',
    );
  }
  return value;
}
