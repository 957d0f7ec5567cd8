import { PROMETHEUS_DEFAULTS } from '../../core/defaults';
import { DEFAULT_IMAGES } from '../../core/images';
import { PeekStackValidationError } from '../../core/errors';
import { scrapeTimeoutProblem } from '../../core/settings-rules';
import { assertIntegerInRange, assertPinnedImage, assertPort } from '../../core/validate';

/**
 * The settings of a {@link Prometheus} a fleet file gives, with their defaults and checks: the one
 * place they are checked, by the construct and by `peekstack validate` (src/fleet/settings.ts).
 * Pure: no cdktf.
 */
export interface PrometheusSettings {
  readonly image: string;
  readonly publishedPort: number;
  readonly scrapeIntervalSeconds: number;
  readonly scrapeTimeoutSeconds: number;
  readonly evaluationIntervalSeconds: number;
  readonly retentionDays: number;
  readonly retentionSizeGigabytes: number;
}

/** The settings with their defaults applied; throws PeekStackValidationError for a value out of bounds. */
export function resolvePrometheusSettings(props: Partial<PrometheusSettings>): PrometheusSettings {
  const bounds = PROMETHEUS_DEFAULTS.bounds;
  const image = assertPinnedImage('Prometheus.image', props.image ?? DEFAULT_IMAGES.prometheus);
  const publishedPort = assertPort('Prometheus.publishedPort', props.publishedPort ?? PROMETHEUS_DEFAULTS.publishedPort);
  const interval = (field: string, value: number) => assertIntegerInRange(field, value, bounds.intervalSeconds.min, bounds.intervalSeconds.max, 'seconds');
  const scrapeIntervalSeconds = interval('Prometheus.scrapeIntervalSeconds', props.scrapeIntervalSeconds ?? PROMETHEUS_DEFAULTS.scrapeIntervalSeconds);
  const scrapeTimeoutSeconds = interval('Prometheus.scrapeTimeoutSeconds', props.scrapeTimeoutSeconds ?? Math.min(PROMETHEUS_DEFAULTS.scrapeTimeoutSeconds, scrapeIntervalSeconds));
  const timeoutProblem = scrapeTimeoutProblem(scrapeTimeoutSeconds, scrapeIntervalSeconds);
  if (timeoutProblem) throw new PeekStackValidationError('Prometheus.scrapeTimeoutSeconds', scrapeTimeoutSeconds, `${timeoutProblem}, Prometheus.scrapeIntervalSeconds`);
  const evaluationIntervalSeconds = interval('Prometheus.evaluationIntervalSeconds', props.evaluationIntervalSeconds ?? scrapeIntervalSeconds);
  const retentionDays = assertIntegerInRange('Prometheus.retentionDays', props.retentionDays ?? PROMETHEUS_DEFAULTS.retentionDays, bounds.retentionDays.min, bounds.retentionDays.max, 'days');
  const retentionSizeGigabytes = assertIntegerInRange(
    'Prometheus.retentionSizeGigabytes',
    props.retentionSizeGigabytes ?? PROMETHEUS_DEFAULTS.retentionSizeGigabytes,
    bounds.retentionSizeGigabytes.min,
    bounds.retentionSizeGigabytes.max,
    'GiB',
  );
  return { image, publishedPort, scrapeIntervalSeconds, scrapeTimeoutSeconds, evaluationIntervalSeconds, retentionDays, retentionSizeGigabytes };
}

/** What a scrape job's interval is checked against: its own, else Prometheus's, and its floor. */
export interface ScrapeJobInterval {
  readonly jobName: string;
  /** @default - Prometheus's */
  readonly scrapeIntervalSeconds?: number;
  /** @default 1 */
  readonly minScrapeIntervalSeconds?: number;
}

/** The interval a job is scraped at (its own, else `prometheusIntervalSeconds`); throws below the job's floor or above an hour. */
export function resolveScrapeJobInterval(job: ScrapeJobInterval, prometheusIntervalSeconds: number): number {
  const ownInterval = job.scrapeIntervalSeconds;
  const interval = ownInterval ?? prometheusIntervalSeconds;
  const field = ownInterval === undefined ? `Prometheus.scrapeIntervalSeconds (used by job "${job.jobName}")` : `Prometheus.scrapeTargets[${job.jobName}].scrapeIntervalSeconds`;
  const floor = job.minScrapeIntervalSeconds ?? 1;
  if (!Number.isInteger(interval) || interval < floor || interval > 3600) {
    throw new PeekStackValidationError(field, interval, `an integer from ${floor} to 3600 seconds${floor > 1 ? `: job "${job.jobName}" must not be scraped more often than every ${floor} s` : ''}`);
  }
  return interval;
}
