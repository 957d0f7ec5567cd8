/**
 * Where `peekstack energy` reads the grid's carbon intensity hour by hour: the shape every source
 * (the Electricity Maps API, a CSV file) answers in, and the hours a window spans.
 */

/** Seconds in an hour: the grain of the intensity data (Electricity Maps' default granularity). */
export const SECONDS_PER_HOUR = 3600;

/** Where an hour's intensity came from. */
export type IntensityOrigin = 'api' | 'csv' | 'static';

/** A source of hourly carbon intensities for grid zones. */
export interface CarbonIntensitySource {
  /** The kind of source, for each hour's origin. */
  readonly kind: Exclude<IntensityOrigin, 'static'>;
  /** The source as the report names it (a URL without credentials, or a file). */
  readonly description: string;
  /**
   * The intensity in gCO₂e/kWh of each hour of `hours` (Unix seconds, each the start of a UTC hour)
   * the source knows for `zone`; hours it has no value for are absent from the map.
   * @param zone the host's `carbon.zone`; undefined when the fleet file gives none
   */
  intensities(zone: string | undefined, hours: readonly number[]): Promise<ReadonlyMap<number, number>>;
}

/** The start of the UTC hour holding `seconds`. */
export const hourStart = (seconds: number): number => Math.floor(seconds / SECONDS_PER_HOUR) * SECONDS_PER_HOUR;

/** The starts of the UTC hours that `[from, to)` overlaps, in order. */
export function hoursOf(from: number, to: number): number[] {
  const hours: number[] = [];
  for (let h = hourStart(from); h < to; h += SECONDS_PER_HOUR) hours.push(h);
  return hours;
}

/** An hour's start as ISO 8601 UTC. */
export const isoHour = (seconds: number): string => new Date(seconds * 1000).toISOString();
