import { describe, expect, it } from 'vitest';
import { TerraformVariable } from 'cdktf';
import { parse } from 'yaml';
import { Construct } from 'constructs';
import { Alertmanager, AlertmanagerProps, ALERTMANAGER_PATHS } from '../../src/hub/alertmanager';
import { CertificateAuthority } from '../../src/constructs/certificate-authority';
import { Collector } from '../../src/collector/collector';
import { parseFleet } from '../../src/config';
import { GeneratedCredentials } from '../../src/constructs/credentials';
import { DEFAULT_IMAGES } from '../../src/core/images';
import { buildFleetApp } from '../../src/fleet/fleet';
import { VALID_FLEET } from '../config/helpers';
import { containerNamed, resourcesOf, synthConstructs, synthStack, testApp, uploadedFile } from '../support/synth';

const variable = (scope: Construct, name: string) => new TerraformVariable(scope, name, { type: 'string', sensitive: true }).stringValue;

function build(props: (scope: Construct) => Partial<AlertmanagerProps> = () => ({})) {
  return synthConstructs((scope) => {
    const ca = new CertificateAuthority(scope, 'ca', { commonName: 'hub CA' });
    new Alertmanager(scope, 'am', {
      certificate: ca.issueServerCertificate('am-cert', 'am', ['hub.example.net']),
      credentials: new GeneratedCredentials(scope, 'credentials', { field: 'x', username: 'prometheus' }),
      receivers: [{ name: 'hook', kind: 'webhook', url: 'https://hooks.example.net/x', bearerToken: variable(scope, 'hook_token') }],
      ...props(scope),
    });
  });
}

