import { PeekStackValidationError } from './errors';

/**
 * Per-host thresholds of PeekStack's alert library: the numbers written into the alerting rules'
 * expressions (each host's Prometheus has its own rule file, so a threshold is a literal there).
 * No cdktf: the fleet schema, the components' rule factories and the tests read it.
 */
export interface AlertThresholds {
  /**
   * Host power (Scaphandre, W) above which `PeekStackHostPowerHigh` fires after 15 min.
   * @default 400
   */
  readonly powerWatts?: number;
  /**
   * Host energy over the last 24 h (Scaphandre, kWh) above which `PeekStackDailyEnergyOverBudget` fires.
   * @default 10
   */
  readonly dailyEnergyKwh?: number;
  /**
   * A filesystem more than this full (%) fires `PeekStackDiskNearlyFull`.
   * @default 90
   */
  readonly diskFullPercent?: number;
  /**
   * Less available memory than this (% of MemTotal) for 15 min fires `PeekStackMemoryPressure`.
   * @default 10
   */
  readonly memoryAvailablePercent?: number;
  /**
   * CPU busier than this (% of all CPUs) for 30 min fires `PeekStackCpuSaturated`.
   * @default 90
   */
  readonly cpuBusyPercent?: number;
  /**
   * A probed certificate expiring within this many days fires `PeekStackCertificateExpiring`.
   * @default 30
   */
  readonly certificateExpiryDays?: number;
}

/** What each threshold accepts: [min, max], whether 0 is refused (`exclusiveMin`), and its unit. */
export const ALERT_THRESHOLD_BOUNDS: { readonly [K in keyof Required<AlertThresholds>]: { readonly min: number; readonly max: number; readonly exclusiveMin: boolean; readonly unit: string } } = {
  powerWatts: { min: 0, max: 1_000_000, exclusiveMin: true, unit: 'W' },
  dailyEnergyKwh: { min: 0, max: 1_000_000, exclusiveMin: true, unit: 'kWh' },
  diskFullPercent: { min: 1, max: 99, exclusiveMin: false, unit: '%' },
  memoryAvailablePercent: { min: 1, max: 99, exclusiveMin: false, unit: '%' },
  cpuBusyPercent: { min: 1, max: 100, exclusiveMin: false, unit: '%' },
  certificateExpiryDays: { min: 1, max: 365, exclusiveMin: false, unit: 'days' },
};

/** Built-in thresholds: a typical single-socket server. */
export const DEFAULT_ALERT_THRESHOLDS: Required<AlertThresholds> = {
  powerWatts: 400,
  dailyEnergyKwh: 10,
  diskFullPercent: 90,
  memoryAvailablePercent: 10,
  cpuBusyPercent: 90,
  certificateExpiryDays: 30,
};

/** What a threshold allows, in words (the fleet schema's and the constructs' message). */
export function thresholdAllowed(key: keyof AlertThresholds): string {
  const b = ALERT_THRESHOLD_BOUNDS[key];
  return b.exclusiveMin ? `a number above ${b.min} and at most ${b.max} (${b.unit})` : `a number from ${b.min} to ${b.max} (${b.unit})`;
}

/** True when `value` is within the bounds of `key`. */
export function thresholdInRange(key: keyof AlertThresholds, value: number): boolean {
  const b = ALERT_THRESHOLD_BOUNDS[key];
  return typeof value === 'number' && Number.isFinite(value) && (b.exclusiveMin ? value > b.min : value >= b.min) && value <= b.max;
}

/**
 * Applies the defaults and checks every threshold.
 * @throws PeekStackValidationError naming the threshold, the value and the range allowed
 */
export function resolveAlertThresholds(field: string, thresholds: AlertThresholds = {}): Required<AlertThresholds> {
  const resolved = { ...DEFAULT_ALERT_THRESHOLDS };
  for (const [key, value] of Object.entries(thresholds) as [keyof AlertThresholds, number | undefined][]) {
    if (!(key in ALERT_THRESHOLD_BOUNDS)) throw new PeekStackValidationError(`${field}.${key}`, key, `one of ${Object.keys(ALERT_THRESHOLD_BOUNDS).join(', ')}`);
    if (value === undefined) continue;
    if (!thresholdInRange(key, value)) throw new PeekStackValidationError(`${field}.${key}`, value, thresholdAllowed(key));
    resolved[key] = value;
  }
  return resolved;
}

/** A number as PromQL reads it (no exponent surprises for the usual values). */
export function promNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}
