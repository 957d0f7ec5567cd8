import { PeekStackValidationError } from '../../core/errors';

// Apart from scaphandre.ts (the construct) so that the fleet-file checks apply the same floor
// without loading cdktf and the Docker provider.

/**
 * Scaphandre's Prometheus exporter refreshes its readings only when more than this many seconds
 * passed since the previous request; a scrape within that time gets the previous values again.
 */
export const SCAPHANDRE_REFRESH_SECONDS = 2;

/**
 * The shortest whole-second interval Scaphandre may be scraped at: strictly more than
 * {@link SCAPHANDRE_REFRESH_SECONDS}. Exactly 2 s is not enough: Prometheus's ticker lands on the
 * boundary, and with the real Scaphandre 1.0.2 about half of the 2 s scrapes returned the previous
 * reading (energy deltas +0, +202 J, +101 J, +0, ...), which made `rate()` read 56 W for 50 W.
 */
export const SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS = 3;

/** Why the floor exists, for error messages. */
export const SCAPHANDRE_FLOOR_REASON = `Scaphandre refreshes its readings only when more than ${SCAPHANDRE_REFRESH_SECONDS} s have passed since the previous scrape, so a ${SCAPHANDRE_REFRESH_SECONDS} s interval returns stale values half of the time`;

/** Refuses a Scaphandre scrape interval under the 2 s floor. */
export function assertScaphandreInterval(field: string, seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS) {
    throw new PeekStackValidationError(
      field,
      seconds,
      `at least ${SCAPHANDRE_MIN_SCRAPE_INTERVAL_SECONDS} seconds: ${SCAPHANDRE_FLOOR_REASON}`,
    );
  }
  return seconds;
}
