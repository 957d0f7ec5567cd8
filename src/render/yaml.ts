import { stringify } from 'yaml';

/**
 * Serializes a config document the way every PeekStack file is written: no line folding (long
 * regexes and Terraform tokens must stay on one line, or they would no longer resolve) and strings
 * double-quoted so that values such as bcrypt hashes (`$2a$...`) or `host:port` are never re-typed
 * by a YAML reader.
 */
export function toYaml(document: unknown, header?: string): string {
  const body = stringify(document, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
  return header ? `${header.split('\n').map((line) => `# ${line}`.trimEnd()).join('\n')}\n${body}` : body;
}
