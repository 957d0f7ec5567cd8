/**
 * What ipmi_exporter produces as PeekStack runs it (the `dcmi` collector only, see
 * src/render/ipmi-exporter-config.ts): names and types as the exporter declares them, read from a
 * live /metrics page of Debian's 1.10.1 build in test/real/ipmi.test.ts. Appended to the central
 * catalog (src/core/metric-catalog.ts).
 */
import type { CatalogMetric } from '../../core/metric-catalog';

/** Scrape job of the IPMI exporter (the `job` label). */
export const IPMI_JOB = 'ipmi';

export const IPMI_METRICS: readonly CatalogMetric[] = [
  {
    name: 'ipmi_dcmi_power_consumption_watts',
    type: 'gauge',
    jobs: [IPMI_JOB],
    help: 'Current power of the whole machine as the BMC measures it (DCMI "Current Power"), in watts.',
    // The exporter leaves it out when the BMC answers "Power Measurement: Not Available".
    onlyWhen: 'the BMC supports DCMI power readings and reports them Active',
  },
  { name: 'ipmi_up', type: 'gauge', jobs: [IPMI_JOB], help: '1 if the collector read the BMC in the last scrape, 0 otherwise.', labels: ['collector'] },
  { name: 'ipmi_scrape_duration_seconds', type: 'gauge', jobs: [IPMI_JOB], help: 'How long the last scrape of the BMC took, in seconds.' },
];
