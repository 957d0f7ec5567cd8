/**
 * The energy accounting rules a collector deploys (energy.rules.yml, from the `energy` component):
 * `promtool check rules`, and the unit tests of test/rules/energy.rules.test.yml (`promtool test
 * rules`): kWh, gCO2e and cost per host and per container as sums of per-evaluation records; no
 * energy lost where Scaphandre leaves a scrape out at a counter wrap; RAPL package energy right
 * through one socket's wrap. A unit mistake and a naive counter rule are shown to fail them.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector';
import { PROMETHEUS_PATHS } from '../../src/components/prometheus/prometheus';
import { raplPackageEnergyKwh } from '../../src/components/energy/definition';
import { promtool, type PromtoolResult, withRuleFile as withRuleFileIn } from '../support/promtool';
import { containerNamed, synthConstructs, uploadedFile } from '../support/synth';
import { REPO_ROOT } from './tools';

const RULE_TESTS = path.join(REPO_ROOT, 'test', 'rules', 'energy.rules.test.yml');

/** The energy rule file as a collector with these settings deploys it. */
function deployedEnergyRules(): string {
  const synth = synthConstructs(
    (scope) =>
      new Collector(scope, 'collector', {
        hostName: 'rules-host',
        addresses: ['192.0.2.10'],
        prometheus: { scrapeIntervalSeconds: 15 },
        accounting: { carbonIntensityGramsPerKwh: 400, pricePerKwh: 0.25, currency: 'CHF', pue: 1.5 },
      }),
  );
  return uploadedFile(containerNamed(synth, 'peekstack-prometheus'), PROMETHEUS_PATHS.rules('energy.rules.yml'));
}

/** Runs `run` on `content` written as energy.rules.yml beside a copy of the unit tests. */
const withRuleFile = (content: string, run: (dir: string) => PromtoolResult): PromtoolResult => withRuleFileIn('energy.rules.yml', content, RULE_TESTS, run);

