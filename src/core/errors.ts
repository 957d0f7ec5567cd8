import { isSecretName, REDACTED, redactSecrets } from './secrets';

/**
 * The error every PeekStack construct and config check throws for bad input.
 *
 * The message always names where the problem is (`field`), what was received and what is allowed,
 * so that a user can fix the input without reading our source.
 */
export class PeekStackValidationError extends Error {
  /** Dotted path of the offending prop or fleet-file field, e.g. `Prometheus.listenPort`. */
  public readonly field: string;
  /** What was received, rendered for humans (secrets redacted, control characters escaped). */
  public readonly received: string;
  /** What would have been accepted. */
  public readonly allowed: string;
  /**
   * Path of the construct that refused the value (as aws-cdk's errors carry it), e.g.
   * `collector-web-1/collector/scaphandre`; undefined for a check of the fleet file, or a construct
   * refusing before it has a place in a tree.
   */
  public constructPath?: string;

  /** @param scope the construct refusing the value: its path is kept in {@link constructPath} */
  constructor(field: string, received: unknown, allowed: string, scope?: { readonly node: { readonly path: string } }) {
    const shown = describeValue(received);
    super(safeText(`${field}: got ${shown}; expected ${allowed}`));
    this.name = 'PeekStackValidationError';
    this.field = field;
    this.received = shown;
    this.allowed = allowed;
    this.constructPath = scope?.node.path;
  }
}

/**
 * Runs `build` (which builds constructs in `scope`); a PeekStackValidationError it throws without a
 * construct path gets `scope`'s, so every refusal names the construct it came from.
 */
export function inConstruct<T>(scope: { readonly node: { readonly path: string } }, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof PeekStackValidationError && error.constructPath === undefined) error.constructPath = scope.node.path;
    throw error;
  }
}

// C0 controls, DEL, C1 controls (U+009B is a one-byte CSI on some terminals), zero-width and
// bidirectional marks (they reorder what the reader sees), line/paragraph separators and the BOM.
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's whole job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

/**
 * `text` with every character a terminal could act on, or that hides or reorders text, written as
 * an escape (`\n`, `\u001b`): a value from the fleet file can then neither clear the screen nor
 * forge a line of output.
 */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** The last defence of every printed line: secrets redacted, control characters escaped. */
export function safeText(text: string): string {
  return escapeControl(redactSecrets(text));
}

/** Longest string shown whole in a message; longer ones are cut and their length given. */
const MAX_SHOWN = 80;

/** A string from the input, quoted for a message: redacted, escaped, cut when long. */
export function quote(text: string): string {
  // Redact before cutting: a cut could otherwise leave half a secret that no longer looks like one.
  const redacted = redactSecrets(text, 'value');
  const cut = redacted.length > MAX_SHOWN ? `${redacted.slice(0, MAX_SHOWN - 20)}...` : redacted;
  const suffix = cut === redacted ? '' : ` (${redacted.length} characters)`;
  return `${escapeControl(JSON.stringify(cut))}${suffix}`;
}

/** A number as YAML writes it: `.inf`, `-.inf` and `.nan` rather than JSON's `null`. */
function yamlNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  return String(value);
}

/**
 * Renders a received value for an error message without dumping huge objects: strings quoted
 * ({@link quote}), `.inf`/`.nan` as YAML writes them, collections as short JSON in which values
 * under secret-named keys are redacted and a self-containing (recursive) value is cut.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return yamlNumber(value);
  if (value === undefined) return 'nothing';
  if (value === null || typeof value !== 'object') return escapeControl(String(value));
  const ancestors: object[] = [];
  const text = JSON.stringify(value, function (this: unknown, key: string, item: unknown) {
    if (key !== '' && isSecretName(key)) return REDACTED;
    if (typeof item === 'string') return redactSecrets(item, 'value');
    if (typeof item === 'number' && !Number.isFinite(item)) return yamlNumber(item);
    if (item !== null && typeof item === 'object') {
      // `this` is the holder of `item`: drop ancestors that are not on the path to it.
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
      if (ancestors.includes(item)) return '[recursive]';
      ancestors.push(item);
    }
    return item;
  });
  if (text === undefined) return String(value);
  const shown = safeText(text);
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 3)}...` : shown;
}

/**
 * The first few of `values` and how many there are in all, so an "allowed" list stays one readable
 * line for a fleet of 10,000 hosts: `"a", "b", "c" and 9997 more`.
 */
export function listSome(values: readonly string[], shown = 5): string {
  const head = values.slice(0, shown).map(quote).join(', ');
  return values.length > shown ? `${head} and ${values.length - shown} more (${values.length} in all)` : head;
}
