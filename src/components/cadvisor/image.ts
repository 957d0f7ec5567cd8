/**
 * cAdvisor's image pin: edit it here. src/core/images.ts gathers it into DEFAULT_IMAGES, which every
 * construct and the fleet file's `image` keys override. Keep the `name: 'image:tag'` form: Renovate's
 * regex manager (renovate.json) reads it, and test/renovate.test.ts checks that it does. This file
 * imports nothing, so the gatherer in src/core/ reaches no further than it.
 */
export const CADVISOR_IMAGE = {
  /**
   * cAdvisor publishes to ghcr.io from v0.53.0 on; `google/cadvisor` on Docker Hub is stale. v0.54
   * reads Docker 29's containerd image store (older ones fail on its minimum API 1.44, cadvisor#3749).
   */
  cadvisor: 'ghcr.io/google/cadvisor:v0.54.0',
} as const;
