import type { CollectorComponent } from '../collector-component';
import { JOB } from '../../core/labels';
import { scrapeIntervalOf } from '../collector-component';
import { powerSplitRuleGroup } from './definition';

/**
 * The idle / active power split as a collector attaches it: its rules, from the host power the energy
 * rules record (Scaphandre), node_exporter's CPU time and cAdvisor's, at their scrape intervals.
 * Attach it after those and the energy component; without all of them it adds nothing.
 */
export function powerSplitComponent(): CollectorComponent {
  return {
    name: 'power-split',
    bind: (collector) => {
      const node = scrapeIntervalOf(collector, JOB.node);
      const cadvisor = scrapeIntervalOf(collector, JOB.cadvisor);
      const energy = collector.components.some((component) => component.name === 'energy');
      const scaphandre = scrapeIntervalOf(collector, JOB.scaphandre) !== undefined;
      if (node === undefined || cadvisor === undefined || !energy || !scaphandre) return { ruleGroups: [] };
      const group = powerSplitRuleGroup({
        evaluationIntervalSeconds: collector.prometheus.evaluationIntervalSeconds,
        nodeScrapeIntervalSeconds: node,
        cadvisorScrapeIntervalSeconds: cadvisor,
      });
      return { ruleGroups: [group] };
    },
  };
}
