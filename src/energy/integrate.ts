/**
 * Energy from power samples, exactly as Scaphandre produces them. Why power and not an energy
 * counter: Scaphandre's `scaph_host_energy_microjoules` is the SUM of the per-socket RAPL counters,
 * so when one socket's counter wraps the sum drops and Prometheus takes it for a reset; measured on
 * a simulated two-socket host (80 W, one wrap in a 60 s window, see docs/real-tests.md):
 * `increase()` of it read +41 %, per-socket/per-zone counters lost the wrapped socket's last
 * interval (-0.9 % to -1.2 %), power integrated as below -0.01 %. Scaphandre reports at each
 * refresh the mean power since its previous refresh, and leaves the host power out of the one
 * refresh where a counter went backwards; so each sample stands for the interval since the previous
 * sample, and a missing sample's interval is covered by the next one.
 */

/** One power sample: Unix time in seconds, watts. */
export interface PowerSample {
  readonly t: number;
  readonly watts: number;
}

/** What {@link integratePower} found over a window. */
export interface PowerIntegral {
  readonly joules: number;
  /** joules / covered seconds (0 when nothing is covered). */
  readonly meanWatts: number;
  /** Highest sample whose interval overlaps the window (0 when none). */
  readonly peakWatts: number;
  /** Seconds of the window that samples stand for. */
  readonly coveredSeconds: number;
  /** Samples whose interval overlaps the window. */
  readonly samples: number;
}

/** Median spacing of sorted samples, in seconds; undefined with fewer than two samples. */
export function medianSpacingSeconds(samples: readonly PowerSample[]): number | undefined {
  if (samples.length < 2) return undefined;
  const gaps = samples.slice(1).map((s, i) => s.t - samples[i]!.t).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}

/**
 * Integrates power samples over `[from, to]` (Unix seconds). Sample i covers `(t[i-1], t[i]]` at
 * `watts[i]`; the first sample covers one median spacing before it. A gap longer than
 * `maxGapSeconds` (the exporter or Prometheus was down) is not filled: the sample after it covers
 * only one median spacing, and the rest counts as not covered.
 *
 * @param samples sorted by time, including the first sample after `to` (it covers the window's end)
 * @param maxGapSeconds the longest gap a single sample stands for
 *   (@default 2.5 × the median spacing: one missing sample, as at a counter wrap, and jitter)
 */
export function integratePower(samples: readonly PowerSample[], from: number, to: number, maxGapSeconds?: number): PowerIntegral {
  const spacing = medianSpacingSeconds(samples) ?? 0;
  const maxGap = maxGapSeconds ?? 2.5 * spacing;
  let joules = 0;
  let covered = 0;
  let peak = 0;
  let count = 0;
  samples.forEach((sample, i) => {
    const previous = samples[i - 1]?.t;
    const gap = previous === undefined ? spacing : sample.t - previous;
    const start = sample.t - (gap > maxGap ? spacing : gap);
    const overlap = Math.min(sample.t, to) - Math.max(start, from);
    if (overlap <= 0) return;
    joules += sample.watts * overlap;
    covered += overlap;
    peak = Math.max(peak, sample.watts);
    count += 1;
  });
  return { joules, meanWatts: covered > 0 ? joules / covered : 0, peakWatts: peak, coveredSeconds: covered, samples: count };
}

/**
 * Adds series sample by sample (per-process power into per-container power): samples of one scrape
 * share its timestamp, so equal timestamps are summed. A series absent from a scrape contributes 0
 * there (its process had ended or not started).
 */
export function sumByTimestamp(series: readonly (readonly PowerSample[])[]): PowerSample[] {
  const byTime = new Map<number, number>();
  for (const samples of series) for (const s of samples) byTime.set(s.t, (byTime.get(s.t) ?? 0) + s.watts);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, watts]) => ({ t, watts }));
}
