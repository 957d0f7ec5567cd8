import * as z from 'zod/mini';
import { strict } from '../../config/schema-builders';
import { FACTOR_LIMITS, isCurrencyCode } from './factors';

/**
 * The energy component's fleet-file keys: `accounting:` of a host or of `defaults`. Pure zod;
 * src/config/schema.ts gathers it (docs/fleet-file.md documents it).
 */

/** A number at least `min`, with the factor's own words (factors.ts) as its message. */
const factor = (min: number, error: string) => z.number({ error }).check(z.gte(min, { error }));

/**
 * `accounting`: the accounting factors (factors.ts), key by key over `defaults`. A price and its
 * currency are written together, so that no host reads a price in another mapping's currency.
 */
export const accountingKey = () =>
  z.optional(strict({
    carbonIntensityGramsPerKwh: z.optional(factor(0, FACTOR_LIMITS.carbonIntensityGramsPerKwh)),
    pricePerKwh: z.optional(factor(0, FACTOR_LIMITS.pricePerKwh)),
    currency: z.optional(z.string({ error: FACTOR_LIMITS.currency }).check(z.refine(isCurrencyCode, { error: FACTOR_LIMITS.currency }))),
    pue: z.optional(factor(1, FACTOR_LIMITS.pue)),
  }).check(z.superRefine((accounting, ctx) => {
    if ((accounting.pricePerKwh === undefined) !== (accounting.currency === undefined)) {
      const missing = accounting.pricePerKwh === undefined ? 'pricePerKwh' : 'currency';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'pricePerKwh and currency set together (a price means nothing in another currency)' });
    }
  })));
