/**
 * The IPMI platform records a collector deploys (ipmi-exporter.rules.yml): `promtool check rules`
 * and the unit tests of test/rules/ipmi.rules.test.yml (`promtool test rules`): power and energy
 * across a power step, and a BMC unreachable for minutes counted as not measured. A unit mistake and
 * a record that holds the last reading through an outage are shown to fail them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector';
import { PROMETHEUS_PATHS } from '../../src/components/prometheus/prometheus';
import { promtool, type PromtoolResult, withRuleFile as withRuleFileIn } from '../support/promtool';
import { containerNamed, synthConstructs, uploadedFile } from '../support/synth';
import { REPO_ROOT } from './tools';

const RULE_TESTS = path.join(REPO_ROOT, 'test', 'rules', 'ipmi.rules.test.yml');
const RULE_FILE = 'ipmi-exporter.rules.yml';

/** The IPMI rule file as a collector scraping every 15 s deploys it. */
function deployedIpmiRules(): string {
  const synth = synthConstructs((scope) => {
    new Collector(scope, 'collector', { hostName: 'rules-host', addresses: ['192.0.2.10'], prometheus: { scrapeIntervalSeconds: 15 }, ipmi: { mode: 'in-band' } });
  });
  return uploadedFile(containerNamed(synth, 'peekstack-prometheus'), PROMETHEUS_PATHS.rules(RULE_FILE));
}

/** Runs `run` on `content` written as the rule file beside a copy of the unit tests. */
const withRuleFile = (content: string, run: (dir: string) => PromtoolResult): PromtoolResult => withRuleFileIn(RULE_FILE, content, RULE_TESTS, run);

describe('the IPMI platform records a collector ships', () => {
  const rules = deployedIpmiRules();

  it('pass promtool check rules', () => {
    const result = withRuleFile(rules, (dir) => promtool('check', 'rules', path.join(dir, RULE_FILE)));
    expect(result.output, result.output).toMatch(/SUCCESS: 3 rules found/);
    expect(result.status).toBe(0);
  });

  it('pass their unit tests (promtool test rules)', () => {
    const result = withRuleFile(rules, (dir) => promtool('test', 'rules', path.join(dir, 'ipmi.rules.test.yml')));
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('the unit tests catch a unit mistake (kWh per watt-evaluation off by 1000)', () => {
    const broken = rules.replace('* 0.00000416666666667', '* 0.00416666666667');
    expect(broken).not.toBe(rules);
    const result = withRuleFile(broken, (dir) => promtool('test', 'rules', path.join(dir, 'ipmi.rules.test.yml')));
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/exp: \{host="a", source="ipmi"\} 2\.16E\+05/);
  });

  it('the unit tests catch an outage counted as measured (the last reading held for 10 minutes)', () => {
    const broken = rules.replace(/\[60s\]/g, '[10m]');
    expect(broken).not.toBe(rules);
    const result = withRuleFile(broken, (dir) => promtool('test', 'rules', path.join(dir, 'ipmi.rules.test.yml')));
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/exp: \{host="a"\} (9\.9E\+04|6\.6E\+02)/);
  });

  it('the test file is the one in the repository', () => {
    expect(readFileSync(RULE_TESTS, 'utf8')).toContain(`- ${RULE_FILE}`);
  });
});
