import { ipVersion } from './names';
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

/** How {@link assertAddress}'s rule reads in a message. */
export const ADDRESS_ALLOWED =
  'a DNS name or an IP address (IPv4 with four numbers 0-255, or IPv6), alone: no scheme, user, port or brackets';

/**
 * Why `value` is not an address other machines can reach a host at, or `undefined` when it is one:
 * a DNS name (RFC 1123), an IPv4 dotted quad or an IPv6 address. The reason names the part that is
 * wrong, because the usual mistakes (a port, a URL, a fifth number) each have their own fix.
 */
export function addressProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'nothing in it';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'a scheme (it is a URL): give the host name alone';
  if (value.includes('@')) return 'a user name ("@"): give the host name alone';
  if (/^\[.*\]/.test(value)) return 'brackets: write the IPv6 address without them';
  const ip = ipVersion(value);
  if (ip === 6) return value.includes('%') ? 'an IPv6 zone index ("%..."), which certificates and URLs cannot carry' : /^[0:]+$/.test(value) ? 'the unspecified address "::", which no other machine can reach' : undefined;
  if (ip === 4) return value === '0.0.0.0' ? 'the unspecified address 0.0.0.0, which no other machine can reach' : undefined;
  const colons = value.split(':').length - 1;
  if (colons === 1 && /^[^:]+:[0-9]*$/.test(value)) return `a port (":${value.split(':')[1]}"): give the address alone; ports are set separately`;
  if (colons > 0) return 'colons, but it is not a valid IPv6 address';
  if (/[^A-Za-z0-9.-]/.test(value)) return `the character ${JSON.stringify(/[^A-Za-z0-9.-]/.exec(value)?.[0])}: DNS names hold only letters, digits, "-" and "."`;
  const labels = value.split('.');
  if (/^[0-9]+$/.test(labels[labels.length - 1])) {
    // An all-numeric last label is never a DNS name (RFC 3696): this was meant as an IPv4 address.
    if (labels.length !== 4) return `${labels.length} numbers: an IPv4 address has exactly 4`;
    const bad = labels.find((label) => !/^(?:0|[1-9][0-9]{0,2})$/.test(label) || Number(label) > 255);
    return bad === undefined ? 'numbers that do not form an IPv4 address' : `the number ${JSON.stringify(bad)}: each part of an IPv4 address is 0 to 255, without leading zeros`;
  }
  if (value.length > 253) return `${value.length} characters: a DNS name has at most 253`;
  if (labels.some((label) => label === '')) return 'an empty label (a leading, trailing or doubled ".")';
  const long = labels.find((label) => label.length > 63);
  if (long !== undefined) return `a label of ${long.length} characters: at most 63`;
  const dash = labels.find((label) => label.startsWith('-') || label.endsWith('-'));
  if (dash !== undefined) return `the label ${JSON.stringify(dash)}: DNS labels do not start or end with "-"`;
  return undefined;
}

/** A DNS name or an IP address (v4 or v6), as other machines reach a host: see {@link addressProblem}. */
export function assertAddress(field: string, value: string): string {
  const problem = addressProblem(value);
  if (problem !== undefined) throw new PeekStackValidationError(field, value, `${ADDRESS_ALLOWED} (this one has ${problem})`);
  return value;
}

/** The first value that occurs twice in `values` (the first repeat, in order), if any. A Set: Grafana's datasources are one per host. */
export function findDuplicate(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}
