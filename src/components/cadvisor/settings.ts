import { DEFAULT_IMAGES } from '../../core/images';
import { assertPinnedImage } from '../../core/validate';

/** cAdvisor's settings a fleet file gives, checked in one place: by the construct and by `peekstack validate`. Pure. */
export interface CadvisorSettings {
  readonly image: string;
}

/** The settings with their defaults applied; throws PeekStackValidationError for a bad value. */
export function resolveCadvisorSettings(props: Partial<CadvisorSettings>): CadvisorSettings {
  return { image: assertPinnedImage('Cadvisor.image', props.image ?? DEFAULT_IMAGES.cadvisor) };
}
