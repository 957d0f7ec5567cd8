/**
 * Accounting factors: what turns measured energy into CO₂ and money. One source of truth for their
 * defaults, sources, limits and arithmetic, used by the fleet file, the recording rules and
 * `peekstack energy`.
 */
import { PeekStackValidationError } from '../../core/errors';

/** Joules per kilowatt-hour. */
export const JOULES_PER_KWH = 3.6e6;

/** Factors of one host (fleet defaults merged with the host's overrides). */
export interface AccountingFactors {
  /** Grid carbon intensity, grams of CO₂-equivalent per kWh drawn from the grid. */
  readonly carbonIntensityGramsPerKwh: number;
  /** Electricity price per kWh, in `currency`. */
  readonly pricePerKwh: number;
  /** ISO 4217 code of the price's currency, e.g. `EUR`. */
  readonly currency: string;
  /**
   * Power usage effectiveness of the site: facility energy / IT energy, at least 1. The measured
   * (IT) energy is multiplied by it before CO₂ and cost are computed, as Cloud Carbon Footprint does.
   */
  readonly pue: number;
}

/**
 * Defaults, each a placeholder every user should replace with their site's values (hosts in other
 * regions differ by an order of magnitude): see {@link ACCOUNTING_FACTOR_SOURCES}.
 */
export const DEFAULT_ACCOUNTING_FACTORS: AccountingFactors = {
  carbonIntensityGramsPerKwh: 445,
  pricePerKwh: 0.2872,
  currency: 'EUR',
  pue: 1,
};

/** Where each default comes from. */
export const ACCOUNTING_FACTOR_SOURCES: Readonly<Record<keyof AccountingFactors, string>> = {
  carbonIntensityGramsPerKwh: "IEA 2024 world average grid intensity, the Green Metrics Tool's static default",
  pricePerKwh: 'Eurostat, EU average household electricity price including taxes, second half of 2024 (EUR 28.72 per 100 kWh)',
  currency: 'the currency of the default price',
  pue: 'no facility overhead: the energy measured at the server; set your site PUE (e.g. a data centre)',
};

/** ISO 4217 codes this Node.js knows (ICU's list), for checking `currency`. */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

/** The allowed range of each numeric factor, in words, for error messages. */
export const FACTOR_LIMITS = {
  carbonIntensityGramsPerKwh: 'a number of gCO2e/kWh, at least 0',
  pricePerKwh: 'a price per kWh, at least 0',
  pue: 'a power usage effectiveness, at least 1 (facility energy / IT energy)',
  currency: 'an ISO 4217 currency code such as EUR, USD, GBP',
} as const;

/**
 * Checks a complete set of factors.
 * @throws PeekStackValidationError naming `field`.factor, the value and the allowed range
 */
export function assertAccountingFactors(field: string, factors: AccountingFactors): AccountingFactors {
  const check = (key: keyof typeof FACTOR_LIMITS, ok: boolean, value: unknown) => {
    if (!ok) throw new PeekStackValidationError(`${field}.${key}`, value, FACTOR_LIMITS[key]);
  };
  check('carbonIntensityGramsPerKwh', Number.isFinite(factors.carbonIntensityGramsPerKwh) && factors.carbonIntensityGramsPerKwh >= 0, factors.carbonIntensityGramsPerKwh);
  check('pricePerKwh', Number.isFinite(factors.pricePerKwh) && factors.pricePerKwh >= 0, factors.pricePerKwh);
  check('pue', Number.isFinite(factors.pue) && factors.pue >= 1, factors.pue);
  check('currency', isCurrencyCode(factors.currency), factors.currency);
  return factors;
}

/** What an amount of measured energy accounts for. */
export interface EnergyAccount {
  readonly kwh: number;
  /** kWh × PUE: what the site drew from the grid for it. */
  readonly facilityKwh: number;
  readonly gramsCo2e: number;
  readonly cost: number;
  readonly currency: string;
}

/** Energy in joules → kWh, facility kWh, gCO₂e and cost. */
export function account(joules: number, factors: AccountingFactors): EnergyAccount {
  const kwh = joules / JOULES_PER_KWH;
  const facilityKwh = kwh * factors.pue;
  return {
    kwh,
    facilityKwh,
    gramsCo2e: facilityKwh * factors.carbonIntensityGramsPerKwh,
    cost: facilityKwh * factors.pricePerKwh,
    currency: factors.currency,
  };
}
