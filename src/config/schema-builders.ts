import * as z from 'zod/mini';

/**
 * The pieces the fleet file's schemas are built of (schema.ts, alerting-schema.ts), so that every
 * section words its messages alike and the loader can read them back (keysAllowedBy).
 */

const KEYS_PREFIX = 'one of the keys ';

/** A strict object whose unknown-key error lists the keys it accepts. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T, what = 'a mapping (key: value)') {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `${KEYS_PREFIX}${keys}` : what),
  });
}

/** The keys a mapping accepts, read back from its unknown-key message (see {@link strict}). */
export function keysAllowedBy(message: string): string[] {
  return message.startsWith(KEYS_PREFIX) ? message.slice(KEYS_PREFIX.length).split(', ') : [];
}

/** An integer in [min, max], with one message for every way of missing it; `what` (a unit) ends it. */
export function integer(min: number, max: number, what: string) {
  const error = `an integer from ${min} to ${max}${what ? ` ${what}` : ''}`;
  return z.number({ error }).check(z.int({ error }), z.gte(min, { error }), z.lte(max, { error }));
}

/** A non-empty string, `what` being its message for every way of missing it. */
export const text = (what = 'a non-empty string') => z.string({ error: what }).check(z.minLength(1, { error: what }));
