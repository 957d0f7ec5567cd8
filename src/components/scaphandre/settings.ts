import { DEFAULT_IMAGES } from '../../core/images';
import { assertPinnedImage } from '../../core/validate';
import { assertScaphandreInterval } from './floor';

/** Scaphandre's settings a fleet file gives, checked in one place: by the construct and by `peekstack validate`. Pure. */
export interface ScaphandreSettings {
  readonly image: string;
  /** The `scaphandre` job's own interval. @default - Prometheus's (its floor is checked with the job) */
  readonly scrapeIntervalSeconds?: number;
}

/** The settings with their defaults applied; throws PeekStackValidationError for a bad value. */
export function resolveScaphandreSettings(props: Partial<ScaphandreSettings>): ScaphandreSettings {
  const image = assertPinnedImage('Scaphandre.image', props.image ?? DEFAULT_IMAGES.scaphandre);
  if (props.scrapeIntervalSeconds !== undefined) assertScaphandreInterval('Scaphandre.scrapeIntervalSeconds', props.scrapeIntervalSeconds);
  return { image, scrapeIntervalSeconds: props.scrapeIntervalSeconds };
}
