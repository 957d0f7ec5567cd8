import { type CollectorComponent, type ComponentToggle, scrapeIntervalOf } from '../collector-component';
import { JOB } from '../../core/labels';
import { DCGM_JOB } from '../dcgm/dcgm';
import { platformPowerRuleGroup } from './definition';
import { assertModelHasCpuTime, type PowerModelInput, resolvePowerModel } from './model';

/** What a collector is told about platform power (the fleet file's `power`). */
export interface PlatformPowerOptions extends ComponentToggle {
  /**
   * Estimate the host's power from CPU utilisation (`source="model"`), for a host where nothing
   * measures it (no RAPL, ACPI meter or BMC): idle and full-load watts, or a CPU model of the
   * shipped table.
   * @default - no estimate
   */
  readonly model?: PowerModelInput;
}

/**
 * Platform power as a collector attaches it: the ACPI power meter's records from node_exporter
 * (they record nothing on a host without the meter), the model's where one is set, and where RAPL
 * and the GPUs fall short of the platform. Attach it after node_exporter, the energy component
 * (its RAPL records) and DCGM; without node_exporter there is nothing to read.
 */
export function platformPowerComponent(options: PlatformPowerOptions = {}): CollectorComponent | undefined {
  if (options.enabled === false) return undefined;
  // Checked now, at construction, naming the field (the fleet file's schema runs the same check).
  const model = options.model === undefined ? undefined : resolvePowerModel('Collector.platformPower.model', options.model);
  return {
    name: 'platform-power',
    bind: (collector) => {
      const nodeInterval = scrapeIntervalOf(collector, JOB.node);
      assertModelHasCpuTime('Collector.platformPower.model', options.model, nodeInterval !== undefined);
      if (nodeInterval === undefined) return {};
      const group = platformPowerRuleGroup({
        evaluationIntervalSeconds: collector.prometheus.evaluationIntervalSeconds,
        nodeScrapeIntervalSeconds: nodeInterval,
        model,
        gpu: scrapeIntervalOf(collector, DCGM_JOB) !== undefined,
      });
      return { ruleGroups: [group] };
    },
  };
}
