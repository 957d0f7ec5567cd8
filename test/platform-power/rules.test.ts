/**
 * The platform power rules a collector deploys (platform-power.rules.yml), run by the real promtool
 * (`check rules`, then `test rules` on synthetic series written here):
 * - the ACPI power meter: platform power and energy exact, another hwmon chip's power left out, a
 *   node_exporter outage counted as unmeasured, the RAPL shortfall;
 * - the model: its power at six CPU loads equals the model's formula (the table's curve, or linear),
 *   and its error against a known power curve (Boavizta's, which the simulation takes as the truth).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Collector, type CollectorProps } from '../../src/collector/collector';
import { PROMETHEUS_PATHS } from '../../src/components/prometheus/prometheus';
import { modelWatts, type PowerModelInput, resolvePowerModel } from '../../src/components/platform-power/model';
import { curveWatts, lookupCpuPowerCurve } from '../../src/components/platform-power/cpu-power-table';
import { promtool } from '../support/promtool';
import { containerNamed, synthConstructs, uploadedFile } from '../support/synth';

const RULE_FILE = 'platform-power.rules.yml';
const STEP_S = 15;

/** The platform power rule file of a collector scraped every 15 s. */
function deployedRules(props: Partial<CollectorProps> = {}): string {
  const synth = synthConstructs((scope) => new Collector(scope, 'collector', { hostName: 'rules-host', addresses: ['192.0.2.10'], prometheus: { scrapeIntervalSeconds: STEP_S }, ...props }));
  return uploadedFile(containerNamed(synth, 'peekstack-prometheus'), PROMETHEUS_PATHS.rules(RULE_FILE));
}

interface ExprTest {
  readonly expr: string;
  readonly eval_time: string;
  readonly exp_samples: { labels: string; value: number }[];
}

