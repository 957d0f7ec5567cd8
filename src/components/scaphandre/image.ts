/**
 * Scaphandre's image pin: edit it here. src/core/images.ts gathers it into DEFAULT_IMAGES, which every
 * construct and the fleet file's `image` keys override. Keep the `name: 'image:tag'` form: Renovate's
 * regex manager (renovate.json) reads it, and test/renovate.test.ts checks that it does. This file
 * imports nothing, so the gatherer in src/core/ reaches no further than it.
 */
export const SCAPHANDRE_IMAGE = {
  /** @see https://hub.docker.com/r/hubblo/scaphandre/tags */
  scaphandre: 'hubblo/scaphandre:1.0.2',
} as const;
