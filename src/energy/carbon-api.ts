/**
 * Hourly carbon intensities from an Electricity Maps-compatible API (`peekstack energy --carbon-api
 * URL`): `GET /v3/carbon-intensity/past-range?zone=Z&start=S&end=E` with the token in the
 * `auth-token` header, answering `{ zone, data: [{ datetime, carbonIntensity, ... }] }` (gCO₂eq/kWh,
 * one point per hour at the default granularity). See
 * https://portal.electricitymaps.com/developer-hub/api/reference.
 *
 * Cached per zone and hour in memory for the run: hosts of one zone share one request, and an hour
 * asked twice is not asked again. Not on disk: a cache file would outlive the token's permissions
 * and an intensity the provider later corrects (its estimates are revised).
 */
import { UsageError } from '../config/report';
import { EnergyQueryError, httpGet } from './client';
import { type CarbonIntensitySource, SECONDS_PER_HOUR } from './carbon-intensity';

/** The environment variable that may hold the API token (instead of `--carbon-token-file`). */
export const CARBON_TOKEN_ENV = 'PEEKSTACK_CARBON_TOKEN';

/** The endpoint read, under the base URL. */
export const PAST_RANGE_PATH = '/v3/carbon-intensity/past-range';

/**
 * Hours per request: the longest range Electricity Maps serves at hourly granularity in one
 * past-range call is 10 days.
 */
const HOURS_PER_REQUEST = 240;

/** How to reach the API. */
export interface CarbonApiOptions {
  /** Base URL, e.g. `https://api.electricitymaps.com` (a path prefix is kept). */
  readonly url: string;
  /** The API token, sent in the `auth-token` header; never written in a message. */
  readonly token: string;
  /** Per-request timeout. @default 15000 */
  readonly timeoutMs?: number;
}

/** Host names that stay on this machine: the only ones a token may be sent to over plain HTTP. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * The base URL, checked: https, or http to loopback only (a stand-in on this machine), so the token
 * never crosses a network in clear.
 * @throws UsageError naming the flag
 */
export function parseCarbonApiUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`peekstack energy: --carbon-api ${JSON.stringify(url)}: not a URL; expected e.g. https://api.electricitymaps.com`);
  }
  if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '') {
    throw new UsageError('peekstack energy: --carbon-api: give the base URL without credentials or query (the token comes from --carbon-token-file or $' + CARBON_TOKEN_ENV + ')');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname))) {
    throw new UsageError(`peekstack energy: --carbon-api ${JSON.stringify(url)}: expected an https:// URL (http:// only to this machine: the token must not travel in clear)`);
  }
  return parsed;
}

/** Seconds to wait from a Retry-After header (seconds, or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - nowMs) / 1000)) : undefined;
}

/** One point of the API's answer. */
interface ApiPoint {
  readonly datetime?: unknown;
  readonly carbonIntensity?: unknown;
}

/** Electricity Maps' past-range endpoint, cached per zone and hour. */
export class ElectricityMapsIntensities implements CarbonIntensitySource {
  readonly kind = 'api' as const;
  readonly description: string;
  private readonly base: URL;
  private readonly where: string;
  /** `zone hour` → intensity, or null when the API had no value for that hour. */
  private readonly cache = new Map<string, number | null>();
  /** Requests made, for tests of the cache. */
  requests = 0;

  constructor(private readonly options: CarbonApiOptions) {
    this.base = parseCarbonApiUrl(options.url);
    this.where = `${this.base.protocol}//${this.base.host}`;
    this.description = `Electricity Maps API at ${this.where}`;
  }

  async intensities(zone: string | undefined, hours: readonly number[]): Promise<ReadonlyMap<number, number>> {
    if (zone === undefined) return new Map();
    const key = (hour: number) => `${zone} ${hour}`;
    const missing = hours.filter((h) => !this.cache.has(key(h)));
    for (let i = 0; i < missing.length; i += HOURS_PER_REQUEST) {
      const chunk = missing.slice(i, i + HOURS_PER_REQUEST);
      const answered = await this.fetchRange(zone, chunk[0]!, chunk[chunk.length - 1]! + SECONDS_PER_HOUR);
      for (const hour of chunk) this.cache.set(key(hour), answered.get(hour) ?? null);
    }
    const result = new Map<number, number>();
    for (const hour of hours) {
      const value = this.cache.get(key(hour));
      if (value !== null && value !== undefined) result.set(hour, value);
    }
    return result;
  }

  /** The hourly points of `zone` in `[start, end)`, Unix seconds. */
  private async fetchRange(zone: string, start: number, end: number): Promise<Map<number, number>> {
    const params = new URLSearchParams({ zone, start: new Date(start * 1000).toISOString(), end: new Date(end * 1000).toISOString() });
    const url = new URL(`${this.base.pathname.replace(/\/$/, '')}${PAST_RANGE_PATH}?${params}`, this.base);
    this.requests += 1;
    const answer = await httpGet(url, { 'auth-token': this.options.token, accept: 'application/json' }, this.where, this.options.timeoutMs ?? 15_000, undefined,
      "The carbon API's certificate is checked against the system's CAs: use its public https:// URL.");
    const tokenSource = `--carbon-token-file (or $${CARBON_TOKEN_ENV})`;
    if (answer.status === 401 || answer.status === 403) {
      throw new EnergyQueryError(
        `the carbon API at ${this.where} refused the token (HTTP ${answer.status}). Check the token in ${tokenSource}: it must be a valid Electricity Maps token whose plan covers zone ${zone} and the past-range endpoint.`,
        'unauthorized',
      );
    }
    if (answer.status === 429) {
      const wait = retryAfterSeconds(answer.headers['retry-after']);
      throw new EnergyQueryError(
        `the carbon API at ${this.where} is rate-limiting this token (HTTP 429). Wait ${wait !== undefined ? `${wait} s (its Retry-After)` : 'a minute (it sent no Retry-After)'} and run the same command again; intensities are not cached across runs.`,
        'rate-limited',
      );
    }
    // The body is the server's: shown only without the token, in case a server echoes it.
    const excerpt = answer.body.slice(0, 200).split(this.options.token).join('<token>');
    if (answer.status !== 200) throw new EnergyQueryError(`the carbon API at ${this.where}${PAST_RANGE_PATH} answered HTTP ${answer.status}: ${excerpt}`, 'http');
    let points: ApiPoint[];
    try {
      const body = JSON.parse(answer.body) as { data?: unknown; history?: unknown };
      // `data` in the current reference; `history` in the older /history answers.
      const list = body.data ?? body.history;
      if (!Array.isArray(list)) throw new Error('no data list');
      points = list as ApiPoint[];
    } catch {
      throw new EnergyQueryError(`the carbon API at ${this.where}${PAST_RANGE_PATH} answered something that is not {zone, data: [{datetime, carbonIntensity}]}: ${excerpt}`, 'http');
    }
    const byHour = new Map<number, number>();
    for (const point of points) {
      const at = typeof point.datetime === 'string' ? Date.parse(point.datetime) / 1000 : NaN;
      const value = point.carbonIntensity;
      // A point off the hour, or without a number (null for a missing hour), is no hourly value.
      if (Number.isFinite(at) && at % SECONDS_PER_HOUR === 0 && typeof value === 'number' && Number.isFinite(value) && value >= 0) byHour.set(at, value);
    }
    return byHour;
  }
}
