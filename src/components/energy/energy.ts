import { type CollectorComponent, scrapeIntervalOf } from '../collector-component';
import { JOB } from '../../core/labels';
import { energyAccountingComponent } from './definition';

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