/** Runs promtool's unit tests of `tests` on `rules`, with `series` (name{labels} → values) as input. */
function runUnitTests(rules: string, series: Record<string, string>, tests: readonly ExprTest[]): ReturnType<typeof promtool> {
  const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-platform-rules-'));
  try {
    writeFileSync(path.join(dir, RULE_FILE), rules);
    const unit = {
      rule_files: [RULE_FILE],
      evaluation_interval: `${STEP_S}s`,
      tests: [{ interval: `${STEP_S}s`, input_series: Object.entries(series).map(([name, values]) => ({ series: name, values })), promql_expr_test: tests }],
    };
    writeFileSync(path.join(dir, 'unit.yml'), stringify(unit));
    return promtool('test', 'rules', path.join(dir, 'unit.yml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `at`: a PromQL duration for sample index i (15 s steps). */
const at = (i: number) => `${i * STEP_S}s`;

describe('the platform power rules every collector ships', () => {
  const rules = deployedRules();

  it('pass promtool check rules (ACPI records and the RAPL shortfall, no model unless set)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-platform-check-'));
    try {
      writeFileSync(path.join(dir, RULE_FILE), rules);
      const result = promtool('check', 'rules', path.join(dir, RULE_FILE));
      expect(result.output, result.output).toMatch(/SUCCESS: 4 rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(rules).toContain('source: "acpi"');
    expect(rules).not.toContain('source: "model"');
  });

  // The ACPI meter: 150 W for 5 min, 210 W for 5 min, node_exporter down 5 min, 150 W for 5 min.
  // Another hwmon chip (a GPU board at 300 W) reports power too, and must not count.
  const meter = [...Array(20).fill('150'), ...Array(20).fill('210'), ...Array(20).fill('_'), ...Array(20).fill('150')].join(' ');
  const up = [...Array(40).fill('1'), ...Array(20).fill('_'), ...Array(20).fill('1')].join(' ');
  const node = 'job="node", instance="host.docker.internal:9100", host="a"';
  // RAPL as the energy rules record it: two zones at 80 W and 40 W, per 15 s evaluation in kWh.
  const zone = (watts: number) => `${(watts * STEP_S) / 3.6e6}x79`;
  const series = {
    [`node_hwmon_chip_names{${node}, chip="power_meter", chip_name="power_meter"}`]: up,
    [`node_hwmon_power_average_watt{${node}, chip="power_meter", sensor="power1"}`]: meter,
    [`node_hwmon_chip_names{${node}, chip="amdgpu", chip_name="amdgpu"}`]: '1x79',
    [`node_hwmon_power_average_watt{${node}, chip="amdgpu", sensor="power1"}`]: '300x79',
    [`zone:rapl_package_energy_kwh:per_evaluation{${node}, index="0", path="/host/sys/class/powercap/intel-rapl:0"}`]: zone(80),
    [`zone:rapl_package_energy_kwh:per_evaluation{${node}, index="1", path="/host/sys/class/powercap/intel-rapl:1"}`]: zone(40),
  };
  const acpi = '{host="a", source="acpi"}';

  it('record the ACPI meter\'s power and energy exactly, count a node_exporter outage as unmeasured, and show where RAPL falls short', () => {
    const energyJoules = (range: string) => `round(sum_over_time(host:platform_energy_kwh:per_evaluation{source="acpi"}[${range}]) * 3600000)`;
    const result = runUnitTests(rules, series, [
      { expr: 'host:platform_power_watts', eval_time: at(19), exp_samples: [{ labels: 'host:platform_power_watts{host="a", source="acpi"}', value: 150 }] },
      { expr: 'host:platform_power_watts', eval_time: at(39), exp_samples: [{ labels: 'host:platform_power_watts{host="a", source="acpi"}', value: 210 }] },
      // 20 records of 210 W × 15 s in (5m, 10m].
      { expr: energyJoules('5m'), eval_time: at(40), exp_samples: [{ labels: acpi, value: 63_000 }] },
      // Over (0, 19m45]: 19 × 150 W, 20 × 210 W, 3 × 210 W held over missed scrapes (the hold window:
      // three scrapes), then nothing until node_exporter is back, then 20 × 150 W; 15 s each.
      { expr: energyJoules(at(79)), eval_time: at(79), exp_samples: [{ labels: acpi, value: 15 * (19 * 150 + 23 * 210 + 20 * 150) }] },
      { expr: `sum_over_time(host:platform_energy_measured_seconds:per_evaluation{source="acpi"}[${at(79)}])`, eval_time: at(79), exp_samples: [{ labels: acpi, value: 15 * 62 }] },
      // 150 W platform − (80 + 40) W RAPL.
      { expr: 'round(host:platform_rapl_shortfall_watts * 1000)', eval_time: at(19), exp_samples: [{ labels: acpi, value: 30_000 }] },
      { expr: 'round(host:platform_rapl_shortfall_watts * 1000)', eval_time: at(39), exp_samples: [{ labels: acpi, value: 90_000 }] },
    ]);
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('the unit tests catch a rule that takes every hwmon chip (the GPU board\'s 300 W counted as platform power)', () => {
    const everyChip = rules.replaceAll(', chip_name=\\"power_meter\\"', '');
    expect(everyChip).not.toBe(rules);
    const result = runUnitTests(everyChip, series, [
      { expr: 'host:platform_power_watts', eval_time: at(19), exp_samples: [{ labels: 'host:platform_power_watts{host="a", source="acpi"}', value: 150 }] },
    ]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/got: .*host:platform_power_watts.*acpi.*\} 4\.5E\+02/);
  });
});

/** CPU loads of the model simulation: 5 minutes at each, the time's share of a server's day alike. */
const LOADS = [0, 0.1, 0.25, 0.5, 0.75, 1];
const PHASE = 20; // samples of 15 s: 5 minutes

/**
 * node_cpu_seconds_total of two CPUs following {@link LOADS}: the sample i's increment is at the
 * load of its phase. Part of the idle time is iowait in one phase (it is idle for the model too).
 */
function cpuSeries(): Record<string, string> {
  const modes = { idle: [0], iowait: [0], user: [0] };
  for (let i = 1; i <= LOADS.length * PHASE; i += 1) {
    const phase = Math.floor((i - 1) / PHASE);
    const load = LOADS[Math.min(phase, LOADS.length - 1)]!;
    const wait = load === 0.25 ? 2 : 0;
    modes.idle.push(modes.idle.at(-1)! + STEP_S * (1 - load) - wait);
    modes.iowait.push(modes.iowait.at(-1)! + wait);
    modes.user.push(modes.user.at(-1)! + STEP_S * load);
  }
  const series: Record<string, string> = {};
  for (const cpu of ['0', '1']) {
    for (const [mode, values] of Object.entries(modes)) {
      series[`node_cpu_seconds_total{job="node", instance="host.docker.internal:9100", host="a", cpu="${cpu}", mode="${mode}"}`] = values.map((v) => String(Number(v.toFixed(6)))).join(' ');
    }
  }
  return series;
}

/** The model's power at the end of each load's phase, checked by promtool against `expected(load)`; the rule file of `model`. */
function checkModelAtLoads(model: PowerModelInput): ReturnType<typeof promtool> {
  const resolved = resolvePowerModel('model', model);
  const model$ = '{host="a", source="model"}';
  const tests: ExprTest[] = LOADS.flatMap((load, phase) => {
    const end = phase * PHASE + PHASE - 1; // the phase's last sample: a full rate window inside it
    const watts = modelWatts(resolved, load);
    return [
      { expr: 'round(host:platform_power_watts{source="model"} * 1000)', eval_time: at(end), exp_samples: [{ labels: model$, value: Math.round(watts * 1000) }] },
      // The last minute's four records, in joules (1000ths): power × 60 s.
      { expr: 'round(sum_over_time(host:platform_energy_kwh:per_evaluation{source="model"}[1m]) * 3600000 * 1000)', eval_time: at(end), exp_samples: [{ labels: model$, value: Math.round(watts * 60 * 1000) }] },
    ];
  });
  return runUnitTests(deployedRules({ platformPower: { model } }), cpuSeries(), tests);
}

describe('the model where RAPL is absent (source="model")', () => {
  // The simulation's truth: a host with two Xeon Gold CPUs drawing what Boavizta's curve says.
  const gold = lookupCpuPowerCurve('Intel Xeon Gold')!;
  const truth = (load: number) => 2 * curveWatts(gold, 100 * load);

  it('a CPU model of the table: the rules compute the table\'s curve at each load (promtool)', () => {
    const result = checkModelAtLoads({ cpuModel: 'Intel Xeon Gold 6230', sockets: 2 });
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
    expect(LOADS.map((load) => modelWatts(resolvePowerModel('m', { cpuModel: 'Intel Xeon Gold 6230', sockets: 2 }), load))).toEqual(LOADS.map(truth));
  });

  it('explicit watts: the rules compute the linear model at each load (promtool); its error against the curve, at the curve\'s own idle and full-load watts, is stated in docs/energy.md', () => {
    const idleWatts = Number(truth(0).toFixed(2));
    const maxWatts = Number(truth(1).toFixed(2));
    const result = checkModelAtLoads({ idleWatts, maxWatts });
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
    const linear = resolvePowerModel('m', { idleWatts, maxWatts });
    const errors = LOADS.map((load) => modelWatts(linear, load) / truth(load) - 1);
    const energyError = LOADS.reduce((sum, load) => sum + modelWatts(linear, load), 0) / LOADS.reduce((sum, load) => sum + truth(load), 0) - 1;
    console.info(`[platform-power] linear model vs Boavizta's Xeon Gold curve (2 CPUs): ${LOADS.map((load, i) => `${load * 100} %: ${(errors[i]! * 100).toFixed(1)} %`).join(', ')}; energy over 5 min at each load: ${(energyError * 100).toFixed(1)} %`);
    // The figures docs/energy.md states.
    expect(errors.map((error) => Number((error * 100).toFixed(1)))).toEqual([0, -30.1, -31.6, -22.8, -11.6, 0]);
    expect(Number((energyError * 100).toFixed(1))).toBe(-15.5);
  });
});
