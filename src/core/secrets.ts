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
// Scanned by hand rather than by a regular expression: a backtracking pattern for "to the last @"
// takes time in the square of the text's length (a 20 KB value took 0.8 s, 1 MB never ended).
const SCHEME_CHAR = /[a-z0-9+.-]/i;
const SCHEME_START = /[a-z]/i;
const USER_END = /[\s/?#@:]/;

/** Where the text that may hold a password ends, for a password starting at `from`. */
const passwordEnd: Record<RedactScope, (text: string, from: number) => number> = {
  value: (text, from) => endOfRun(text, from, (char) => char === '\n'),
  line: (text, from) => endOfRun(text, from, (char) => /\s/.test(char)),
};

function endOfRun(text: string, from: number, isEnd: (char: string) => boolean): number {
  let index = from;
  while (index < text.length && !isEnd(text[index])) index++;
  return index;
}

/**
 * `text` with the password of every `scheme://user:password@` replaced by {@link REDACTED}: the
 * scheme is the longest run of scheme characters before "://" that starts with a letter, and the
 * password runs to the last "@" of its line (`value`) or of its word (`line`; at least one character).
 * Each character is read a bounded number of times. Exported for the test that compares it with the
 * backtracking expressions it replaced.
 */
export function redactUserinfo(text: string, scope: RedactScope): string {
  let result = '';
  let copiedUpTo = 0;
  // The end of the current line or word, and the last "@" in it, found once per line or word.
  let runEnd = -1;
  let lastAt = -1;
  let search = 0;
  for (let separator = text.indexOf('://', search); separator >= 0; separator = text.indexOf('://', search)) {
    search = separator + 3;
    let schemeStart = separator;
    while (schemeStart > copiedUpTo && SCHEME_CHAR.test(text[schemeStart - 1])) schemeStart--;
    while (schemeStart < separator && !SCHEME_START.test(text[schemeStart])) schemeStart++;
    if (schemeStart === separator) continue;
    let userEnd = separator + 3;
    while (userEnd < text.length && !USER_END.test(text[userEnd])) userEnd++;
    if (text[userEnd] !== ':') continue;
    const from = userEnd + 1;
    if (from > runEnd) {
      runEnd = passwordEnd[scope](text, from);
      lastAt = runEnd - 1;
      while (lastAt >= from && text[lastAt] !== '@') lastAt--;
    }
    const minimumLength = scope === 'line' ? 1 : 0;
    if (lastAt < from + minimumLength) {
      // No "@" after this point in the line or word: no later "://" in it can match either.
      search = Math.max(search, runEnd);
      continue;
    }
    result += text.slice(copiedUpTo, from) + REDACTED;
    copiedUpTo = lastAt;
    search = lastAt + 1;
  }
  return result + text.slice(copiedUpTo);
}

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

// `user:password@host` written without a scheme (an SMTP smarthost, a store URL missing its
// https://): only at the start of a value or word, and not an image digest (`name:tag@sha256:...`).
// A start only after white space or a quote keeps each attempt within one word: linear time.
const SCHEMELESS_USERINFO = /(^|[\s"'])([^\s/@:"']+:)([^\s/@"']+)(?=@(?!sha\d+:)[^\s@])/g;

/**
 * Secrets known by their shape wherever they stand, whatever the key: the part to hide follows a
 * fixed prefix, so each is found in linear time.
 */
const KNOWN_SECRET_SHAPES: readonly RegExp[] = [
  // Slack incoming webhooks and workflow triggers: the path is the credential.
  /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[^\s"'<]+/gi,
  // Slack API tokens (bot, user, app, refresh).
  /(\b)xox[abeoprs]-[A-Za-z0-9-]+/g,
  // PagerDuty's integration URL carries the integration key in its path.
  /(events\.pagerduty\.com\/integration\/)[^\s/"'<]+/gi,
  // Discord webhooks: id and token in the path.
  /(discord(?:app)?\.com\/api\/webhooks\/)[^\s"'<]+/gi,
  // A bearer token written out, as in an Authorization header.
  /(\bBearer\s+)[A-Za-z0-9._~+/-]{8,}=*/g,
];

/** `text` with the credential part of each known secret shape replaced by {@link REDACTED}. */
function redactKnownShapes(text: string): string {
  let result = text.replace(SCHEMELESS_USERINFO, (_match, before: string, user: string, password: string) => (password === REDACTED ? _match : `${before}${user}${REDACTED}`));
  for (const shape of KNOWN_SECRET_SHAPES) result = result.replace(shape, (match, prefix: string) => (match.slice(prefix.length) === REDACTED ? match : `${prefix}${REDACTED}`));
  return result;
}

/** `text` with every secret it carries replaced by {@link REDACTED}. */
export function redactSecrets(text: string, scope: RedactScope = 'line'): string {
  const parameter = (match: string, before: string, name: string, value: string) => (isSecretName(name) && value !== REDACTED ? `${before}${REDACTED}` : match);
  const withoutUserinfo = redactKnownShapes(redactUserinfo(text, scope));
  if (scope === 'line') return withoutUserinfo.replace(PARAMETER.line, parameter);
  // A value may be a keyword string, a URL, or a path with a query: read it both ways.
  return withoutUserinfo.replace(PARAMETER.keyword, parameter).replace(PARAMETER.query, parameter);
}

/**
 * Whether the input value `text` carries a secret (a password in a URL, a token in a query,
 * `password=...`, a Slack or PagerDuty webhook URL, a Slack token, a bearer token).
 */
export function containsSecret(text: string): boolean {
  return redactSecrets(text, 'value') !== text;
}
