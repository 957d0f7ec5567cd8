/**
 * Naming rules shared by the constructs and the fleet file, so both accept exactly the same names.
 */

/**
 * Host names and name prefixes: they become container names, Terraform identifiers, stack names
 * and URL parts, so DNS-label rules, lower case only.
 */
export const HOST_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** How {@link HOST_NAME_PATTERN} reads in an error message. */
export const HOST_NAME_ALLOWED = 'lower-case letters, digits and "-", 1 to 63 characters, not starting or ending with "-"';

/** Name under which a container in a bridge network reaches its host's own network namespace. */
export const DOCKER_HOST_GATEWAY_NAME = 'host.docker.internal';

/**
 * An address as the host part of a URL: IPv6 literals need brackets. Only a real IPv6 address gets
 * them (a "name:port" mistake must not become "[name:port]"; assertAddress refuses it anyway).
 */
export function urlHost(address: string): string {
  return ipVersion(address) === 6 ? `[${address}]` : address;
}

/**
 * The IP version of `text`, 4 or 6, or 0 for anything else (a DNS name), as node's `isIP` answers.
 * IPv4 is checked here with node's own pattern; node:net is loaded only for a text that could be an
 * IPv6 address (it has a colon). Loading node:net was 6 ms of `peekstack list` for the default
 * fleet's 127.0.0.1, and its IPv6 check compiles a large regular expression on first use (some 8 ms).
 */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (IPV4.test(text)) return 4;
  if (!text.includes(':')) return 0;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  const { isIPv6 } = require('node:net') as typeof import('node:net');
  return isIPv6(text) ? 6 : 0;
}

/** A dotted-quad IPv4 address, as node's `isIPv4` reads it (lib/internal/net.js: no leading zeros, each part 0 to 255). */
const IPV4_PART = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = new RegExp(`^${IPV4_PART}(?:\\.${IPV4_PART}){3}$`);

/**
 * Prefix of a stack's Terraform variables (and so of their `TF_VAR_` environment variables, where
 * "-" is not usable): `collector-web-1` gives `collector_web_1`. Prefixed by stack so that one shell
 * deploying several stacks can give each its own secrets.
 */
export function variablePrefix(stackName: string): string {
  return stackName.replace(/-/g, '_');
}

/**
 * A component's name in a collector: Prometheus's job-name characters as PeekStack takes them
 * (a component may be named by its scrape job, `my_app` included), also its rule file's name.
 */
export const COMPONENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** How {@link COMPONENT_NAME_PATTERN} reads in an error message. */
export const COMPONENT_NAME_ALLOWED = 'letters, digits, "_" and "-", starting with a letter or digit, at most 63 characters';
