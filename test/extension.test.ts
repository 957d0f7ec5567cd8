/**
 * The extension API at the construct level: what users add after construction lands in the
 * rendered files beside PeekStack's own, every addition is validated at the call, and the metric
 * catalog check refuses rules and dashboards that read metrics no component produces.
 */
import { describe, expect, it } from 'vitest';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import * as sdk from '@grafana/grafana-foundation-sdk/dashboard';
import { parse } from 'yaml';
import { Collector } from '../src/collector/collector';
import { PeekStackValidationError } from '../src/core/errors';
import { Interface } from '../src/interface/interface';
import { buildDashboard as buildSpecDashboard, HOST, timeseriesPanel } from '../src/dashboards/shared';
import { containerNamed, uploadedFile } from './support/synth';

function stackWithProviders(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new DockerProvider(stack, 'docker', { host: 'unix:///var/run/docker.sock' });
  new RandomProvider(stack, 'random');
  new TlsProvider(stack, 'tls');
  return stack;
}

function secret(stack: TerraformStack, name: string): string {
  return new TerraformVariable(stack, name, { type: 'string', sensitive: true }).stringValue;
}

/** A collector in a fresh stack, and a synth of that stack (validations run, as `app.synth()` does). */
function collectorStack() {
  const app = Testing.app();
  const stack = stackWithProviders(app, 'lab');
  const collector = new Collector(stack, 'collector', { hostName: 'lab-1', addresses: ['lab-1.example'] });
  const synth = () => JSON.parse(Testing.synth(stack, true));
  return { app, stack, collector, synth };
}

const userDashboard = () =>
  buildSpecDashboard({
    uid: 'my-app',
    title: 'My app',
    description: 'requests of my app',
    tags: ['mine'],
    rows: [{ title: 'Requests', panels: [timeseriesPanel({ title: 'Request rate', description: 'per second', unit: 'reqps', queries: [{ expr: `sum by (host) (rate(myapp_requests_total{${HOST}}[$__rate_interval]))`, legend: '{{host}}' }] })] }],
  });

