import { FLEET_STORE_DEFAULTS } from '../core/defaults';
import { DEFAULT_IMAGES } from '../core/images';
import { assertIntegerInRange, assertPinnedImage, assertPort } from '../core/validate';

/** The fleet store's settings a fleet file gives, checked in one place: by the construct and by `peekstack validate`. Pure. */
export interface FleetStoreSettings {
  readonly image: string;
  readonly vmauthImage: string;
  readonly retentionDays: number;
  readonly dedupMinScrapeIntervalSeconds: number;
  readonly publishedPort: number;
}

/** The settings with their defaults applied; throws PeekStackValidationError for a bad value. */
export function resolveFleetStoreSettings(props: Partial<FleetStoreSettings>): FleetStoreSettings {
  const bounds = FLEET_STORE_DEFAULTS.bounds.retentionDays;
  return {
    image: assertPinnedImage('FleetStore.image', props.image ?? DEFAULT_IMAGES.victoriaMetrics),
    vmauthImage: assertPinnedImage('FleetStore.vmauthImage', props.vmauthImage ?? DEFAULT_IMAGES.vmauth),
    retentionDays: assertIntegerInRange('FleetStore.retentionDays', props.retentionDays ?? FLEET_STORE_DEFAULTS.retentionDays, bounds.min, bounds.max, 'days'),
    dedupMinScrapeIntervalSeconds: assertIntegerInRange(
      'FleetStore.dedupMinScrapeIntervalSeconds',
      props.dedupMinScrapeIntervalSeconds ?? FLEET_STORE_DEFAULTS.dedupMinScrapeIntervalSeconds,
      1,
      3600,
      'seconds (the collectors\' scrape interval)',
    ),
    publishedPort: assertPort('FleetStore.publishedPort', props.publishedPort ?? FLEET_STORE_DEFAULTS.publishedPort),
  };
}
