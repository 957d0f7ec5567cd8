import type { CollectorComponent, ComponentHost } from '../collector-component';
import { JOB } from '../../core/labels';
import { energyAccountingComponent } from './definition';

/** How often `collector` scrapes `job`, or `undefined` when no component attached so far has that job. */
export function scrapeIntervalOf(collector: ComponentHost, job: string): number | undefined {
  return collector.components.some((component) => component.scrapeTarget?.jobName === job)
    ? collector.prometheus.scrapeJobs.find((scrapeJob) => scrapeJob.jobName === job)?.scrapeIntervalSeconds
    : undefined;
}

/**
 * Energy accounting as a collector attaches it: kWh, CO₂ and cost rules from the power sources the
 * collector has (Scaphandre, node_exporter's RAPL counters, at their scrape intervals) and its
 * accounting factors. Attach it after those sources.
 */
export function energyComponent(): CollectorComponent {
  return {
    name: 'energy',
    bind: (collector) => {
      const intervalOf = (job: string) => scrapeIntervalOf(collector, job);
      const { name: _name, ...bound } = energyAccountingComponent({
        evaluationIntervalSeconds: collector.prometheus.evaluationIntervalSeconds,
        scaphandreScrapeIntervalSeconds: intervalOf(JOB.scaphandre),
        nodeScrapeIntervalSeconds: intervalOf(JOB.node),
        factors: collector.accounting,
      });
      return bound;
    },
  };
}
