/**
 * The platform power component on a collector: its rule file where node_exporter runs, none
 * without it, a model refused at construction, and the interface's catalog check with and without it.
 */
import { describe, expect, it } from 'vitest';
import { App, TerraformStack, Testing } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { Collector, type CollectorProps } from '../../src/collector/collector';
import { Interface } from '../../src/interface/interface';
import { PLATFORM_POWER_RULE_GROUP } from '../../src/components/platform-power/definition';
import { PeekStackValidationError } from '../../src/core/errors';

function stackWithProviders(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new DockerProvider(stack, 'docker', {});
  new RandomProvider(stack, 'random');
  new TlsProvider(stack, 'tls');
  return stack;
}

function collectorWith(props: Partial<CollectorProps>): { collector: Collector; app: App } {
  const app = Testing.app();
  const collector = new Collector(stackWithProviders(app, 'lab'), 'collector', { hostName: 'lab-1', addresses: ['lab-1.example'], ...props });
  return { collector, app };
}

describe('the platform power component', () => {
  it('adds its rule group where node_exporter runs, with the model only when one is set', () => {
    const { collector } = collectorWith({ platformPower: { model: { idleWatts: 80, maxWatts: 240 } } });
    const group = [...collector.prometheus.ruleGroups.values()].flat().find((g) => g.name === PLATFORM_POWER_RULE_GROUP);
    expect(group?.rules.map((rule) => ('record' in rule ? `${rule.record}${JSON.stringify(rule.labels ?? {})}` : ''))).toEqual([
      'host:platform_power_watts{"source":"acpi"}',
      'host:platform_energy_kwh:per_evaluation{"source":"acpi"}',
      'host:platform_energy_measured_seconds:per_evaluation{"source":"acpi"}',
      'host:platform_power_watts{"source":"model"}',
      'host:platform_energy_kwh:per_evaluation{"source":"model"}',
      'host:platform_energy_measured_seconds:per_evaluation{"source":"model"}',
      'host:platform_rapl_shortfall_watts{}',
    ]);
    expect(collector.catalogProblems()).toEqual([]);
  });

  it('counts the GPUs in what RAPL is compared with when DCGM runs', () => {
    const { collector } = collectorWith({ dcgm: { enabled: true } });
    const shortfall = [...collector.prometheus.ruleGroups.values()].flat().flatMap((g) => g.rules).find((rule) => 'record' in rule && rule.record === 'host:platform_rapl_shortfall_watts');
    expect(shortfall?.expr).toContain('DCGM_FI_DEV_POWER_USAGE');
    expect(collector.catalogProblems()).toEqual([]);
  });

  it('refuses a model on a collector without node_exporter (the model reads its CPU time)', () => {
    expect(() => collectorWith({ nodeExporter: { enabled: false }, platformPower: { model: { idleWatts: 80, maxWatts: 240 } } })).toThrow(/Collector\.platformPower\.model.*node_exporter enabled/);
  });

  it('adds nothing without node_exporter (nothing to read), and its collector passes the catalog check', () => {
    const { collector } = collectorWith({ nodeExporter: { enabled: false } });
    expect([...collector.prometheus.ruleGroups.values()].flat().map((g) => g.name)).not.toContain(PLATFORM_POWER_RULE_GROUP);
    expect(collector.catalogProblems()).toEqual([]);
  });

  it('the interface\'s dashboards pass the catalog check with one collector that has node_exporter', () => {
    const { collector, app } = collectorWith({});
    const iface = new Interface(stackWithProviders(app, 'ui'), 'interface', { collectors: [collector] });
    expect(iface.catalogProblems()).toEqual([]);
  });

  it('refuses a bad model at construction, naming the field', () => {
    expect(() => collectorWith({ platformPower: { model: { idleWatts: 300, maxWatts: 120 } } })).toThrow(PeekStackValidationError);
    expect(() => collectorWith({ platformPower: { model: { cpuModel: 'AMD EPYC 7742' } } })).toThrow(/Collector\.platformPower\.model\.cpuModel/);
  });
});
