/**
 * A shipped table of CPU power curves, for hosts where nothing measures power (no RAPL, no ACPI
 * meter, no BMC): the `model` power source's idle and full-load watts when the fleet file names a
 * CPU model instead of giving watts.
 *
 * Source: Boavizta's open dataset, boaviztapi `boaviztapi/data/consumption_profile/cpu/cpu_profile.csv`
 * (https://github.com/Boavizta/boaviztapi, licence AGPL-3.0 as the repository states it; the
 * coefficients below are copied as published, the watts derived from them). Boavizta gives, per CPU
 * model range, the power of one CPU at a workload w (percent of its maximum) as
 * `a × ln(b × (w + c)) + d` watts. Boavizta publishes the curves without an error figure; its API
 * reports its results with a default uncertainty of 10 % (`uncertainty: 10` in its data/config.yml).
 * What they cover: the CPU packages only, not the rest of the machine.
 */

/** One row of the table: a CPU model range and its published curve. */
export interface CpuPowerCurve {
  /** The model range as Boavizta names it, manufacturer first (a fleet file's `cpuModel` starts with it). */
  readonly cpuModel: string;
  /** Coefficients of `a × ln(b × (w + c)) + d`, w in percent, result in watts per CPU. */
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

/** Where the table's rows come from, for docs and panel descriptions. */
export const CPU_POWER_TABLE_SOURCE =
  'Boavizta boaviztapi, data/consumption_profile/cpu/cpu_profile.csv (https://github.com/Boavizta/boaviztapi, AGPL-3.0)';

/**
 * The rows, as published. Left out: Boavizta's `Xeon E3` and `Xeon E` rows, whose curves give
 * implausible watts for one CPU of those ranges (517 W at full load for the E3, a range of 80 W
 * TDP parts; 1.6 W idle for the E): give such hosts explicit watts instead.
 */
export const CPU_POWER_CURVES: readonly CpuPowerCurve[] = [
  { cpuModel: 'Intel Xeon Platinum', a: 171.1813, b: 0.0354, c: 36.8953, d: -10.1336 },
  { cpuModel: 'Intel Xeon Gold', a: 35.5688, b: 0.2438, c: 9.6694, d: -0.6087 },
  { cpuModel: 'Intel Xeon Silver', a: 20.7794, b: 0.3043, c: 8.4241, d: 0.8613 },
  { cpuModel: 'Intel Xeon E5', a: 48.9167, b: 0.1349, c: 15.7262, d: -4.654 },
];

/** Power of one CPU of `curve` at `workloadPercent` (0-100), in watts: the published curve itself. */
export function curveWatts(curve: CpuPowerCurve, workloadPercent: number): number {
  return curve.a * Math.log(curve.b * (workloadPercent + curve.c)) + curve.d;
}

/**
 * The row whose model range `cpuModel` names, case aside: the longest range that `cpuModel` starts
 * with, followed by the end, a space or a dash (`Intel Xeon Gold 6230` is a Gold; `Intel Xeon
 * E5-2680` an E5, not an E).
 */
export function lookupCpuPowerCurve(cpuModel: string): CpuPowerCurve | undefined {
  const wanted = cpuModel.trim().replace(/\s+/g, ' ').toLowerCase();
  return [...CPU_POWER_CURVES]
    .sort((x, y) => y.cpuModel.length - x.cpuModel.length)
    .find((row) => {
      const range = row.cpuModel.toLowerCase();
      return wanted === range || (wanted.startsWith(range) && /^[ -]/.test(wanted.slice(range.length)));
    });
}
