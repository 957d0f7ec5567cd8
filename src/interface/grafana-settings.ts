import { GRAFANA_DEFAULTS } from '../core/defaults';
import { DEFAULT_IMAGES } from '../core/images';
import { assertPinnedImage, assertPort } from '../core/validate';

/** Grafana's settings a fleet file gives, checked in one place: by the construct and by `peekstack validate`. Pure. */
export interface GrafanaSettings {
  readonly image: string;
  readonly publishedPort: number;
}

/** The settings with their defaults applied; throws PeekStackValidationError for a bad value. */
export function resolveGrafanaSettings(props: Partial<GrafanaSettings>): GrafanaSettings {
  return {
    image: assertPinnedImage('Grafana.image', props.image ?? DEFAULT_IMAGES.grafana),
    publishedPort: assertPort('Grafana.publishedPort', props.publishedPort ?? GRAFANA_DEFAULTS.publishedPort),
  };
}
