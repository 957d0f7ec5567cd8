/**
 * The power split rules a collector deploys (power-split.rules.yml, from the `power-split`
 * component): `promtool check rules`, and the unit tests of test/rules/power-split.rules.test.yml
 * (`promtool test rules`, with the energy rules whose host record they read): idle as the lowest
 * smoothed power, clamped to the power now; containers' active power by CPU share; unattributed the
 * rest; the invariant idle + Σ containers + unattributed = host. Two wrong splits are shown to fail them.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector';
import { PROMETHEUS_PATHS } from '../../src/components/prometheus/prometheus';
import { POWER_SPLIT_RECORDS } from '../../src/components/power-split/records';
import { promtool } from '../support/promtool';
import { containerNamed, synthConstructs, uploadedFile } from '../support/synth';
import { REPO_ROOT } from './tools';

const RULE_TESTS = path.join(REPO_ROOT, 'test', 'rules', 'power-split.rules.test.yml');

/** The energy and power split rule files as a collector scraping every 15 s deploys them. */
function deployedRules(): { energy: string; split: string } {
  const synth = synthConstructs(
    (scope) => new Collector(scope, 'collector', { hostName: 'split-host', addresses: ['192.0.2.10'], prometheus: { scrapeIntervalSeconds: 15 } }),
  );
  const prometheus = containerNamed(synth, 'peekstack-prometheus');
  return {
    energy: uploadedFile(prometheus, PROMETHEUS_PATHS.rules('energy.rules.yml')),
    split: uploadedFile(prometheus, PROMETHEUS_PATHS.rules('power-split.rules.yml')),
  };
}

/** Runs promtool `args` (given the temp dir) on the rule files written beside a copy of the unit tests. */
function withRuleFiles(files: { energy: string; split: string }, args: (dir: string) => string[]): ReturnType<typeof promtool> {
  const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-power-split-rules-'));
  try {
    writeFileSync(path.join(dir, 'energy.rules.yml'), files.energy);
    writeFileSync(path.join(dir, 'power-split.rules.yml'), files.split);
    copyFileSync(RULE_TESTS, path.join(dir, 'power-split.rules.test.yml'));
    return promtool(...args(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const unitTests = (files: { energy: string; split: string }) => withRuleFiles(files, (dir) => ['test', 'rules', path.join(dir, 'power-split.rules.test.yml')]);

/** `files` with the expression of `record` replaced by `expr`. */
function withRecord(files: { energy: string; split: string }, record: string, expr: string): { energy: string; split: string } {
  const line = new RegExp(`(record: "${record}"\\n\\s+expr: )"(.*)"`);
  expect(files.split).toMatch(line);
  return { ...files, split: files.split.replace(line, `$1"${expr}"`) };
}

describe('the power split rules every collector ships', () => {
  const files = deployedRules();
  const R = POWER_SPLIT_RECORDS;

  it('pass promtool check rules', () => {
    const result = withRuleFiles(files, (dir) => ['check', 'rules', path.join(dir, 'power-split.rules.yml')]);
    expect(result.output, result.output).toMatch(/SUCCESS: 10 rules found/);
    expect(result.status).toBe(0);
  });

  it('pass their unit tests (promtool test rules): idle, active, shares, unattributed, clamps and the invariant', () => {
    const result = unitTests(files);
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('the unit tests catch idle spread over the containers (shares of the whole host power)', () => {
    const rule = files.split.match(new RegExp(`record: "${R.containerActiveWatts}"\\n\\s+expr: "(.*)"`))![1]!;
    const broken = withRecord(files, R.containerActiveWatts, rule.replace(`group_left () ${R.activeWatts}`, `group_left () ${R.hostWatts}`));
    const result = unitTests(broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/container:power_active_watts:cpu_share/);
  });

  it('the unit tests catch an idle power that is not clamped to the power now', () => {
    const broken = withRecord(files, R.idleWatts, `min_over_time(${R.hostWattsSmoothed}[1h])`);
    const result = unitTests(broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/time: 11m/);
  });

  it('the unit tests catch shares over busy time alone (negative unattributed when cAdvisor sees more)', () => {
    const rule = files.split.match(new RegExp(`record: "${R.containerActiveWatts}"\\n\\s+expr: "(.*)"`))![1]!;
    const broken = withRecord(files, R.containerActiveWatts, rule.replace(/group_left \(\) \(\(\(.*? > 0\)/, `group_left () ${R.hostBusyCores}`));
    expect(broken.split).not.toBe(files.split);
    const result = unitTests(broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/host="c"/);
  });

  it('is the rule file the unit tests name', () => {
    expect(readFileSync(RULE_TESTS, 'utf8')).toContain('- power-split.rules.yml');
  });
});
