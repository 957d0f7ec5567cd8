/**
 * Stack names derived from host names. They name the directories under cdktf.out/stacks, CI matrix
 * entries and Terraform variables, so they must be stable (a function of the host name only) and
 * valid Terraform identifiers (a letter first, then letters, digits, "_" or "-").
 */

/**
 * Host names: the same rule as {@link Collector}'s `hostName` (they become container names,
 * Terraform identifiers and URL parts). Kept identical on purpose; test/config/schema.test.ts
 * checks both accept the same names.
 */
export const HOST_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** How {@link HOST_NAME_PATTERN} reads in an error message. */
export const HOST_NAME_ALLOWED = 'lower-case letters, digits and "-", 1 to 63 characters, not starting or ending with "-"';

/** Name of the one interface (Grafana) stack. */
export const INTERFACE_STACK_NAME = 'interface';

/** A valid Terraform identifier. */
export const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `collector-<host>`: always a valid identifier for a valid host name, and one-to-one with it. */
export function collectorStackName(hostName: string): string {
  return `collector-${hostName}`;
}

/**
 * Prefix of a stack's Terraform variables (and so of their `TF_VAR_` environment variables, where
 * "-" is not usable): `collector-web-1` gives `collector_web_1`. One-to-one because host names
 * hold no "_".
 */
export function variablePrefix(stackName: string): string {
  return stackName.replace(/-/g, '_');
}
