/**
 * The one rule for secrets written where they do not belong: in a URL's user information, in a
 * query string, in a keyword connection string, or under a key named like a secret. The fleet loader
 * refuses them, the constructs refuse them, and every message path redacts them with the same
 * functions, so "refused" and "not shown" can never disagree.
 */

/** What replaces a secret in any text PeekStack prints. */
export const REDACTED = '<redacted>';

/**
 * Whether `name` (a YAML key, a query parameter, a connection-string keyword) names a secret.
 * camelCase, kebab-case and dotted names are compared word by word, so `apiKey`, `api-key`,
 * `X-Amz-Signature` and `sslpassword` all count, while `sslkey` (a file path), `PasswordAuthentication`
 * (an ssh option) and `keepalive` do not.
 */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  // Long words count at the end of any name; short ones only as a whole last word.
  return /(?:password|passwd|passphrase|secret|token|credentials?|creds)$/.test(words) || /(?:^|_)(?:pwd|pass|key|apikey|sig|signature|auth|sas)$/.test(words);
}

/**
 * Where the text to redact comes from. A `value` is one string of the input (a field of the fleet
 * file): a secret in it may run to its end, spaces and all, so the whole rest is hidden. A `line` is
 * a printed message, where a secret ends at white space, so the rest of the message stays readable.
 */
export type RedactScope = 'value' | 'line';

// `scheme://user:password@`: the password runs to the last "@" (users write "@", "/" and "?" in
// passwords unencoded). Over-redacting a URL with "@" in its path is the price, and a safe one.
const USERINFO: Record<RedactScope, RegExp> = {
  value: /([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)([^\n]*)(@)/gi,
  line: /([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)(\S+)(@)/gi,
};
// `name=value` at the start, after white space or after ?, &, ;, # (query strings, fragments,
// libpq keyword strings such as `host=db password=x`). A quoted value ('two words') counts only when
// its quote closes it; otherwise the quote is part of an unquoted value.
const NAME = '([A-Za-z0-9_.-]+)';
const QUOTED = `'(?:[^'\\\\]|\\\\.)*'(?=$|[\\s&;#,])|"(?:[^"\\\\]|\\\\.)*"(?=$|[\\s&;#,])`;
const PARAMETER = {
  // A URL's query: the value runs to the next separator, spaces and quotes included (neither quotes nor separates there).
  query: new RegExp(`((?:^|[\\s?&;#,])${NAME}\\s*=\\s*)([^&;#\\n]+)`, 'g'),
  // A keyword string: values are separated by white space only, "&" and ";" are content.
  keyword: new RegExp(`((?:^|\\s)${NAME}\\s*=\\s*)(${QUOTED}|\\S+)`, 'g'),
  // A printed line: a secret ends at white space or a quote, so the rest of the message stays readable.
  line: new RegExp(`((?:^|[\\s?&;#,])${NAME}\\s*=\\s*)(${QUOTED}|[^\\s&;#,"]+)`, 'g'),
};

/** `text` with every secret it carries replaced by {@link REDACTED}. */
export function redactSecrets(text: string, scope: RedactScope = 'line'): string {
  const parameter = (match: string, before: string, name: string, value: string) => (isSecretName(name) && value !== REDACTED ? `${before}${REDACTED}` : match);
  const withoutUserinfo = text.replace(USERINFO[scope], (_match, before: string, _secret: string, at: string) => `${before}${REDACTED}${at}`);
  if (scope === 'line') return withoutUserinfo.replace(PARAMETER.line, parameter);
  // A value may be a keyword string, a URL, or a path with a query: read it both ways.
  return withoutUserinfo.replace(PARAMETER.keyword, parameter).replace(PARAMETER.query, parameter);
}

/** Whether the input value `text` carries a secret (a password in a URL, a token in a query, `password=...`). */
export function containsSecret(text: string): boolean {
  return redactSecrets(text, 'value') !== text;
}