describe('the energy rules every collector ships', () => {
  const rules = deployedEnergyRules();

  it('pass promtool check rules', () => {
    const result = withRuleFile(rules, (dir) => promtool('check', 'rules', path.join(dir, 'energy.rules.yml')));
    expect(result.output, result.output).toMatch(/SUCCESS: 8 rules found/);
    expect(result.status).toBe(0);
  });

  it('the unit tests evaluate the power dashboard\'s CPU package energy expression as the dashboard builds it', () => {
    expect(readFileSync(RULE_TESTS, 'utf8')).toContain(`'round(${raplPackageEnergyKwh('host="a"', '4m')} * 3600000)'`);
    expect(readFileSync(RULE_TESTS, 'utf8')).toContain(`'round(${raplPackageEnergyKwh('host="a"', '5m')} * 3600000)'`);
  });

  it('pass their unit tests (promtool test rules)', () => {
    const result = withRuleFile(rules, (dir) => promtool('test', 'rules', path.join(dir, 'energy.rules.test.yml')));
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('the unit tests catch a unit mistake (µW read as W / 1e3)', () => {
    const broken = rules.replace('/ 1e6 *', '/ 1e3 *');
    expect(broken).not.toBe(rules);
    const result = withRuleFile(broken, (dir) => promtool('test', 'rules', path.join(dir, 'energy.rules.test.yml')));
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/host:energy_kwh:per_evaluation/);
  });

  /** `rules` with the RAPL record's expression replaced by `expr` (written with its counter, window and factor). */
  const withRaplRecord = (make: (counter: string, rateWindow: string, wrapWindow: string, factor: string) => string): string => {
    const line = /(record: "zone:rapl_package_energy_kwh:per_evaluation"\n\s+expr: )"(.*)"/;
    const [, , expr] = rules.match(line)!;
    const [, rateWindow] = expr!.match(/rate\(node_rapl_package_joules_total\[(\d+s)\]\)/)!;
    const [, wrapWindow] = expr!.match(/resets\(node_rapl_package_joules_total\[(\d+s)\]\)/)!;
    const [, factor] = expr!.match(/\* ([\d.]+) or/)!;
    return rules.replace(line, `$1"${make('node_rapl_package_joules_total', rateWindow!, wrapWindow!, factor!)}"`);
  };

  it('the unit tests catch the naive RAPL rule (rate of the counters, wraps not handled)', () => {
    const naive = withRaplRecord((c, w, _wrap, k) => `rate(${c}[${w}]) * ${k}`);
    expect(naive).not.toBe(rules);
    const result = withRuleFile(naive, (dir) => promtool('test', 'rules', path.join(dir, 'energy.rules.test.yml')));
    expect(result.status).not.toBe(0);
    // The over-the-wrap case fails (and only RAPL cases).
    expect(result.output).toMatch(/zone:rapl_package_energy_kwh:per_evaluation\[4m\]/);
    expect(result.output).not.toMatch(/host:energy_kwh/);
  });

  it('the unit tests catch the previous RAPL rule on a Prometheus minutes old (its fallback window had no data yet; 2475 J of 19200 J lost, −12.9 %)', () => {
    const previous = withRaplRecord((c, w, wrap, k) => `((rate(${c}[${w}]) unless resets(${c}[${wrap}]) > 0) or rate(${c}[${w}] offset ${wrap})) * ${k}`);
    expect(previous).not.toBe(rules);
    const result = withRuleFile(previous, (dir) => promtool('test', 'rules', path.join(dir, 'energy.rules.test.yml')));
    expect(result.status).not.toBe(0);
    // Only the young case (evaluated at 4m) fails; the wrap on an older Prometheus (at 8m and 20m) held.
    expect(result.output).toMatch(/time: 4m,\s+exp: \{host="a"\} 1\.92E\+04\s+got: \{host="a"\} 1\.6725E\+04/);
    expect(result.output).not.toMatch(/time: (8m|20m)/);
    console.info(`[energy-rules] the previous RAPL rule on a young Prometheus:\n${result.output.split('\n').filter((l) => /value:|name:|exp:|got:/.test(l)).join('\n')}`);
  });
});

const BUDGET_TESTS = path.join(REPO_ROOT, 'test', 'rules', 'energy-budget.rules.test.yml');

/** Both rule files a collector with a 1 kWh daily budget deploys, as promtool's unit tests load them. */
function deployedBudgetRules(): { peekstack: string; energy: string } {
  const synth = synthConstructs(
    (scope) =>
      new Collector(scope, 'collector', {
        hostName: 'budget-host',
        addresses: ['192.0.2.10'],
        prometheus: { scrapeIntervalSeconds: 15 },
        alertThresholds: { dailyEnergyKwh: 1 },
      }),
  );
  const prometheus = containerNamed(synth, 'peekstack-prometheus');
  return { peekstack: uploadedFile(prometheus, PROMETHEUS_PATHS.rules('peekstack.rules.yml')), energy: uploadedFile(prometheus, PROMETHEUS_PATHS.rules('energy.rules.yml')) };
}

function budgetTests(files: { peekstack: string; energy: string }): ReturnType<typeof promtool> {
  const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-energy-budget-'));
  try {
    writeFileSync(path.join(dir, 'peekstack.rules.yml'), files.peekstack);
    writeFileSync(path.join(dir, 'energy.rules.yml'), files.energy);
    copyFileSync(BUDGET_TESTS, path.join(dir, 'energy-budget.rules.test.yml'));
    return promtool('test', 'rules', path.join(dir, 'energy-budget.rules.test.yml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the daily energy budget alert reads the energy records (test/rules/energy-budget.rules.test.yml)', () => {
  const files = deployedBudgetRules();

  it('passes its unit tests with the energy rules: quiet through 11 counter wraps at 0.80 kWh, firing at 1.12 kWh, a young host not extrapolated', () => {
    expect(files.peekstack).toContain('sum by (host) (sum_over_time(host:energy_kwh:per_evaluation[1d])) > 1');
    const result = budgetTests(files);
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('the unit tests catch the previous alert (increase() of the summed socket counters: 1.2025 kWh, +50 %, fired)', () => {
    const previous = files.peekstack.replace(
      'sum by (host) (sum_over_time(host:energy_kwh:per_evaluation[1d])) > 1',
      'sum by (host) (increase(scaph_host_energy_microjoules{job=\\"scaphandre\\"}[1d])) / 3600000000000 > 1',
    );
    expect(previous).not.toBe(files.peekstack);
    const result = budgetTests({ ...files, peekstack: previous });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/PeekStackDailyEnergyOverBudget/);
    expect(result.output).toMatch(/host="a"/);
  });
});
