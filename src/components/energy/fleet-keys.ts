import * as z from 'zod/mini';
import { strict } from '../../config/schema-builders';
import { FACTOR_LIMITS, isCurrencyCode } from './factors';
import { CARBON_ZONE_ALLOWED, CARBON_ZONE_PATTERN, EMBODIED_LIMITS } from './embodied';

/**
 * The energy component's fleet-file keys: `accounting:`, `embodied:` and `carbon:` of a host or of `defaults`. Pure zod;
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

/** A number more than 0, with `error` as its message. */
const positive = (error: string) => z.number({ error }).check(z.gt(0, { error }));

/**
 * `embodied`: the machine's embodied emissions (embodied.ts) for `peekstack energy`'s SCI: both
 * numbers together, each more than 0 (a lifetime of 0 would divide by zero, a negative footprint subtract).
 */
export const embodiedKey = () =>
  z.optional(strict({
    kgCO2e: positive(EMBODIED_LIMITS.kgCO2e),
    lifetimeYears: positive(EMBODIED_LIMITS.lifetimeYears),
  }));

/** `carbon`: the grid zone whose hourly carbon intensity `peekstack energy --carbon-api/--carbon-csv` reads. */
export const carbonKey = () =>
  z.optional(strict({
    zone: z.string({ error: CARBON_ZONE_ALLOWED }).check(z.regex(CARBON_ZONE_PATTERN, { error: CARBON_ZONE_ALLOWED })),
  }));
