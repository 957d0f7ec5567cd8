import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseFleet } from '../../src/config';
import { DEFAULT_ALERT_THRESHOLDS } from '../../src/core/alert-thresholds';
import { problemsOf, VALID_FLEET } from './helpers';

const ALERTING = `alerting:
  receivers:
    - name: oncall
      type: pagerduty
      secretVariable: alerting_pd_key
    - name: chat
      type: slack
      channel: "#ops"
      secretVariable: alerting_slack_url
    - name: mail
      type: email
      to: ops@example.net
      from: peekstack@example.net
      smarthost: smtp.example.net:587
      secretVariable: alerting_smtp_password
    - name: hook
      type: webhook
      url: https://hooks.example.net/peekstack
  routes:
    - { severity: critical, receiver: oncall }
    - { severity: warning, receiver: chat }
  defaultReceiver: mail
`;
const fleet = (alerting = ALERTING, extra = '') => `${VALID_FLEET}${extra}${alerting}`;

describe('fleet file: alerting', () => {
  it('reads receivers, routes and defaults; Alertmanager on the hub host, built-in timings', () => {
    const spec = parseFleet(fleet(), 'fleet.yaml');
    expect(spec.alerting).toMatchObject({
      host: 'ops',
      port: 9093,
      defaultReceiver: 'mail',
      routes: [{ severity: 'critical', receiver: 'oncall' }, { severity: 'warning', receiver: 'chat' }],
      groupWaitSeconds: 30,
      groupIntervalSeconds: 300,
      repeatIntervalSeconds: 14400,
    });
    expect(spec.alerting!.receivers.map((r) => r.type)).toEqual(['pagerduty', 'slack', 'email', 'webhook']);
    expect(parseFleet(VALID_FLEET, 'fleet.yaml').alerting).toBeUndefined();
  });

  it('thresholds: built-in, then defaults, then the host\'s own, key by key', () => {
    const text = VALID_FLEET.replace('interface:\n', 'defaults:\n  alertThresholds: { powerWatts: 250, diskFullPercent: 85 }\ninterface:\n').replace(
      '      certPath: /etc/certs/db-1\n',
      '      certPath: /etc/certs/db-1\n    alertThresholds: { powerWatts: 600.5 }\n',
    );
    const spec = parseFleet(text, 'fleet.yaml');
    expect(spec.hosts.map((h) => [h.name, h.alertThresholds.powerWatts, h.alertThresholds.diskFullPercent, h.alertThresholds.dailyEnergyKwh])).toEqual([
      ['web-1', 250, 85, DEFAULT_ALERT_THRESHOLDS.dailyEnergyKwh],
      ['db-1', 600.5, 85, DEFAULT_ALERT_THRESHOLDS.dailyEnergyKwh],
      ['ops', 250, 85, DEFAULT_ALERT_THRESHOLDS.dailyEnergyKwh],
    ]);
  });

  it.each([
    ['an unknown receiver kind', ALERTING.replace('type: pagerduty', 'type: sms'), /^alerting\.receivers\[0\]\.type$/, '"sms"', /a receiver with type webhook, email, slack or pagerduty/],
    ['a receiver without its secret variable', ALERTING.replace('      secretVariable: alerting_slack_url\n', ''), /^alerting\.receivers\[1\]\.secretVariable$/, 'nothing', /sensitive Terraform variable.*\(required\)/],
    ['a secret variable that is not a variable name', ALERTING.replace('alerting_pd_key', 'https://events.pagerduty.com/KEY'), /^alerting\.receivers\[0\]\.secretVariable$/, 'a string (<redacted>: values under a secret-named key are never shown)', /a Terraform variable name/],
    ['a route to a receiver that does not exist', ALERTING.replace('receiver: chat }', 'receiver: pager }'), /^alerting\.routes\[1\]\.receiver$/, '"pager"', /the name of a receiver: "oncall", "chat", "mail", "hook"/],
    ['a default receiver that does not exist', ALERTING.replace('defaultReceiver: mail', 'defaultReceiver: nobody'), /^alerting\.defaultReceiver$/, '"nobody"', /the name of a receiver/],
    ['a severity nobody sets', ALERTING.replace('severity: warning', 'severity: urgent'), /^alerting\.routes\[1\]\.severity$/, '"urgent"', /one of critical, warning, info/],
    ['two receivers with one name', ALERTING.replace('name: hook', 'name: chat'), /^alerting\.receivers\[3\]\.name$/, '"chat"', /a name no other receiver uses/],
    // The fleet file's secret scan catches it first; either way the password is not echoed.
    ['a webhook URL with credentials', ALERTING.replace('https://hooks.example.net', 'https://user:hunter2@hooks.example.net'), /^alerting\.receivers\[3\]\.url$/, undefined, /without (credentials|a password or token)/],
    ['Alertmanager on a port the hub host already publishes', ALERTING.replace('  defaultReceiver: mail\n', '  defaultReceiver: mail\n  port: 19090\n'), /^alerting\.port$/, 'port 19090 for Alertmanager', /Prometheus uses 19090/],
  ])('%s: exit-2 problem at its place', (_name, alerting, path, found, allowed) => {
    const problems = problemsOf(fleet(alerting));
    expect(problems, JSON.stringify(problems)).toHaveLength(1);
    const [problem] = problems;
    expect(problem.path).toMatch(path);
    if (found !== undefined) expect(problem.found).toBe(found);
    expect(problem.found).not.toContain('hunter2');
    expect(problem.allowed).toMatch(allowed);
    expect(problem.line).toBeGreaterThan(20);
    expect(problem.column).toBeGreaterThan(0);
  });

  it.each([
    ['negative watts', 'powerWatts: -5', /above 0 .*\(W\)/],
    ['a zero energy budget', 'dailyEnergyKwh: 0', /above 0 .*\(kWh\)/],
    ['a disk threshold of 100 %', 'diskFullPercent: 100', /from 1 to 99 \(%\)/],
    ['certificates expiring in 0 days', 'certificateExpiryDays: 0', /from 1 to 365 \(days\)/],
    ['a misspelt threshold', 'powerWats: 300', /one of the keys powerWatts, dailyEnergyKwh/],
  ])('a threshold out of range (%s): located, allowed range named', (_name, threshold, allowed) => {
    const text = VALID_FLEET.replace('    addresses: [ops.example.net]\n', `    addresses: [ops.example.net]\n    alertThresholds: { ${threshold} }\n`);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toMatch(/^hosts\[2\]\.alertThresholds\./);
    expect(problems[0].line).toBe(17);
    expect(problems[0].allowed).toMatch(allowed);
  });

  it('the CLI exits 2 with file:line:col and writes nothing', () => {
    const work = mkdtempSync(join(tmpdir(), 'peekstack-alerting-cli-'));
    const bad = join(work, 'fleet.yaml');
    writeFileSync(bad, fleet(ALERTING.replace('receiver: chat }', 'receiver: pager }').replace('      secretVariable: alerting_smtp_password\n', '')));
    const result = spawnSync(process.execPath, [resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'cli.js'), 'synth', '--fleet', bad, '--out', join(work, 'out')], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: alerting\\.receivers\\[2\\]\\.secretVariable: found nothing`, 'm'));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });
});
