/**
 * The error every PeekStack construct and config check throws for bad input.
 *
 * The message always names where the problem is (`field`), what was received and what is allowed,
 * so that a user can fix the input without reading our source.
 */
export class PeekStackValidationError extends Error {
  /** Dotted path of the offending prop or fleet-file field, e.g. `Prometheus.listenPort`. */
  public readonly field: string;
  /** What was received, rendered for humans. */
  public readonly received: string;
  /** What would have been accepted. */
  public readonly allowed: string;

  constructor(field: string, received: unknown, allowed: string) {
    const shown = describeValue(received);
    super(`${field}: got ${shown}; expected ${allowed}`);
    this.name = 'PeekStackValidationError';
    this.field = field;
    this.received = shown;
    this.allowed = allowed;
  }
}

/** Renders a received value for an error message without dumping huge objects. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