describe('Alertmanager', () => {
  const synth = build();
  const container = containerNamed(synth, 'peekstack-alertmanager');

  it('runs the pinned image with its web config, data on a named volume, gossip off, publishing only 9093', () => {
    expect(resourcesOf(synth, 'docker_image').map((i) => i.name)).toEqual([DEFAULT_IMAGES.alertmanager]);
    expect(DEFAULT_IMAGES.alertmanager).toBe('prom/alertmanager:v0.34.1');
    expect(container.command).toEqual([
      '--config.file=/etc/alertmanager/alertmanager.yml',
      '--web.config.file=/etc/alertmanager/web-config.yml',
      '--web.listen-address=:9093',
      '--storage.path=/alertmanager',
      '--data.retention=120h',
      '--cluster.listen-address=',
    ]);
    expect(container.ports).toEqual([{ internal: 9093, external: 9093, ip: '0.0.0.0', protocol: 'tcp' }]);
    expect(resourcesOf(synth, 'docker_volume').map((v) => v.name)).toEqual(['peekstack-alertmanager-data']);
    expect(container.volumes).toEqual([{ container_path: '/alertmanager', volume_name: expect.stringMatching(/^\$\{docker_volume\./) }]);
    expect(container.capabilities).toEqual({ drop: ['ALL'] });
  });

  it('serves TLS 1.2+ with a bcrypt user from the web config', () => {
    const web = parse(uploadedFile(container, ALERTMANAGER_PATHS.webConfig));
    expect(web.tls_server_config).toEqual({ cert_file: ALERTMANAGER_PATHS.serverCertificate, key_file: ALERTMANAGER_PATHS.serverKey, min_version: 'TLS12' });
    expect(web.basic_auth_users).toEqual({ prometheus: expect.stringMatching(/^\$\{random_password\..+\.bcrypt_hash\}$/) });
  });

  it('routes by severity, groups by host and alert name, inhibits a down host\'s other alerts; secrets only as files', () => {
    const config = parse(uploadedFile(container, ALERTMANAGER_PATHS.config));
    expect(config.route).toMatchObject({ receiver: 'hook', group_by: ['host', 'alertname'], group_wait: '30s', group_interval: '300s', repeat_interval: '14400s' });
    expect(config.inhibit_rules[0]).toEqual({ source_matchers: ['alertname="PeekStackHostDown"'], target_matchers: ['alertname!="PeekStackHostDown"'], equal: ['host'] });
    expect(config.receivers[0].webhook_configs[0].http_config.authorization).toEqual({ type: 'Bearer', credentials_file: ALERTMANAGER_PATHS.secret('hook', 'token') });
    const upload = (container.upload as { file: string; content?: string }[]).find((u) => u.file === ALERTMANAGER_PATHS.secret('hook', 'token'));
    expect(upload?.content).toBe('${var.hook_token}');
    expect(JSON.stringify(synth)).not.toMatch(/-----BEGIN|\$2[aby]\$/);
  });

  it.each<[string, (scope: Construct) => Partial<AlertmanagerProps>, RegExp]>([
    ['no receiver', () => ({ receivers: [] }), /^Alertmanager\.receivers: got \[\]; expected at least one receiver/],
    ['a literal Slack URL', () => ({ receivers: [{ name: 'chat', kind: 'slack', webhookUrl: 'https://hooks.slack.com/services/T/B/SECRET' }] }), /^Alertmanager\.receivers\[0\]\.webhookUrl: got "<a literal secret, not shown>"; expected a Terraform token/],
    ['a route to an unknown receiver', () => ({ routes: [{ severity: 'critical', receiver: 'pager' }] }), /^Alertmanager\.routes\[0\]\.receiver: got "pager"; expected one of the receivers: "hook"/],
    ['an unknown default receiver', () => ({ defaultReceiver: 'mail' }), /^Alertmanager\.defaultReceiver: got "mail"/],
    ['two receivers with one name', (scope) => ({ receivers: [{ name: 'a', kind: 'pagerduty', routingKey: variable(scope, 'k1') }, { name: 'a', kind: 'pagerduty', routingKey: variable(scope, 'k2') }] }), /^Alertmanager\.receivers: got "a"; expected receiver names used once each/],
    ['an email without an address', (scope) => ({ receivers: [{ name: 'm', kind: 'email', to: 'ops', from: 'a@b', smarthost: 'smtp:587', password: variable(scope, 'p') }] }), /^Alertmanager\.receivers\[0\]\.to: got "ops"; expected an email address/],
    ['a zero group interval', () => ({ groupIntervalSeconds: 0 }), /^Alertmanager\.groupIntervalSeconds: got 0/],
  ])('refuses %s, naming the field', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('Collector alerting', () => {
  it('writes the host\'s thresholds into its rules and refuses one out of range', () => {
    let collector!: Collector;
    synthConstructs((scope) => {
      collector = new Collector(scope, 'c', { hostName: 'a', addresses: ['a.example'], alertThresholds: { powerWatts: 120, dailyEnergyKwh: 2.5 } });
    });
    const rules = [...collector.prometheus.ruleGroups.values()].flat().flatMap((g) => g.rules);
    const expr = (name: string) => rules.find((r) => 'alert' in r && r.alert === name)!.expr;
    expect(expr('PeekStackHostPowerHigh')).toBe('host:scaph_host_power:watts > 120');
    expect(expr('PeekStackDailyEnergyOverBudget')).toMatch(/\[1d\]\)\) > 2\.5$/);
    expect(expr('PeekStackDiskNearlyFull')).toMatch(/> 90$/);
    expect(() => synthConstructs((scope) => new Collector(scope, 'c', { hostName: 'a', addresses: ['a.example'], alertThresholds: { powerWatts: -1 } }))).toThrow(
      /^Collector\.alertThresholds\.powerWatts: got -1; expected a number above 0/,
    );
  });

  it('every alert has severity, summary, description and runbook', () => {
    let collector!: Collector;
    synthConstructs((scope) => {
      collector = new Collector(scope, 'c', { hostName: 'a', addresses: ['a.example'] });
    });
    const alerts = [...collector.prometheus.ruleGroups.values()].flat().flatMap((g) => g.rules).filter((r) => 'alert' in r);
    expect(alerts.length).toBe(24);
    for (const alert of alerts) {
      const a = alert as { alert: string; labels: Record<string, string>; annotations: Record<string, string> };
      expect(Object.keys(a.annotations).sort(), a.alert).toEqual(['description', 'runbook', 'summary']);
      expect(['critical', 'warning', 'info'], a.alert).toContain(a.labels.severity);
      expect(a.annotations.description, a.alert).toMatch(/\$labels\.(host|probed_host)/);
      expect(a.annotations.runbook.split('\n'), a.alert).toHaveLength(1);
    }
  });
});

describe('a fleet with alerting', () => {
  const fleet = parseFleet(
    `${VALID_FLEET}alerting:
  receivers:
    - { name: chat, type: slack, secretVariable: alerting_slack_url }
    - { name: hook, type: webhook, url: "https://hooks.example.net/x" }
  routes:
    - { severity: critical, receiver: chat }
`,
    'fleet.yaml',
  );
  const app = testApp();
  const stacks = buildFleetApp(app, fleet);
  const hub = synthStack(stacks.hub!);
  const web = synthStack(stacks.collectors[0]);
  const ops = synthStack(stacks.collectors[2]);

  it('runs Alertmanager in the hub with the receivers\' secrets as sensitive variables and outputs', () => {
    const container = containerNamed(hub, 'peekstack-alertmanager');
    expect(hub.variable?.alerting_slack_url).toMatchObject({ sensitive: true, nullable: false });
    const config = parse(uploadedFile(container, ALERTMANAGER_PATHS.config));
    expect(config.receivers.map((r: { name: string }) => r.name)).toEqual(['chat', 'hook']);
    expect(config.route.routes).toEqual([{ matchers: ['severity="critical"'], receiver: 'chat' }]);
    expect(hub.output?.alertmanager_password).toMatchObject({ sensitive: true });
    expect(hub.output?.alertmanager_url.value).toBe('https://ops.example.net:9093');
  });

  it('points every collector\'s Prometheus at it, CA and password read from the hub stack', () => {
    for (const [synth, target] of [[web, 'ops.example.net:9093'], [ops, 'host.docker.internal:9093']] as const) {
      const prometheus = containerNamed(synth, 'peekstack-prometheus');
      const config = parse(uploadedFile(prometheus, '/etc/prometheus/prometheus.yml'));
      expect(config.alerting.alertmanagers).toEqual([
        expect.objectContaining({ scheme: 'https', static_configs: [{ targets: [target] }], basic_auth: { username: 'prometheus', password_file: '/etc/prometheus/secrets/alertmanager-hub.password' } }),
      ]);
      const uploads = prometheus.upload as { file: string; content?: string }[];
      expect(uploads.find((u) => u.file === '/etc/prometheus/secrets/alertmanager-hub.password')?.content).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-hub\.outputs\./);
      expect(uploads.find((u) => u.file === '/etc/prometheus/tls/alertmanager-hub-ca.crt')?.content).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-hub\.outputs\./);
    }
  });

  it('the hub host\'s collector probes the other hosts; each collector probes the Alertmanager', () => {
    const jobs = (synth: typeof ops) => parse(uploadedFile(containerNamed(synth, 'peekstack-prometheus'), '/etc/prometheus/prometheus.yml')).scrape_configs.map((j: { job_name: string }) => j.job_name);
    expect(jobs(ops)).toEqual(expect.arrayContaining(['blackbox-alertmanager-hub', 'blackbox-host-web-1', 'blackbox-host-db-1']));
    expect(jobs(ops)).not.toContain('blackbox-host-ops');
    expect(jobs(web)).toContain('blackbox-alertmanager-hub');
    expect(jobs(web).filter((j: string) => j.startsWith('blackbox-host-'))).toEqual([]);
  });
});
