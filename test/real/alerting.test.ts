/**
 * Alerts reaching a person, with the real binaries: Alertmanager 0.33 (Debian sid) run from the files
 * the Alertmanager construct synthesizes, a harness Prometheus whose prometheus.yml has the rendered
 * `alerting:` section (HTTPS verified against the hub CA, basic auth from a password file), and a
 * webhook receiver on loopback.
 *
 * What differs from production, and only this:
 * - listen addresses (loopback), as in the harness; Alertmanager is reached as `peekstack-alertmanager`
 *   through the harness's hosts file and verified as `localhost` (the test certificate's name);
 * - `for:` of PeekStackTargetDown is 10 s instead of 5 min in the harness's rule file (the deployed
 *   5 min is covered by `promtool test rules`, test/rules/peekstack.rules.test.yml), and Alertmanager
 *   is built with group_wait 1 s / group_interval 2 s (props) instead of 30 s / 5 min;
 * - the webhook's bearer token is a Terraform variable the test fills in;
 * - Debian's Alertmanager reads its default notification templates from /usr/share/prometheus/alertmanager
 *   (bound from the unpacked package); the upstream image embeds them.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Password } from '@cdktf/provider-random/lib/password';
import { TerraformVariable } from 'cdktf';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alertmanager, ALERTMANAGER_PATHS, AlertReceiver } from '../../src/hub/alertmanager';
import { CertificateAuthority } from '../../src/constructs/certificate-authority';
import { GeneratedCredentials } from '../../src/constructs/credentials';
import { PROMETHEUS_PATHS } from '../../src/components/prometheus/prometheus';
import { toYaml } from '../../src/render/yaml';
import { materializeUploads } from '../support/deployed-files';
import { containerNamed, synthConstructs } from '../support/synth';
import type { TestSecrets } from '../support/test-secrets';
import { HARNESS_ALERTMANAGER_NAME, type Harness, listenOnLoopback, startHarness } from './harness';
import { COMPONENT_PORTS } from './loopback';
import { type ManagedProcess, startProcess } from './processes';
import { httpsGet, plainHttpGet, type PrometheusEndpoint, seriesOf } from './prometheus-api';
import { REPO_ROOT, toolPath } from './tools';
import { BIND_MOUNTS_SCRIPT } from './mount-namespace';

/** `for:` of PeekStackTargetDown in this test's rule file (deployed: 5m). */
const TEST_FOR_SECONDS = 10;
/** The bound this test holds delivery to, from the moment the alert is past its `for` (measured: see docs/real-tests.md). */
const DELIVERY_BOUND_MS = 10_000;
const WEBHOOK_TOKEN = `hook-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

/** One request the loopback webhook received. */
interface Received {
  readonly at: number;
  readonly path: string;
  readonly authorization?: string;
  readonly body: string;
}

/** Webhook payload of Alertmanager (version 4). */
interface WebhookPayload {
  readonly status: 'firing' | 'resolved';
  readonly alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string }[];
  readonly groupLabels: Record<string, string>;
}

/** A webhook receiver (POST /hook, 200) and a remote_write endpoint that refuses everything (400). */
async function startWebhook(): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/hook') {
        received.push({ at: Date.now(), path: req.url, authorization: req.headers.authorization, body });
        res.writeHead(200).end('ok');
      } else {
        // remote_write: a 4xx is non-recoverable, so Prometheus counts the samples as failed.
        res.writeHead(400).end('refused by the test');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, received };
}

/** Synthesizes an Alertmanager as the hub deploys it; `receivers` get secrets from Terraform variables. */
function synthAlertmanager(receivers: (scope: import('constructs').Construct) => AlertReceiver[], timings = { groupWaitSeconds: 1, groupIntervalSeconds: 2 }) {
  const synth = synthConstructs((scope) => {
    const ca = new CertificateAuthority(scope, 'ca', { commonName: 'test hub CA' });
    const list = receivers(scope);
    new Alertmanager(scope, 'alertmanager', {
      certificate: ca.issueServerCertificate('alertmanager-cert', 'Alertmanager', ['localhost']),
      credentials: new GeneratedCredentials(scope, 'credentials', { field: 'Alertmanager', username: 'prometheus' }),
      receivers: list,
      routes: [{ severity: 'critical', receiver: list[0].name }],
      ...timings,
    });
  });
  return containerNamed(synth, 'peekstack-alertmanager');
}

const secretVariable = (scope: import('constructs').Construct, name: string) => new TerraformVariable(scope, name, { type: 'string', sensitive: true }).stringValue;

function amtoolCheck(file: string): { status: number | null; output: string } {
  const result = spawnSync(toolPath('amtool'), ['check-config', file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('alertmanager.yml, as rendered, passes amtool check-config', () => {
  it('with every receiver kind (webhook, email, Slack, PagerDuty), secrets only as *_file', () => {
    const tokens = { hook_token: 'secret-hook-token', smtp_password: 'secret-smtp', slack_url: 'https://hooks.slack.com/services/SECRET', pagerduty_key: 'secret-pd-key' };
    const container = synthAlertmanager((scope) => {
      const receivers: AlertReceiver[] = [
        { name: 'ops-hook', kind: 'webhook', url: 'https://hooks.example.net/peekstack', bearerToken: secretVariable(scope, 'hook_token') },
        { name: 'mail', kind: 'email', to: 'ops@example.net', from: 'peekstack@example.net', smarthost: 'smtp.example.net:587', password: secretVariable(scope, 'smtp_password') },
        { name: 'chat', kind: 'slack', channel: '#ops', webhookUrl: secretVariable(scope, 'slack_url') },
        { name: 'pager', kind: 'pagerduty', routingKey: secretVariable(scope, 'pagerduty_key') },
      ];
      return receivers;
    });
    const root = materializeUploads(container as never, fakeSecrets(), tokens);
    try {
      const config = readFileSync(path.join(root, ALERTMANAGER_PATHS.config), 'utf8');
      for (const secret of Object.values(tokens)) expect(config).not.toContain(secret);
      expect(config).toContain(`credentials_file: "${ALERTMANAGER_PATHS.secret('ops-hook', 'token')}"`);
      expect(config).toContain('auth_password_file:');
      expect(config).toContain('api_url_file:');
      expect(config).toContain('routing_key_file:');
      // The secrets are in files of their own, readable by Alertmanager.
      expect(readFileSync(path.join(root, ALERTMANAGER_PATHS.secret('chat', 'url')), 'utf8')).toBe(tokens.slack_url);
      const result = amtoolCheck(path.join(root, ALERTMANAGER_PATHS.config));
      expect(result.output, result.output).toMatch(/SUCCESS/);
      expect(result.output).toMatch(/4 receivers/);
      expect(result.output).toMatch(/2 inhibit rules/);
      expect(result.status).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('amtool refuses a route to a receiver that is not there (the check can fail)', () => {
    const container = synthAlertmanager((scope) => [{ name: 'ops-hook', kind: 'webhook', url: 'https://hooks.example.net/x', bearerToken: secretVariable(scope, 'hook_token') }]);
    const root = materializeUploads(container as never, fakeSecrets(), { hook_token: 't' });
    try {
      const file = path.join(root, ALERTMANAGER_PATHS.config);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('receiver: "ops-hook"');
      writeFileSync(file, text.replaceAll('receiver: "ops-hook"', 'receiver: "nobody"'));
      const result = amtoolCheck(file);
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/nobody/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** Terraform values for tests that only run amtool (no TLS is served). */
function fakeSecrets() {
  return { password: 'p', bcryptHash: '$2y$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyzabcde', caPem: 'CA', certPem: 'CERT', keyPem: 'KEY' };
}

describe('an alert reaches a webhook through Alertmanager, and its resolution follows', () => {
  let harness: Harness;
  let alertmanager: ManagedProcess;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  let amRoot: string;
  let amData: string;
  let amEndpoint: PrometheusEndpoint;
  const measured: Record<string, number> = {};

  beforeAll(async () => {
    webhook = await startWebhook();
    harness = await startHarness({
      configure: (collector) => {
        // As the app wires a collector to the hub: the hub's CA, a basic-auth password token.
        const hubCa = new CertificateAuthority(collector, 'hub-ca', { commonName: 'test hub CA' });
        const password = new Password(collector, 'hub-alertmanager-password', { length: 32, special: false });
        collector.addAlertmanager({
          name: 'hub',
          targets: [`${HARNESS_ALERTMANAGER_NAME}:${COMPONENT_PORTS.alertmanager}`],
          caCertificatePem: hubCa.certificatePem,
          serverName: 'localhost',
          basicAuth: { username: 'prometheus', password: password.result },
        });
        // A remote_write endpoint that refuses every sample: the remote-storage metrics the delivery alerts read appear.
        collector.prometheus.addRemoteWrite({ name: 'fleet', url: `http://127.0.0.1:${webhook.port}/api/v1/write` });
      },
      mutateFiles: (files) => {
        const file = path.join(files.prometheusRoot, PROMETHEUS_PATHS.rules('peekstack.rules.yml'));
        const rules = parse(readFileSync(file, 'utf8')) as { groups: { rules: { alert?: string; for?: string }[] }[] };
        const targetDown = rules.groups.flatMap((group) => group.rules).filter((rule) => rule.alert === 'PeekStackTargetDown');
        expect(targetDown.map((rule) => rule.for)).toEqual(['5m']);
        targetDown[0].for = `${TEST_FOR_SECONDS}s`;
        writeFileSync(file, toYaml(rules));
      },
    });
    const container = synthAlertmanager((scope) => [
      { name: 'loopback-hook', kind: 'webhook', url: `http://127.0.0.1:${webhook.port}/hook`, bearerToken: secretVariable(scope, 'hook_token') },
    ]);
    amRoot = materializeUploads(container as never, harness.secrets as TestSecrets, { hook_token: WEBHOOK_TOKEN });
    amData = mkdtempSync(path.join(tmpdir(), 'peekstack-alertmanager-'));
    alertmanager = startProcess(
      BIND_MOUNTS_SCRIPT,
      [
        '-b', `${path.join(amRoot, 'etc/alertmanager')}:/etc/alertmanager`,
        '-b', `${amData}:${ALERTMANAGER_PATHS.data}`,
        // Debian's build reads its notification templates from here (upstream's image embeds them).
        '-b', `${path.join(REPO_ROOT, '.tools/root/usr/share/prometheus/alertmanager')}:/usr/share/prometheus/alertmanager`,
        toolPath('alertmanager'),
        ...listenOnLoopback(container.command as string[], harness.plan.alertmanager),
      ],
      { name: 'alertmanager' },
    );
    amEndpoint = { address: harness.plan.alertmanager, port: COMPONENT_PORTS.alertmanager, caPem: harness.secrets.caPem, serverName: 'localhost', username: 'prometheus', password: harness.secrets.password };
    await waitForAlertmanager(alertmanager, amEndpoint);
    await harness.waitForQuery('probe_success{probe="alertmanager"} == 1', (o) => seriesOf(o).length === 1, 60_000);
    await harness.waitForTargetsUp();
  }, 120_000);

  afterAll(async () => {
    await alertmanager?.stop();
    await harness?.stop();
    await new Promise((resolve) => webhook?.server.close(resolve));
    if (amRoot) rmSync(amRoot, { recursive: true, force: true });
    if (amData) rmSync(amData, { recursive: true, force: true });
    if (Object.keys(measured).length > 0) console.log(`[alerting] measured: ${JSON.stringify(measured)}`);
  });

  it('the rendered alertmanager.yml passes amtool check-config and holds no secret', () => {
    const config = readFileSync(path.join(amRoot, ALERTMANAGER_PATHS.config), 'utf8');
    expect(config).not.toContain(WEBHOOK_TOKEN);
    const result = amtoolCheck(path.join(amRoot, ALERTMANAGER_PATHS.config));
    expect(result.output, result.output).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  it('Alertmanager serves HTTPS with basic auth only: no credentials 401, wrong password 401, right 200, plain HTTP 400', async () => {
    expect((await httpsGet(amEndpoint, '/api/v2/status', 'none')).status).toBe(401);
    expect((await httpsGet(amEndpoint, '/api/v2/alerts', 'none')).status).toBe(401);
    expect((await httpsGet(amEndpoint, '/api/v2/status', { username: 'prometheus', password: 'wrong' })).status).toBe(401);
    const ok = await httpsGet(amEndpoint, '/api/v2/status');
    expect(ok.status).toBe(200);
    // Gossip is off: a single instance, no peers.
    expect(JSON.parse(ok.body).cluster.status).toBe('disabled');
    expect((await plainHttpGet(amEndpoint.address, amEndpoint.port, '/api/v2/status')).status).toBe(400);
  });

  it('blackbox probes Prometheus, node_exporter and Alertmanager over verified TLS (401 expected) and reports their certificates\' expiry', async () => {
    const outcome = await harness.waitForQuery('probe_success == 1', (o) => seriesOf(o).length === 3);
    expect(seriesOf(outcome).map((s) => s.metric.probe).sort()).toEqual(['alertmanager', 'node-exporter', 'prometheus']);
    const expiry = seriesOf(await harness.query('(probe_ssl_earliest_cert_expiry - time()) / 86400'));
    expect(expiry).toHaveLength(3);
    // The test certificates are valid for 2 days.
    for (const series of expiry) expect(Number(series.value![1])).toBeGreaterThan(1);
    for (const series of expiry) expect(Number(series.value![1])).toBeLessThan(2.01);
    // ...which is under 30 days: PeekStackCertificateExpiring is pending for each (fires after its 10 min).
    const pending = await harness.waitForQuery('ALERTS{alertname="PeekStackCertificateExpiring"}', (o) => seriesOf(o).length === 3);
    expect(seriesOf(pending).every((s) => s.metric.host === harness.hostName)).toBe(true);
  });

  it('node_exporter stopped: PeekStackTargetDown fires and reaches the webhook with the host label, bearer token sent; the resolved notification follows its return', async () => {
    const stoppedAt = Date.now();
    await harness.processes.nodeExporter!.stop();
    const firing = await waitForNotification(webhook.received, 'firing', 60_000);
    expect(firing.request.authorization).toBe(`Bearer ${WEBHOOK_TOKEN}`);
    const alert = firing.payload.alerts.find((a) => a.labels.alertname === 'PeekStackTargetDown')!;
    expect(alert.labels).toMatchObject({ host: harness.hostName, job: 'node', severity: 'warning' });
    expect(firing.payload.groupLabels).toEqual({ host: harness.hostName, alertname: 'PeekStackTargetDown' });
    expect(alert.annotations.summary).toBe(`PeekStack job node on host ${harness.hostName} is down`);
    expect(alert.annotations.runbook).toBeTruthy();

    // When it was past its `for`: Prometheus's activeAt (pending since) + for.
    const alerts = JSON.parse((await httpsGet(harness.endpoint, '/api/v1/alerts')).body).data.alerts as { labels: Record<string, string>; activeAt: string; state: string }[];
    const active = alerts.find((a) => a.labels.alertname === 'PeekStackTargetDown' && a.labels.job === 'node')!;
    expect(active.state).toBe('firing');
    const pastFor = Date.parse(active.activeAt) + TEST_FOR_SECONDS * 1000;
    measured.pastForToWebhookMs = firing.request.at - pastFor;
    measured.stopToWebhookMs = firing.request.at - stoppedAt;
    expect(measured.pastForToWebhookMs).toBeGreaterThanOrEqual(0);
    expect(measured.pastForToWebhookMs).toBeLessThan(DELIVERY_BOUND_MS);

    const restartedAt = Date.now();
    await harness.restartNodeExporter();
    const resolved = await waitForNotification(webhook.received, 'resolved', 60_000);
    const resolvedAlert = resolved.payload.alerts.find((a) => a.labels.alertname === 'PeekStackTargetDown')!;
    expect(resolvedAlert.labels).toMatchObject({ host: harness.hostName, job: 'node' });
    expect(resolvedAlert.status).toBe('resolved');
    measured.restartToResolvedMs = resolved.request.at - restartedAt;
    expect(measured.restartToResolvedMs).toBeLessThan(30_000);
  }, 120_000);

  it('Prometheus counts its notifications, and the remote_write metrics the delivery alerts read exist (a refusing endpoint counts failed samples)', async () => {
    const sent = await harness.waitForQuery('prometheus_notifications_sent_total{job="prometheus"} > 0', (o) => seriesOf(o).length === 1);
    expect(seriesOf(sent)[0].metric.alertmanager).toMatch(/^https:\/\/peekstack-alertmanager:9093\//);
    expect(seriesOf(await harness.query('prometheus_notifications_errors_total{job="prometheus"}'))).toHaveLength(1);
    expect(seriesOf(await harness.query('prometheus_notifications_dropped_total{job="prometheus"}'))).toHaveLength(1);
    await harness.waitForQuery('prometheus_remote_storage_samples_failed_total{job="prometheus", remote_name="fleet"} > 0', (o) => seriesOf(o).length === 1, 60_000);
    expect(seriesOf(await harness.query('prometheus_remote_storage_highest_timestamp_in_seconds{job="prometheus"}'))).toHaveLength(1);
    expect(seriesOf(await harness.query('prometheus_remote_storage_queue_highest_sent_timestamp_seconds{job="prometheus", remote_name="fleet"}'))).toHaveLength(1);
  }, 90_000);
});

/** Waits until Alertmanager answers over HTTPS (401 without credentials); fails with its output if it exits or never does. */
async function waitForAlertmanager(proc: ManagedProcess, endpoint: PrometheusEndpoint): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last: string;
  for (;;) {
    if (proc.exitInfo()) throw new Error(`alertmanager exited: ${JSON.stringify(proc.exitInfo())}\n${proc.output()}`);
    try {
      const answer = await httpsGet(endpoint, '/-/healthy', 'none');
      if (answer.status === 401) return;
      last = `HTTP ${answer.status}`;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`alertmanager not answering (last: ${last})\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Polls the webhook's requests for the first notification with `status` about PeekStackTargetDown. */
async function waitForNotification(received: Received[], status: 'firing' | 'resolved', timeoutMs: number): Promise<{ request: Received; payload: WebhookPayload }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const request of received) {
      const payload = JSON.parse(request.body) as WebhookPayload;
      if (payload.status === status && payload.alerts.some((a) => a.labels.alertname === 'PeekStackTargetDown' && a.status === status)) return { request, payload };
    }
    if (Date.now() > deadline) throw new Error(`no ${status} notification after ${timeoutMs} ms; received: ${received.map((r) => r.body.slice(0, 200)).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
