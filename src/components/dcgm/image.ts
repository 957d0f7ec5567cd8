/**
 * the DCGM exporter's image pin: edit it here. src/core/images.ts gathers it into DEFAULT_IMAGES, which every
 * construct and the fleet file's `image` keys override. Keep the `name: 'image:tag'` form: Renovate's
 * regex manager (renovate.json) reads it, and test/renovate.test.ts checks that it does. This file
 * imports nothing, so the gatherer in src/core/ reaches no further than it.
 */
export const DCGM_IMAGE = {
  /** NVIDIA DCGM exporter (the GPU add-on): DCGM 4.4.2 paired with exporter 4.7.1. @see https://github.com/NVIDIA/dcgm-exporter */
  dcgmExporter: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.4.2-4.7.1-ubuntu22.04',
} as const;
