import * as z from 'zod/mini';
import { PORT_BOUNDS, PROMETHEUS_DEFAULTS } from '../core/defaults';
import { PeekStackValidationError } from '../core/errors';
import { assertPinnedImage } from '../core/validate';

/**
 * The pieces the fleet file's schemas are built of (schema.ts, alerting-schema.ts, and the
 * components' fleet-keys.ts that schema.ts gathers), so that every section words its messages alike
 * and the loader can read them back (keysAllowedBy).
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

/** A string checked by one of the constructs' assertions, so the file and the constructs agree. */
export function assertedString(assertion: (field: string, value: string) => unknown, typeError = 'a string') {
  return z.string({ error: typeError }).check(z.superRefine((value, ctx) => {
    try {
      assertion('fleet', value);
    } catch (error) {
      if (!(error instanceof PeekStackValidationError)) throw error;
      // `found` as the assertion rendered it: it hides what must not be echoed (a password in a URL).
      ctx.addIssue({ code: 'custom', message: error.allowed, params: { found: error.received } });
    }
  }));
}

/**
 * The schemas of a fleet file are built on first use, and only those of the keys the file uses
 * (see fleetFileSchemaFor in schema.ts): building every schema zod offers for the whole file was a third
 * of `peekstack list`'s own time, for sections most fleet files never write.
 */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** `true` or `false`. */
export const flag = once(() => z.boolean({ error: 'true or false' }));
/** A TCP port. */
export const port = once(() => integer(PORT_BOUNDS.min, PORT_BOUNDS.max, '(a TCP port)'));
const { intervalSeconds } = PROMETHEUS_DEFAULTS.bounds;
/** A whole number of seconds within Prometheus's interval bounds. */
export const seconds = once(() => integer(intervalSeconds.min, intervalSeconds.max, 'seconds'));
/** A pinned image reference, checked as the constructs check it. */
export const image = once(() => assertedString(assertPinnedImage, 'an image reference such as "prom/prometheus:v3.5.3"'));

/** An exporter's mapping under a host's `exporters:`: turned off, or another pinned image. */
export const exporterSchema = once(() => strict({ enabled: z.optional(flag()), image: z.optional(image()) }));
