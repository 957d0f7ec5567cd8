/**
 * The time window of an energy report, from `--from` / `--to` / `--last`: RFC 3339 times, `now`,
 * or durations relative to now (`-2h`, `-90s`, `-1h30m`). Bad input throws a UsageError naming
 * the flag.
 */
import { UsageError } from '../config/report';

/** A window in Unix seconds. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Parses a duration such as `30m`, `1h30m`, `90s`, `2d` into seconds.
 * @returns undefined when `text` is not a duration
 */
export function parseDurationSeconds(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}

// RFC 3339: date, 'T' or space, time with optional fraction, and a mandatory offset (Z or ±hh:mm).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * One point in time: `now`, `-DURATION` (before `nowSeconds`), or an RFC 3339 time.
 * @throws UsageError naming `flag`
 */
export function parseTimePoint(flag: string, text: string, nowSeconds: number): number {
  if (text === 'now') return nowSeconds;
  if (text.startsWith('-')) {
    const seconds = parseDurationSeconds(text.slice(1));
    if (seconds !== undefined) return nowSeconds - seconds;
  } else if (RFC3339.test(text)) {
    const ms = Date.parse(text.replace(' ', 'T'));
    if (Number.isFinite(ms)) return ms / 1000;
  }
  throw new UsageError(
    `peekstack energy: ${flag} ${JSON.stringify(text)}: expected an RFC 3339 time with its offset (2026-11-28T10:00:00Z), "now", or a time relative to now such as -2h or -30m`,
  );
}

/**
 * The window the flags describe. `--last D` is `--from -D --to now`; without any flag, the last hour.
 * @throws UsageError when flags conflict, a value does not parse, the window ends before it
 *   starts, or it ends in the future
 */
export function resolveWindow(flags: { from?: string; to?: string; last?: string }, nowSeconds: number): TimeWindow {
  if (flags.last !== undefined && (flags.from !== undefined || flags.to !== undefined)) {
    throw new UsageError('peekstack energy: --last excludes --from and --to; give either --last 30m, or --from (and --to)');
  }
  let window: TimeWindow;
  if (flags.last !== undefined) {
    const seconds = parseDurationSeconds(flags.last);
    if (seconds === undefined || seconds <= 0) {
      throw new UsageError(`peekstack energy: --last ${JSON.stringify(flags.last)}: expected a duration such as 30m, 2h, 90s`);
    }
    window = { from: nowSeconds - seconds, to: nowSeconds };
  } else {
    window = {
      from: parseTimePoint('--from', flags.from ?? '-1h', nowSeconds),
      to: parseTimePoint('--to', flags.to ?? 'now', nowSeconds),
    };
  }
  if (window.to <= window.from) {
    throw new UsageError(
      `peekstack energy: the window ends (--to ${new Date(window.to * 1000).toISOString()}) before it starts (--from ${new Date(window.from * 1000).toISOString()}); swap them`,
    );
  }
  // A little slack for clocks read a moment apart.
  if (window.to > nowSeconds + 1) {
    throw new UsageError(`peekstack energy: --to ${new Date(window.to * 1000).toISOString()} is in the future; the data does not exist yet`);
  }
  return window;
}
