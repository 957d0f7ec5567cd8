import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Prometheus, PrometheusProps } from '../../../src/components/prometheus/prometheus';
import { containerNamed, synthConstructs } from '../../support/synth';
import type { UntypedJson } from '../../support/untyped-json';

/** Minimal props: material as plain strings stands in for tokens here (the Collector passes tokens). */
const base: PrometheusProps = {
  hostName: 'lab',
  networkName: 'net',
  certificate: { certificatePem: 'CERT', privateKeyPem: 'KEY' },
  caCertificatePem: 'CA',
  credentials: { username: 'peekstack', password: 'pw', passwordBcryptHash: 'hash' },
  scrapeTargets: [
    { jobName: 'fast', address: 'fast:1', scrapeIntervalSeconds: 5 },
    { jobName: 'floored', address: 'floored:1', minScrapeIntervalSeconds: 2 },
  ],
};

function build(props: Partial<PrometheusProps> = {}) {
  let prometheus!: Prometheus;
  const synth = synthConstructs((scope) => {
    prometheus = new Prometheus(scope, 'prometheus', { ...base, ...props });
  });
  return { prometheus, synth, config: parse(prometheus.configYaml) };
}

describe('Prometheus', () => {
  it('applies defaults once and exposes them', () => {
    const { prometheus } = build();
    expect(prometheus).toMatchObject({
      publishedPort: 19090,
      scrapeIntervalSeconds: 15,
      scrapeTimeoutSeconds: 10,
      evaluationIntervalSeconds: 15,
      retentionDays: 15,
      retentionSizeGigabytes: 10,
      dataVolumeName: 'peekstack-prometheus-data',
    });
  });

  it('renders retention and intervals from props', () => {
    const { prometheus, config } = build({ retentionDays: 90, retentionSizeGigabytes: 50, scrapeIntervalSeconds: 30, scrapeTimeoutSeconds: 20 });
    expect(prometheus.command).toEqual(expect.arrayContaining(['--storage.tsdb.retention.time=90d', '--storage.tsdb.retention.size=50GB']));
    expect(config.global).toMatchObject({ scrape_interval: '30s', scrape_timeout: '20s', evaluation_interval: '30s', external_labels: { host: 'lab' } });
  });

  it('caps each job timeout at its own interval and keeps per-job intervals', () => {
    const { config } = build();
    const fast = config.scrape_configs.find((job: UntypedJson) => job.job_name === 'fast');
    expect(fast).toMatchObject({ scrape_interval: '5s', scrape_timeout: '5s', scheme: 'http' });
  });

  it('always scrapes itself over HTTPS with its own CA and password file', () => {
    const { config, synth } = build();
    const self = config.scrape_configs.find((job: UntypedJson) => job.job_name === 'prometheus');
    expect(self).toMatchObject({
      scheme: 'https',
      static_configs: [{ targets: ['localhost:9090'] }],
      tls_config: { ca_file: '/etc/prometheus/tls/prometheus-ca.crt', server_name: 'localhost' },
      basic_auth: { username: 'peekstack', password_file: '/etc/prometheus/secrets/prometheus.password' },
    });
    expect(JSON.stringify(config)).not.toContain('"pw"');
    const container = containerNamed(synth, 'peekstack-prometheus');
    expect(container.upload.find((u: UntypedJson) => u.file === '/etc/prometheus/secrets/prometheus.password')).toBeDefined();
  });

  it('cuts a target\'s unbounded label values after the scrape, and refuses a cut RE2 cannot express', () => {
    const { config } = build({ scrapeTargets: [{ jobName: 'procs', address: 'procs:1', dropMetrics: 'unused_.*', truncateLabels: { cmdline: 1000 } }] });
    const job = config.scrape_configs.find((j: { job_name: string }) => j.job_name === 'procs');
    expect(job.metric_relabel_configs).toEqual([
      { source_labels: ['__name__'], regex: 'unused_.*', action: 'drop' },
      { source_labels: ['cmdline'], regex: '(?s)(.{0,1000}).*', target_label: 'cmdline', replacement: '$1', action: 'replace' },
    ]);
    expect(() => build({ scrapeTargets: [{ jobName: 'procs', address: 'procs:1', truncateLabels: { cmdline: 1001 } }] })).toThrow(/truncateLabels\.cmdline.*1001/);
    expect(() => build({ scrapeTargets: [{ jobName: 'procs', address: 'procs:1', truncateLabels: { 'cmd-line': 10 } }] })).toThrow(/truncateLabels.*cmd-line/);
  });

  it('renders the same text for the same props (pure renderers)', () => {
    expect(build().prometheus.configYaml).toBe(build().prometheus.configYaml);
  });

  it.each([
    ['a job under its floor', { scrapeIntervalSeconds: 1 }, /^Prometheus\.scrapeIntervalSeconds \(used by job "floored"\): got 1; expected an integer from 2 to 3600 seconds: job "floored" must not be scraped more often than every 2 s$/],
    ['a fractional interval', { scrapeIntervalSeconds: 2.5 }, /^Prometheus\.scrapeIntervalSeconds: got 2\.5; expected an integer from 1 to 3600 seconds$/],
    ['a zero retention', { retentionDays: 0 }, /^Prometheus\.retentionDays: got 0; expected an integer from 1 to 3650 days$/],
    ['a bad volume name', { dataVolumeName: '-data' }, /^Prometheus\.dataVolumeName: got "-data"; expected a Docker volume name/],
    ['a duplicate job', { scrapeTargets: [{ jobName: 'prometheus', address: 'x:1' }] }, /^Prometheus\.addScrapeTarget\(target\)\.jobName: got "prometheus"; expected a job name not already scraped/],
    ['a job timeout over its interval', { scrapeTargets: [{ jobName: 'x', address: 'x:1', scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 9 }] }, /^Prometheus\.scrapeTargets\[x\]\.scrapeTimeoutSeconds: got 9; expected an integer from 1 to 5 seconds/],
  ])('refuses %s', (_name, props, message) => {
    expect(() => build(props as Partial<PrometheusProps>)).toThrow(message);
  });
});
