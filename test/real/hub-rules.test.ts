/**
 * The hub's rules (fleet rules, Watchdog, the hub's own health) as vmalert loads them, checked with
 * the real `vmalert-tool unittest` (VictoriaMetrics' own evaluator, Debian's 1.145 build) against
 * the unit tests of test/rules/fleet.rules.test.yml and test/rules/hub-health.rules.test.yml, and
 * with `promtool check rules` (the syntax is shared: the rules stay portable to Prometheus).
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetRuleGroups, FLEET_RECORDS } from '../../src/hub/fleet-rules';
import { hubHealthRuleGroup } from '../../src/hub/hub-health-rules';
import { renderRuleFile, RULE_FILE_HEADER } from '../../src/render/rules';
import { promtool } from '../support/promtool';
import { REPO_ROOT, toolPath } from './tools';

/** The fleet the unit tests are written for. */
const FLEET = { hosts: ['alpha', 'beta', 'gamma'], hubHost: 'alpha', budget: { powerWatts: 100, dailyEnergyKwh: 1 }, watchdog: true };

const fleetRules = () => renderRuleFile(fleetRuleGroups(FLEET), RULE_FILE_HEADER);
const hubRules = () => renderRuleFile([hubHealthRuleGroup()], RULE_FILE_HEADER);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'peekstack-hub-rules-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `rules` as `ruleFile` beside a copy of `tests` and runs `vmalert-tool unittest` on it. */
function unittest(tests: string, ruleFile: string, rules: string): { status: number | null; output: string } {
  const work = mkdtempSync(path.join(dir, 'run-'));
  writeFileSync(path.join(work, ruleFile), rules);
  const testFile = path.join(work, path.basename(tests));
  copyFileSync(path.join(REPO_ROOT, 'test', 'rules', tests), testFile);
  // Its in-process VictoriaMetrics takes a free port of its own: parallel runs don't collide.
  const result = spawnSync(toolPath('vmalert-tool'), ['unittest', `--files=${testFile}`], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the hub rules, with vmalert-tool unittest', () => {
  it('the fleet rules pass their unit tests (silent host, share reporting, lag, budget, Watchdog)', () => {
    const result = unittest('fleet.rules.test.yml', 'fleet.rules.yml', fleetRules());
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('the hub health rules pass their unit tests (services down, disk, ingestion, vmauth, Alertmanager, vmalert)', () => {
    const result = unittest('hub-health.rules.test.yml', 'hub-health.rules.yml', hubRules());
    expect(result.output, result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('the unit tests catch a host missing from the expected list and a unit mistake in the power record', () => {
    const withoutGamma = renderRuleFile(fleetRuleGroups({ ...FLEET, hosts: ['alpha', 'beta'] }), RULE_FILE_HEADER);
    const missing = unittest('fleet.rules.test.yml', 'fleet.rules.yml', withoutGamma);
    expect(missing.status).not.toBe(0);
    expect(missing.output).toContain('PeekStackHostSilentInStore');
    const wrongUnit = fleetRules().replace('* 3600000 /', '* 3600 /');
    expect(wrongUnit).not.toBe(fleetRules());
    const broken = unittest('fleet.rules.test.yml', 'fleet.rules.yml', wrongUnit);
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain(FLEET_RECORDS.power);
  });

  it('the Alertmanager alert still fires when a version renames the failure reasons (summed over `reason`)', () => {
    const byReason = hubRules().replace('sum by (host, integration) (increase(alertmanager', 'sum by (host, integration, reason) (increase(alertmanager');
    expect(byReason).not.toBe(hubRules());
    const result = unittest('hub-health.rules.test.yml', 'hub-health.rules.yml', byReason);
    expect(result.status).not.toBe(0); // two alerts (one per reason) where the test expects one
    expect(result.output).toContain('PeekStackAlertmanagerNotificationsFailing');
  });

  it('every rule file passes promtool check rules (the syntax stays Prometheus\'s)', () => {
    for (const [name, content, count] of [['fleet.rules.yml', fleetRules(), 10], ['hub-health.rules.yml', hubRules(), 6]] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      const result = promtool('check', 'rules', file);
      expect(result.output, result.output).toContain(`SUCCESS: ${count} rules found`);
      expect(result.status).toBe(0);
    }
  });
});
