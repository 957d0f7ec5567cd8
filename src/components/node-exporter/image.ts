/**
 * node_exporter's image pin: edit it here. src/core/images.ts gathers it into DEFAULT_IMAGES, which every
 * construct and the fleet file's `image` keys override. Keep the `name: 'image:tag'` form: Renovate's
 * regex manager (renovate.json) reads it, and test/renovate.test.ts checks that it does. This file
 * imports nothing, so the gatherer in src/core/ reaches no further than it.
 */
export const NODE_EXPORTER_IMAGE = {
  /** @see https://github.com/prometheus/node_exporter/releases */
  nodeExporter: 'prom/node-exporter:v1.12.1',
} as const;
