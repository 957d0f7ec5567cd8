/**
 * Stack names derived from host names. They name the directories under cdktf.out/stacks, CI matrix
 * entries and Terraform variables, so they must be stable (a function of the host name only) and
 * valid Terraform identifiers (a letter first, then letters, digits, "_" or "-").
 */

export { HOST_NAME_ALLOWED, HOST_NAME_PATTERN, variablePrefix } from '../core/names';

/** Name of the one interface (Grafana) stack. */
export const INTERFACE_STACK_NAME = 'interface';

/** Name of the hub stack (the fleet store and other shared services), applied first. */
export const HUB_STACK_NAME = 'hub';

/** A valid Terraform identifier. */
export const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `collector-<host>`: always a valid identifier for a valid host name, and one-to-one with it. */
export function collectorStackName(hostName: string): string {
  return `collector-${hostName}`;
}

