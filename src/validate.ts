import { Token } from 'cdktf';
import { PeekStackValidationError } from './errors';

/**
 * Small assertion helpers shared by the constructs. Each throws a {@link PeekStackValidationError}
 * naming the field, the value and what is allowed, and returns the value so defaults can be
 * applied and checked in one expression: `this.port = assertPort('X.port', props.port ?? 9090)`.
 */

/** A TCP port, 1-65535. */
export function assertPort(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new PeekStackValidationError(field, value, 'an integer TCP port from 1 to 65535');
  }
  return value;
}

/** A whole number within [min, max]. */
export function assertIntegerInRange(field: string, value: number, min: number, max: number, unit = ''): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const suffix = unit ? ` ${unit}` : '';
    throw new PeekStackValidationError(field, value, `an integer from ${min} to ${max}${suffix}`);
  }
  return value;
}

/** A non-empty string without surrounding white space. */
export function assertNonEmpty(field: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.trim() !== value) {
    throw new PeekStackValidationError(field, value, 'a non-empty string without leading or trailing spaces');
  }
  return value;
}

/** A string matching `pattern`, described as `allowed` in the error. */
export function assertMatches(field: string, value: string, pattern: RegExp, allowed: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new PeekStackValidationError(field, value, allowed);
  }
  return value;
}

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

/**
 * A Docker image reference pinned to an explicit version: `[registry/]repository:tag` or
 * `...@sha256:<digest>`. `latest` and untagged references are refused because they make a deploy
 * non-repeatable.
 */
export function assertPinnedImage(field: string, value: string): string {
  const reference =
    /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/;
  const match = typeof value === 'string' ? reference.exec(value) : null;
  const tag = match?.[1];
  const hasDigest = typeof value === 'string' && value.includes('@sha256:');
  if (!match || (!hasDigest && (tag === undefined || tag === 'latest'))) {
    throw new PeekStackValidationError(
      field,
      value,
      'an image reference pinned to a version, "[registry/]name:tag" with a tag other than "latest", or "name@sha256:<digest>"',
    );
  }
  return value;
}

/** A Docker volume name. */
export function assertVolumeName(field: string, value: string): string {
  return assertMatches(field, value, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a Docker volume name (letters, digits, "_", "." or "-", starting with a letter or digit)');
}

/** A basic-auth user name: it travels in HTTP headers, YAML and env files, so no special characters. */
export function assertUserName(field: string, value: string): string {
  return assertMatches(field, assertNonEmpty(field, value), /^[A-Za-z0-9._-]{1,64}$/, '1 to 64 letters, digits, ".", "_" or "-"');
}

/** A DNS name or an IP address (v4 or v6), as other machines reach a host. */
export function assertAddress(field: string, value: string): string {
  return assertMatches(field, value, /^[A-Za-z0-9.:-]+$/, 'a DNS name or an IP address');
}

/** The first value that occurs twice in `values`, if any. */
export function findDuplicate(values: readonly string[]): string | undefined {
  return values.find((value, index) => values.indexOf(value) !== index);
}
