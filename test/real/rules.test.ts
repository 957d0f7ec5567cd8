/**
 * PeekStack's rule file (renderPeekStackRules, the file every collector's Prometheus loads):
 * - contract: `promtool check rules` and the unit tests of test/rules/peekstack.rules.test.yml
 *   (`promtool test rules`), on the rendered text;
 * - runtime: the harness Prometheus loads it from its deployed path and the recording rules give
 *   the simulated wattage.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMETHEUS_PATHS } from '../../src/components/prometheus/prometheus';
import { ENERGY_RECORDS, ENERGY_RULE_GROUP } from '../../src/components/energy/definition';
import { POWER_SPLIT_RULE_GROUP } from '../../src/components/power-split/definition';
import { POWER_SPLIT_RECORDS } from '../../src/components/power-split/records';
import { PLATFORM_POWER_RULE_GROUP, PLATFORM_RECORDS } from '../../src/components/platform-power/definition';
import { renderPeekStackRules } from '../../src/components';
import { promtool } from '../support/promtool';
import { type Harness, startHarness } from './harness';
import { httpsGet, scalarValue } from './prometheus-api';
import { REPO_ROOT } from './tools';

const RULE_TESTS = path.join(REPO_ROOT, 'test', 'rules', 'peekstack.rules.test.yml');
const PACKAGE_WATTS = 50;

/** Writes `content` as peekstack.rules.yml beside a copy of the unit tests and runs `promtool test rules`. */
function runRuleTests(content: string, fileName: string): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-rules-'));
  try {
    writeFileSync(path.join(dir, fileName), content);
    copyFileSync(RULE_TESTS, path.join(dir, 'peekstack.rules.test.yml'));
    return promtool('test', 'rules', path.join(dir, 'peekstack.rules.test.yml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the rule file every collector ships', () => {
  const rules = renderPeekStackRules();

  it('passes promtool check rules', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'peekstack-rules-'));
    try {
      const file = path.join(dir, rules.fileName);
      writeFileSync(file, rules.content);
      const result = promtool('check', 'rules', file);
      expect(result.output, result.output).toMatch(/SUCCESS: 26 rules found/);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes its unit tests (promtool test rules)', () => {
    expect(rules.fileName).toBe('peekstack.rules.yml'); // the name the unit tests load
    const result = runRuleTests(rules.content, rules.fileName);
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('the unit tests catch a unit mistake in a recording rule', () => {
    const broken = rules.content.replace('/ 1e6', '/ 1e3');
    expect(broken).not.toBe(rules.content);
    const result = runRuleTests(broken, rules.fileName);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/host:scaph_host_power:watts/);
  });
});

describe('the rules at runtime, in the harness Prometheus', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ packageWatts: PACKAGE_WATTS });
    await harness.waitForTargetsUp();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('loads the rule file from its deployed path, every rule healthy', async () => {
    const groups = JSON.parse((await httpsGet(harness.endpoint, '/api/v1/rules')).body).data.groups as {
      name: string;
      file: string;
      rules: { name: string; health: string; lastError?: string }[];
    }[];
    // The API lists groups by file and name, not in file order.
    const rendered = parse(renderPeekStackRules().content) as { groups: { name: string; rules: { alert?: string; record?: string }[] }[] };
    expect(groups.map((g) => [g.name, g.file]).sort()).toEqual(
      [
        ...rendered.groups.map((g) => [g.name, PROMETHEUS_PATHS.rules('peekstack.rules.yml')]),
        // The energy component's group, added through Collector#addComponent (src/energy/rules.ts).
        [ENERGY_RULE_GROUP, PROMETHEUS_PATHS.rules('energy.rules.yml')],
        // The power split's group (src/components/power-split/definition.ts).
        [POWER_SPLIT_RULE_GROUP, PROMETHEUS_PATHS.rules('power-split.rules.yml')],
        // The platform power component's group (src/components/platform-power/definition.ts).
        [PLATFORM_POWER_RULE_GROUP, PROMETHEUS_PATHS.rules('platform-power.rules.yml')],
      ].sort(),
    );
    // Health is "unknown" until the first evaluation: poll until every rule has run once.
    await harness.waitForQuery('host:scaph_host_power:watts', (o) => o.ok && (o.data.result as unknown[]).length === 1);
    const again = JSON.parse((await httpsGet(harness.endpoint, '/api/v1/rules')).body).data.groups as typeof groups;
    const rules = again.flatMap((g) => g.rules);
    // Every rule of the rendered files (PeekStack's groups, the energy, power split and platform power records), each evaluated without error.
    expect(rules.map((r) => r.name).sort()).toEqual([...rendered.groups.flatMap((g) => g.rules.map((r) => r.alert ?? r.record!)), ...Object.values(ENERGY_RECORDS), ...Object.values(POWER_SPLIT_RECORDS), ...Object.values(PLATFORM_RECORDS)].sort());
    expect(rules.filter((r) => r.health !== 'ok'), JSON.stringify(rules)).toEqual([]);
  });

  it('host:scaph_host_power:watts records the simulated wattage (±10 %)', async () => {
    const outcome = await harness.waitForQuery(
      `abs(host:scaph_host_power:watts{host="${harness.hostName}"} - ${PACKAGE_WATTS}) < ${PACKAGE_WATTS * 0.1}`,
      (o) => o.ok && (o.data.result as unknown[]).length === 1,
    );
    expect(outcome.ok).toBe(true);
    expect(Math.abs((await scalarValue(harness.endpoint, 'host:scaph_host_power:watts')) - PACKAGE_WATTS)).toBeLessThan(PACKAGE_WATTS * 0.1);
  });

  it('host:node_rapl_package_power:watts_rate1m records the simulated wattage (±10 %) once a minute of data is in', async () => {
    // rate(...[1m]) divides by the full minute: it reaches the true wattage only when the window
    // is full of samples, ~60 s after the first scrape. Poll for it rather than sleep.
    const outcome = await harness.waitForQuery(
      `abs(host:node_rapl_package_power:watts_rate1m{host="${harness.hostName}"} - ${PACKAGE_WATTS}) < ${PACKAGE_WATTS * 0.1}`,
      (o) => o.ok && (o.data.result as unknown[]).length === 1,
      100_000,
    );
    expect(outcome.ok).toBe(true);
  }, 120_000);

  it('no PeekStack alert fires while every exporter is up and reading power', async () => {
    expect(await scalarValue(harness.endpoint, 'count(ALERTS{alertstate="firing"}) or vector(0)')).toBe(0);
  });
});
