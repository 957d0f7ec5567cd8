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
import { promtool } from '../support/promtool';
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

/** Runs promtool `args` on `content` written as energy.rules.yml beside a copy of the unit tests. */
function withRuleFile(content: string, run: (dir: string) => ReturnType<typeof promtool>): ReturnType<typeof promtool> {
  const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-energy-rules-'));
  try {
    writeFileSync(path.join(dir, 'energy.rules.yml'), content);
    copyFileSync(RULE_TESTS, path.join(dir, 'energy.rules.test.yml'));
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the energy rules every collector ships', () => {
  const rules = deployedEnergyRules();

  it('pass promtool check rules', () => {
    const result = withRuleFile(rules, (dir) => promtool('check', 'rules', path.join(dir, 'energy.rules.yml')));
    expect(result.output, result.output).toMatch(/SUCCESS: 7 rules found/);
    expect(result.status).toBe(0);
  });

  it('the unit tests evaluate the power dashboard\'s CPU package energy expression as the dashboard builds it', () => {
    expect(readFileSync(RULE_TESTS, 'utf8')).toContain(`'round(${raplPackageEnergyKwh('host="a"', '4m')} * 3600000)'`);
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

  it('the unit tests catch the naive RAPL rule (rate of the counters, wraps not handled)', () => {
    const naive = rules.replace(/\(\(rate\((node_rapl_package_joules_total\[\d+s\])\) unless resets\([^)]*\) > 0\) or rate\([^)]*\)\)/, 'rate($1)');
    expect(naive).not.toBe(rules);
    const result = withRuleFile(naive, (dir) => promtool('test', 'rules', path.join(dir, 'energy.rules.test.yml')));
    expect(result.status).not.toBe(0);
    // The over-the-wrap case fails (and only RAPL cases).
    expect(result.output).toMatch(/zone:rapl_package_energy_kwh:per_evaluation\[4m\]/);
    expect(result.output).not.toMatch(/host:energy_kwh/);
  });
});
