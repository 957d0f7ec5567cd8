/**
 * The IPMI exporter's image pin: edit it here. src/core/images.ts gathers it into DEFAULT_IMAGES, which every
 * construct and the fleet file's `image` keys override. Keep the `name: 'image:tag'` form: Renovate's
 * regex manager (renovate.json) reads it, and test/renovate.test.ts checks that it does. This file
 * imports nothing, so the gatherer in src/core/ reaches no further than it.
 */
export const IPMI_EXPORTER_IMAGE = {
  /** The IPMI add-on (whole-machine power from the BMC, DCMI); Debian's 1.10.1 build is what the real tests run. @see https://github.com/prometheus-community/ipmi_exporter/releases */
  ipmiExporter: 'prometheuscommunity/ipmi-exporter:v1.10.1',
} as const;
