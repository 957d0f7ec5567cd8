/**
 * Embodied emissions of a host and the carbon-intensity zone of its grid: what the fleet file says
 * for `peekstack energy`'s SCI (Green Software Foundation, ISO/IEC 21031:2024). One source of truth
 * for their limits, used by the fleet file's schema and by the report.
 */

/** The emissions of making (and disposing of) a machine, spread over its expected life. */
export interface EmbodiedEmissions {
  /** Total embodied emissions of the machine, kilograms of CO₂-equivalent (e.g. from its vendor's product carbon footprint). */
  readonly kgCO2e: number;
  /** The expected service life the embodied emissions are spread over, in years. */
  readonly lifetimeYears: number;
}

/** The allowed values, in words, for error messages. */
export const EMBODIED_LIMITS = {
  kgCO2e: 'kilograms of CO2e, more than 0 (the machine\'s product carbon footprint; leave `embodied` out if unknown)',
  lifetimeYears: 'years of expected service life, more than 0 (e.g. 4)',
} as const;

/** Seconds in a year of 365.25 days: what `lifetimeYears` is converted with. */
export const SECONDS_PER_YEAR = 365.25 * 86_400;

/** An Electricity Maps zone identifier: letters, digits and "-" (e.g. `DE`, `US-CAL-CISO`). */
export const CARBON_ZONE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** The allowed value of `carbon.zone`, in words. */
export const CARBON_ZONE_ALLOWED = 'an Electricity Maps zone identifier such as "DE", "FR" or "US-CAL-CISO" (letters, digits and "-")';

/**
 * The share of `embodied` that a window of `windowSeconds` on `resourceShare` of the machine
 * accounts for, in grams: SCI's M = total embodied × (time reserved / expected lifetime) ×
 * (resources reserved / total resources).
 */
export function embodiedGrams(embodied: EmbodiedEmissions, windowSeconds: number, resourceShare: number): number {
  return embodied.kgCO2e * 1000 * (windowSeconds / (embodied.lifetimeYears * SECONDS_PER_YEAR)) * resourceShare;
}
