/**
 * Prometheus's image pin: edit it here. src/core/images.ts gathers it into DEFAULT_IMAGES, which every
 * construct and the fleet file's `image` keys override. Keep the `name: 'image:tag'` form: Renovate's
 * regex manager (renovate.json) reads it, and test/renovate.test.ts checks that it does. This file
 * imports nothing, so the gatherer in src/core/ reaches no further than it.
 */
export const PROMETHEUS_IMAGE = {
  /** 3.5 is a long-term-support line; 3.5.5 fixes CVE-2026-53606 (3.5.4: GHSA-39j6-789q-qxvh). @see https://github.com/prometheus/prometheus/releases */
  prometheus: 'prom/prometheus:v3.5.5',
} as const;