describe('Collector extension points', () => {
  it('a refusal names the construct it came from (PeekStackValidationError.constructPath)', () => {
    const { collector } = collectorStack();
    let caught: unknown;
    try {
      collector.add({ name: 'bad', bind: () => collector.addComponent({ name: 'node-exporter' }) as never });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PeekStackValidationError);
    expect((caught as PeekStackValidationError).constructPath).toBe('lab/collector/bad');
    expect((caught as PeekStackValidationError).message).toMatch(/^Collector\.addComponent\(component\)\.name: got "node-exporter"/);
  });

  it('takes a scrape job named with Prometheus job-name characters (my_app)', () => {
    const { stack, collector, synth } = collectorStack();
    const app = new Container(stack, 'my-app', { name: 'my-app', image: 'example/my-app:1.0.0' });
    collector.addScrapeTarget({ jobName: 'my_app', address: 'my-app:8000' }, app);
    const prometheus = containerNamed(synth(), 'peekstack-prometheus');
    expect(parse(uploadedFile(prometheus, '/etc/prometheus/prometheus.yml')).scrape_configs.map((job: { job_name: string }) => job.job_name)).toContain('my_app');
    expect(collector.components.map((component) => component.name)).toContain('my_app');
  });

  it('adds a scrape job, a rule group and a remote_write beside PeekStack\'s own, rendered at synthesis', () => {
    const { stack, collector, synth } = collectorStack();
    const exporter = new Container(stack, 'myapp', { name: 'myapp', image: 'myapp:1.0' });
    collector.addComponent(
      {
        name: 'myapp',
        scrapeTarget: { jobName: 'myapp', address: 'myapp:8000' },
        metrics: [{ name: 'myapp_requests_total', type: 'counter', jobs: ['myapp'], help: 'Requests served.' }],
        ruleGroups: [{ name: 'myapp', rules: [{ alert: 'MyAppDown', expr: 'up{job="myapp"} == 0', for: '5m', labels: { severity: 'critical' } }] }],
      },
      exporter,
    );
    collector.prometheus.addRemoteWrite({ name: 'central', url: 'https://metrics.example/api/v1/write', basicAuth: { username: 'writer', password: secret(stack, 'rw') }, headers: { 'X-Scope-OrgID': 'lab' }, queue: { maxSamplesPerSend: 500 } });
    const out = synth();
    const prometheus = containerNamed(out, 'peekstack-prometheus');
    const config = parse(uploadedFile(prometheus, '/etc/prometheus/prometheus.yml'));
    expect(config.scrape_configs.map((job: { job_name: string }) => job.job_name)).toEqual(['node', 'cadvisor', 'scaphandre', 'blackbox-prometheus', 'blackbox-node-exporter', 'myapp', 'prometheus']);
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/peekstack.rules.yml', '/etc/prometheus/rules/energy.rules.yml', '/etc/prometheus/rules/power-split.rules.yml', '/etc/prometheus/rules/platform-power.rules.yml', '/etc/prometheus/rules/myapp.rules.yml']);
    expect(config.remote_write).toEqual([
      {
        name: 'central',
        url: 'https://metrics.example/api/v1/write',
        headers: { 'X-Scope-OrgID': 'lab' },
        basic_auth: { username: 'writer', password_file: '/etc/prometheus/secrets/remote-write-central.password' },
        queue_config: { max_samples_per_send: 500 },
      },
    ]);
    expect(parse(uploadedFile(prometheus, '/etc/prometheus/rules/myapp.rules.yml')).groups.map((g: { name: string }) => g.name)).toEqual(['myapp']);
    // PeekStack's own groups are still there.
    expect(parse(uploadedFile(prometheus, '/etc/prometheus/rules/peekstack.rules.yml')).groups.length).toBeGreaterThanOrEqual(3);
    // The user's exporter joined the collector's private network.
    expect(containerNamed(out, 'myapp').networks_advanced).toEqual([{ name: expect.stringMatching(/^\$\{docker_network\..+\.name\}$/) }]);
    // The password went to a file as a Terraform reference, never into prometheus.yml.
    expect(uploadedFile(prometheus, '/etc/prometheus/secrets/remote-write-central.password')).toMatch(/^\$\{var\.rw\}$/);
  });

  it('keeps PeekStack\'s rules when rule files are passed as props', () => {
    const app = Testing.app();
    const stack = stackWithProviders(app, 'lab');
    const collector = new Collector(stack, 'collector', { hostName: 'lab-1', addresses: ['lab-1.example'], prometheus: { ruleFiles: [{ fileName: 'mine.yml', content: 'groups: []\n' }] } });
    expect(parse(collector.prometheus.configYaml).rule_files).toEqual(['/etc/prometheus/rules/mine.yml', '/etc/prometheus/rules/peekstack.rules.yml', '/etc/prometheus/rules/energy.rules.yml', '/etc/prometheus/rules/power-split.rules.yml', '/etc/prometheus/rules/platform-power.rules.yml']);
  });

  it.each([
    ['a job that exists', (c: Collector) => c.addScrapeTarget({ jobName: 'node', address: 'x:1' }), /^Prometheus\.addScrapeTarget\(target\)\.jobName: got "node"; expected a job name not already scraped/],
    ['a component that exists', (c: Collector) => c.addComponent({ name: 'scaphandre' }), /^Collector\.addComponent\(component\)\.name: got "scaphandre"; expected a component name not already in this collector/],
    ['the self job name', (c: Collector) => c.prometheus.addScrapeTarget({ jobName: 'prometheus', address: 'x:1' }), /^Prometheus\.addScrapeTarget\(target\)\.jobName: got "prometheus"; expected a job name not already scraped/],
    ['a remote_write URL that is not http(s)', (c: Collector) => c.prometheus.addRemoteWrite({ name: 'x', url: 'ftp://store.example/write' }), /^Prometheus\.addRemoteWrite\(endpoint\)\.url: got "ftp:\/\/\.\.\."; expected an http:\/\/ or https:\/\/ URL$/],
    ['a remote_write URL with a password in it', (c: Collector) => c.prometheus.addRemoteWrite({ name: 'x', url: 'https://u:hunter2@store.example/write' }), /^Prometheus\.addRemoteWrite\(endpoint\)\.url: got "<a URL with credentials, not shown>"/],
    ['a literal remote_write password', (c: Collector) => c.prometheus.addRemoteWrite({ name: 'x', url: 'https://s.example/w', basicAuth: { username: 'u', password: 'hunter2' } }), /^Prometheus\.addRemoteWrite\(endpoint\)\.basicAuth\.password: got "<a literal secret, not shown>"/],
    ['a literal bearer token', (c: Collector) => c.prometheus.addRemoteWrite({ name: 'x', url: 'https://s.example/w', bearerToken: 'tok3n' }), /^Prometheus\.addRemoteWrite\(endpoint\)\.bearerToken: got "<a literal secret, not shown>"/],
    ['an Authorization header', (c: Collector) => c.prometheus.addRemoteWrite({ name: 'x', url: 'https://s.example/w', headers: { Authorization: 'Bearer tok3n' } }), /^Prometheus\.addRemoteWrite\(endpoint\)\.headers: got "Authorization"; expected headers other than Authorization/],
    ['a duplicate remote_write name', (c: Collector) => { c.prometheus.addRemoteWrite({ name: 'x', url: 'https://s.example/w' }); c.prometheus.addRemoteWrite({ name: 'x', url: 'https://t.example/w' }); }, /^Prometheus\.addRemoteWrite\(endpoint\)\.name: got "x"; expected a remote-write name not already used/],
    ['a rule with both record and alert', (c: Collector) => c.prometheus.addRuleGroup({ name: 'g', rules: [{ record: 'a', alert: 'B', expr: 'up' } as never] }), /^Prometheus\.addRuleGroup\(group\)\[g\]\.rules\[0\]: got .*; expected exactly one of "record"/],
    ['a rule group name that exists', (c: Collector) => c.prometheus.addRuleGroup({ name: 'peekstack-health', rules: [{ record: 'x', expr: 'up' }] }), /^Prometheus\.addRuleGroup\(group\)\.name: got "peekstack-health"; expected a rule group name not already loaded/],
    ['a bad "for" duration', (c: Collector) => c.prometheus.addRuleGroup({ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: 'five minutes' }] }), /^Prometheus\.addRuleGroup\(group\)\[g\]\.rules\[0\]\.for: got "five minutes"; expected a Prometheus duration/],
  ])('refuses %s at the call, naming the method, the field and what is allowed', (_what, add, message) => {
    const { collector } = collectorStack();
    expect(() => add(collector)).toThrow(message);
  });

  it('never echoes a literal secret given to an add method', () => {
    const { collector } = collectorStack();
    for (const attempt of [
      () => collector.prometheus.addRemoteWrite({ name: 'x', url: 'https://s.example/w', basicAuth: { username: 'u', password: 'hunter2' } }),
      () => collector.prometheus.addRemoteWrite({ name: 'y', url: 'https://u:hunter2@s.example/w' }),
      () => collector.prometheus.addRemoteWrite({ name: 'z', url: 'https://s.example/w', bearerToken: 'hunter2' }),
    ]) {
      expect(attempt).toThrow();
      try {
        attempt();
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });

  it('refuses at synthesis a rule that reads a metric no component produces, naming the rule and the metric', () => {
    const { collector, synth } = collectorStack();
    collector.prometheus.addRuleGroup({ name: 'typo', rules: [{ alert: 'HotHost', expr: 'scaph_host_power_microwats > 1e8' }] });
    expect(collector.catalogProblems()).toEqual([
      'collector "lab-1": rule group "typo" alert "HotHost": metric "scaph_host_power_microwats" is produced by no component present (add the component that exports it, with its metrics, or fix the name)',
    ]);
    expect(synth).toThrow(/scaph_host_power_microwats/);
  });

  it('refuses a rate() of a gauge in a rule', () => {
    const { collector } = collectorStack();
    collector.prometheus.addRuleGroup({ name: 'g', rules: [{ record: 'x:y', expr: 'rate(scaph_host_power_microwatts[1m])' }] });
    expect(collector.catalogProblems()).toEqual(['collector "lab-1": rule group "g" recording rule "x:y": gauge "scaph_host_power_microwatts" is passed to rate(), which is only for counters']);
  });
});

