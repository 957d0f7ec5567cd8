/**
 * The power split component in a collector: its rule file is there with Scaphandre, node_exporter
 * and cAdvisor (the sources it splits), and not without one of them; its CPU rate window follows
 * the slower CPU source. The arithmetic itself is tested by promtool (test/real/power-split-rules.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { Collector, type CollectorProps } from '../src/collector/collector';
import { cpuRateWindowSeconds, POWER_SPLIT_RULE_GROUP } from '../src/components/power-split/definition';
import { POWER_SPLIT_RECORDS } from '../src/components/power-split/records';
import { synthConstructs } from './support/synth';

/** The rule groups of the power split file of a collector with `props`. */
function splitGroups(props: Partial<CollectorProps> = {}): { name: string; interval?: string; rules: { record?: string; expr: string }[] }[] {
  let groups: { name: string; interval?: string; rules: { record?: string; expr: string }[] }[] = [];
  synthConstructs((scope) => {
    const collector = new Collector(scope, 'collector', { hostName: 'split', addresses: ['192.0.2.1'], ...props });
    groups = (collector.prometheus.ruleGroups.get('power-split.rules.yml') ?? []) as typeof groups;
  });
  return groups;
}

describe('the power split component', () => {
  it('ships its rules on a collector with Scaphandre, node_exporter and cAdvisor, every record once, at the evaluation interval', () => {
    const groups = splitGroups({ prometheus: { scrapeIntervalSeconds: 15 } });
    expect(groups.map((g) => [g.name, g.interval])).toEqual([[POWER_SPLIT_RULE_GROUP, '15s']]);
    expect(groups[0]!.rules.map((r) => r.record)).toEqual(Object.values(POWER_SPLIT_RECORDS));
    // The CPU rates over 4 scrapes and one more: 75 s at a 15 s scrape.
    expect(groups[0]!.rules.find((r) => r.record === POWER_SPLIT_RECORDS.hostBusyCores)!.expr).toContain('[75s]');
  });

  it.each([
    ['cAdvisor', { cadvisor: { enabled: false } }],
    ['node_exporter', { nodeExporter: { enabled: false } }],
    ['Scaphandre', { scaphandre: { enabled: false } }],
  ] as const)('ships nothing on a collector without %s', (_name, props) => {
    expect(splitGroups(props as Partial<CollectorProps>)).toEqual([]);
  });

  it('takes its CPU rate window from the slower CPU source, never shorter than an evaluation interval', () => {
    expect(cpuRateWindowSeconds({ evaluationIntervalSeconds: 15, nodeScrapeIntervalSeconds: 15, cadvisorScrapeIntervalSeconds: 15 })).toBe(75);
    expect(cpuRateWindowSeconds({ evaluationIntervalSeconds: 5, nodeScrapeIntervalSeconds: 5, cadvisorScrapeIntervalSeconds: 10 })).toBe(50);
    expect(cpuRateWindowSeconds({ evaluationIntervalSeconds: 60, nodeScrapeIntervalSeconds: 5, cadvisorScrapeIntervalSeconds: 5 })).toBe(65);
  });
});