describe('Interface extension points', () => {
  function fleet() {
    const app = Testing.app();
    const lab = stackWithProviders(app, 'lab');
    const collector = new Collector(lab, 'collector', { hostName: 'lab-1', addresses: ['lab-1.example'] });
    const ui = stackWithProviders(app, 'ui');
    const iface = new Interface(ui, 'interface', { collectors: [collector] });
    return { app, lab, ui, collector, iface };
  }

  it('provisions a user dashboard beside the built-in ones, and the datasources added', () => {
    const { ui, iface, collector } = fleet();
    collector.addComponent({ name: 'myapp', scrapeTarget: { jobName: 'myapp', address: 'myapp:8000' }, metrics: [{ name: 'myapp_requests_total', type: 'counter', jobs: ['myapp'], help: 'Requests.' }] });
    iface.grafana.addDashboard(userDashboard());
    iface.grafana.addDatasource({ name: 'PeekStack fleet', uid: 'peekstack-fleet-store', url: 'https://store.example:8427/select/0/prometheus', basicAuth: { username: 'reader', password: secret(ui, 'read') }, caCertificatePem: 'CA', httpHeaders: { 'X-Scope-OrgID': 'fleet' }, isDefault: true });
    expect(iface.grafana.dashboards.map((d) => d.uid)).toEqual(['peekstack-system', 'peekstack-containers', 'peekstack-power', 'my-app']);
    expect(iface.catalogProblems()).toEqual([]);
    const datasources = parse(iface.grafana.datasourcesYaml).datasources;
    expect(datasources.map((d: { uid: string; isDefault: boolean }) => [d.uid, d.isDefault])).toEqual([['peekstack-lab-1', false], ['peekstack-fleet-store', true]]);
    expect(datasources[1]).toMatchObject({ basicAuth: true, basicAuthUser: 'reader', jsonData: { tlsAuthWithCACert: true, httpHeaderName1: 'X-Scope-OrgID' }, secureJsonData: { httpHeaderValue1: 'fleet', basicAuthPassword: '$__file{/run/secrets/peekstack/peekstack-fleet-store.password}' } });
  });

  it('takes a dashboard built with the Foundation SDK directly', () => {
    const { iface } = fleet();
    const built = new sdk.DashboardBuilder('Plain').uid('plain').build();
    expect(iface.grafana.addDashboard(built)).toMatchObject({ uid: 'plain', title: 'Plain', fileName: 'plain.json' });
  });

  it('refuses at synthesis a dashboard query on a metric no component produces, naming the panel', () => {
    const { iface } = fleet();
    iface.grafana.addDashboard(userDashboard());
    expect(iface.catalogProblems()).toEqual([
      'dashboard "My app" (my-app) panel "Request rate" query A: metric "myapp_requests_total" is produced by no component present (add the component that exports it, with its metrics, or fix the name)',
    ]);
  });

  it.each([
    ['a dashboard uid that exists', (i: Interface) => i.grafana.addDashboard(new sdk.DashboardBuilder('x').uid('peekstack-power').build()), /^Grafana\.addDashboard\(dashboard\)\.uid: got "peekstack-power"; expected a dashboard uid not already provisioned/],
    ['a dashboard without uid', (i: Interface) => i.grafana.addDashboard(new sdk.DashboardBuilder('x').build()), /^dashboard\.uid: got nothing; expected a uid of 1 to 40/],
    ['a datasource uid that exists', (i: Interface) => i.grafana.addDatasource({ name: 'x', uid: 'peekstack-lab-1', url: 'https://x.example' }), /^Grafana\.addDatasource\(datasource\)\.uid: got "peekstack-lab-1"; expected a datasource uid not already provisioned/],
    ['a datasource URL that is not http(s)', (i: Interface) => i.grafana.addDatasource({ name: 'x', uid: 'x', url: 'file:///etc/passwd' }), /^Grafana\.addDatasource\(datasource\)\.url: got "file:\/\/\.\.\."; expected an http:\/\/ or https:\/\/ URL/],
    ['a literal datasource password', (i: Interface) => i.grafana.addDatasource({ name: 'x', uid: 'x', url: 'https://x.example', basicAuth: { username: 'r', password: 'hunter2' } }), /^Grafana\.addDatasource\(datasource\)\.basicAuth\.password: got "<a literal secret, not shown>"/],
  ])('refuses %s at the call', (_what, add, message) => {
    const { iface } = fleet();
    expect(() => add(iface)).toThrow(message);
  });
});
