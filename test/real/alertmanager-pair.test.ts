/**
 * An Alertmanager pair with the real binary (Alertmanager 0.33, Debian sid): the two members of a
 * fleet whose `alerting.peerHost` is set, each run from the files the hub stack synthesizes for it
 * (alertmanager.yml, web config, cluster TLS config, and the command line), gossiping over mutual
 * TLS on two loopback addresses that stand for the two hosts, notifying a webhook stub on loopback.
 *
 * What differs from production, and only this:
 * - the hosts' addresses are loopback addresses (127.a.b.7 and .8), and each member listens on its
 *   host's address directly: `--web.listen-address` and `--cluster.listen-address` are rewritten
 *   from the container's `:9093` / `0.0.0.0:9094` to `<address>:9093` / `<address>:9094`, standing
 *   for Docker's published ports (the advertised address and the peer's are the synthesized ones);
 * - certificates and passwords are the test's own (openssl, bcrypt), filled in where Terraform's
 *   references stand; the gossip certificates carry client and server auth like the synthesized
 *   `tls_locally_signed_cert` resources (test/alertmanager-pair.test.ts checks those);
 * - group_wait 1 s, group_interval 2 s (fleet-file keys) instead of 30 s / 5 min;
 * - Debian's Alertmanager reads its notification templates from /usr/share/prometheus/alertmanager
 *   (bound from the unpacked package); the upstream image embeds them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/config';
import { buildFleetApp } from '../../src/fleet/fleet';
import { ALERTMANAGER_PATHS } from '../../src/hub/alertmanager';
import { materializeUploads } from '../support/deployed-files';
import { resourcesOf, synthStack, testApp } from '../support/synth';
import { makeTestSecrets } from '../support/test-secrets';
import { issueFromFixture, makeTlsFixture, type TlsFixture } from '../support/tls-fixture';
import { listenOnLoopback } from './harness';
import { allocateLoopback, canListen } from './loopback';
import { type ManagedProcess, startProcess } from './processes';
import { httpsGet, httpsPost, type PrometheusEndpoint } from './prometheus-api';
import { REPO_ROOT, toolPath } from './tools';
import { startWebhookStub, type WebhookStub } from './webhook-stub';
import { BIND_MOUNTS_SCRIPT } from './mount-namespace';

const WEB_PORT = 9093;
const CLUSTER_PORT = 9094;
/** Alertmanager's `--cluster.peer-timeout` (default 15 s): the second member waits this long per position before it notifies. */
const PEER_TIMEOUT_MS = 15_000;

/** Polls `check` until it returns true; fails with its last answer after `timeoutMs`. */
async function pollUntil(what: string, check: () => Promise<true | string>, timeoutMs: number, everyMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: true | string = '';
  while (Date.now() < deadline) {
    last = await check().catch((error: Error) => error.message);
    if (last === true) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last: ${last})`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One member of the pair as the test runs it. */
interface Member {
  readonly name: 'hub' | 'peer' | 'intruder';
  readonly address: string;
  readonly root: string;
  readonly data: string;
  readonly command: string[];
  readonly endpoint: PrometheusEndpoint;
  process?: ManagedProcess;
}

/** The synthesized command, listening on `address` as Docker's published ports would. */
function onHostAddress(command: readonly string[], address: string): string[] {
  const clusterListen = command.filter((arg) => arg === `--cluster.listen-address=0.0.0.0:${CLUSTER_PORT}`);
  if (clusterListen.length !== 1) throw new Error(`expected one --cluster.listen-address=0.0.0.0:${CLUSTER_PORT} in ${JSON.stringify(command)}`);
  return listenOnLoopback(command, address).map((arg) => (arg === clusterListen[0] ? `--cluster.listen-address=${address}:${CLUSTER_PORT}` : arg));
}

async function launch(member: Member): Promise<void> {
  const proc = startProcess(
    BIND_MOUNTS_SCRIPT,
    [
      '-b', `${path.join(member.root, 'etc/alertmanager')}:/etc/alertmanager`,
      '-b', `${member.data}:${ALERTMANAGER_PATHS.data}`,
      '-b', `${path.join(REPO_ROOT, '.tools/root/usr/share/prometheus/alertmanager')}:/usr/share/prometheus/alertmanager`,
      toolPath('alertmanager'),
      ...member.command,
    ],
    { name: `alertmanager-${member.name}` },
  );
  member.process = proc;
  await pollUntil(
    `Alertmanager ${member.name} ready`,
    async () => {
      if (proc.exitInfo()) throw new Error(`alertmanager ${member.name} exited: ${proc.output()}`);
      return (await httpsGet(member.endpoint, '/-/ready')).status === 200 || 'not yet';
    },
    30_000,
    250,
  );
}

/** The cluster as a member sees it: its status and the members its gossip counts. */
async function clusterOf(member: Member): Promise<{ status: string; peers: string[]; members: number }> {
  const status = JSON.parse((await httpsGet(member.endpoint, '/api/v2/status')).body) as { cluster: { status: string; peers?: { address: string }[] } };
  const metrics = (await httpsGet(member.endpoint, '/metrics')).body;
  const members = /^alertmanager_cluster_members (\S+)$/m.exec(metrics);
  return { status: status.cluster.status, peers: (status.cluster.peers ?? []).map((peer) => peer.address).sort(), members: members ? Number(members[1]) : Number.NaN };
}

/** Posts firing alerts to one member, as a collector's Prometheus does (to every Alertmanager). */
async function postAlerts(member: Member, names: string[]): Promise<void> {
  const body = JSON.stringify(
    names.map((alertname) => ({
      labels: { alertname, host: 'pair-host', severity: 'warning' },
      annotations: { summary: `${alertname} test alert` },
      startsAt: new Date(Date.now() - 1_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    })),
  );
  const answer = await httpsPost(member.endpoint, '/api/v2/alerts', Buffer.from(body), { 'Content-Type': 'application/json' });
  expect(answer.status, answer.body).toBe(200);
}

function amtoolCheck(file: string): { status: number | null; output: string } {
  const result = spawnSync(toolPath('amtool'), ['check-config', file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('an Alertmanager pair from the synthesized hub stack: gossip over mutual TLS, one notification per alert, either member enough', () => {
  const secrets = makeTestSecrets(['localhost', '127.0.0.1']);
  let webhook: WebhookStub;
  let gossipCa: TlsFixture;
  let otherCa: TlsFixture;
  let hub: Member;
  let peer: Member;
  const members: Member[] = [];
  const dirs: string[] = [];
  const figures: Record<string, number> = {};

  /** A member's files and command from its synthesized container, its gossip certificate and key given. */
  const memberOf = (name: Member['name'], address: string, container: Record<string, unknown>, gossip: { certPem: string; keyPem: string }, gossipCaPem: string): Member => {
    const root = materializeUploads(container as never, {
      ...secrets,
      byReference: (reference) => {
        if (/tls_self_signed_cert\.alertmanager-cluster-ca_/.test(reference)) return gossipCaPem;
        if (/alertmanager-cluster-ca_alertmanager-cluster-(hub|peer)_/.test(reference)) return reference.startsWith('${tls_private_key.') ? gossip.keyPem : gossip.certPem;
        return undefined;
      },
    });
    const data = mkdtempSync(path.join(tmpdir(), `peekstack-alertmanager-${name}-`));
    dirs.push(root, data);
    const endpoint = { address, port: WEB_PORT, caPem: secrets.caPem, serverName: 'localhost', username: 'prometheus', password: secrets.password };
    return { name, address, root, data, command: onHostAddress(container.command as string[], address), endpoint };
  };

  beforeAll(async () => {
    webhook = await startWebhookStub();
    // Two hosts (and a third for the intruder) on one free loopback block.
    const block = (await allocateLoopback()).alertmanager.replace(/\.\d+$/, '');
    const [hubAddress, peerAddress, intruderAddress] = [`${block}.7`, `${block}.8`, `${block}.9`];
    for (const address of [hubAddress, peerAddress, intruderAddress]) {
      for (const port of [WEB_PORT, CLUSTER_PORT]) expect(await canListen(address, port), `${address}:${port} free`).toBe(true);
    }
    const fleet = parseFleet(
      `hosts:
  - { name: ops, docker: { host: "unix:///var/run/docker.sock" }, addresses: [${hubAddress}] }
  - { name: db-1, docker: { host: "ssh://deploy@db-1.example.net" }, addresses: [${peerAddress}] }
alerting:
  peerHost: db-1
  groupWaitSeconds: 1
  groupIntervalSeconds: 2
  receivers:
    - { name: pager, type: webhook, url: "http://127.0.0.1:${webhook.port}/hook" }
interface: { host: ops }
`,
      'pair.yaml',
    );
    const synth = synthStack(buildFleetApp(testApp(), fleet).hub!);
    const alertmanagers = resourcesOf(synth, 'docker_container').filter((container) => container.name === 'peekstack-alertmanager');
    const on = (provider: string) => alertmanagers.find((container) => container.provider === provider)!;
    gossipCa = makeTlsFixture(['gossip-ca-unused']);
    otherCa = makeTlsFixture(['other-ca-unused']);
    dirs.push(gossipCa.dir, otherCa.dir);
    hub = memberOf('hub', hubAddress, on('docker'), issueFromFixture(gossipCa, 'hub', [hubAddress], { clientAuth: true }), gossipCa.caPem);
    peer = memberOf('peer', peerAddress, on('docker.alertmanager-peer'), issueFromFixture(gossipCa, 'peer', [peerAddress], { clientAuth: true }), gossipCa.caPem);
    members.push(hub, peer);
    const started = Date.now();
    await Promise.all([launch(hub), launch(peer)]);
    await pollUntil('both members in one cluster', async () => {
      const views = await Promise.all([clusterOf(hub), clusterOf(peer)]);
      return views.every((view) => view.members === 2 && view.status === 'ready') || JSON.stringify(views);
    }, 60_000);
    figures.clusterFormedMs = Date.now() - started;
  }, 120_000);

  afterAll(async () => {
    for (const member of members) await member.process?.stop();
    await webhook?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    if (Object.keys(figures).length > 0) console.log(`[alertmanager-pair] measured: ${JSON.stringify(figures)}`);
  });

  it('the synthesized alertmanager.yml of each member passes amtool check-config; the gossip runs with the synthesized cluster flags and TLS file', () => {
    for (const member of [hub, peer]) {
      const result = amtoolCheck(path.join(member.root, ALERTMANAGER_PATHS.config));
      expect(result.output, result.output).toMatch(/SUCCESS/);
      expect(result.status).toBe(0);
      const other = member === hub ? peer : hub;
      expect(member.command).toContain(`--cluster.tls-config=${ALERTMANAGER_PATHS.clusterTlsConfig}`);
      expect(member.command).toContain(`--cluster.advertise-address=${member.address}:${CLUSTER_PORT}`);
      expect(member.command).toContain(`--cluster.peer=${other.address}:${CLUSTER_PORT}`);
      expect(readFileSync(path.join(member.root, ALERTMANAGER_PATHS.clusterTlsConfig), 'utf8')).toContain('RequireAndVerifyClientCert');
    }
  });

  it('each member sees the other: cluster ready, alertmanager_cluster_members 2, the peers at their advertised addresses', async () => {
    for (const member of [hub, peer]) {
      const view = await clusterOf(member);
      expect(view).toMatchObject({ status: 'ready', members: 2 });
      expect(view.peers).toEqual([`${hub.address}:${CLUSTER_PORT}`, `${peer.address}:${CLUSTER_PORT}`].sort());
    }
  });

  it('one alert posted to both members gives exactly one notification', async () => {
    const since = Date.now();
    await Promise.all([postAlerts(hub, ['PairOnce']), postAlerts(peer, ['PairOnce'])]);
    await pollUntil('the notification of PairOnce', async () => webhook.firingSince(since).includes('PairOnce') || 'not yet', 30_000);
    figures.firstNotificationMs = Date.now() - since;
    // The second member would notify one peer timeout later if gossip had not told it the first did.
    await sleep(PEER_TIMEOUT_MS + 5_000);
    expect(webhook.firingSince(since).filter((name) => name === 'PairOnce')).toEqual(['PairOnce']);
  }, 60_000);

  it('a silence created on one member is honoured by the other', async () => {
    const silence = JSON.stringify({
      matchers: [{ name: 'alertname', value: 'PairSilenced', isRegex: false, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: 'alertmanager-pair test',
      comment: 'silenced on the hub member',
    });
    const created = await httpsPost(hub.endpoint, '/api/v2/silences', Buffer.from(silence), { 'Content-Type': 'application/json' });
    expect(created.status, created.body).toBe(200);
    const id = (JSON.parse(created.body) as { silenceID: string }).silenceID;
    const gossiped = Date.now();
    await pollUntil('the silence on the peer member', async () => {
      const silences = JSON.parse((await httpsGet(peer.endpoint, '/api/v2/silences')).body) as { id: string; status: { state: string } }[];
      return silences.some((each) => each.id === id && each.status.state === 'active') || 'not yet';
    }, 20_000, 200);
    figures.silenceGossipMs = Date.now() - gossiped;
    // Sent to the peer alone: only the peer can honour it (an unsilenced control alert beside it).
    const since = Date.now();
    await postAlerts(peer, ['PairSilenced', 'PairControl']);
    await pollUntil('the control alert notified', async () => webhook.firingSince(since).includes('PairControl') || 'not yet', 40_000);
    const alerts = JSON.parse((await httpsGet(peer.endpoint, '/api/v2/alerts?filter=alertname%3D%22PairSilenced%22')).body) as { status: { state: string; silencedBy: string[] } }[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0].status).toMatchObject({ state: 'suppressed', silencedBy: [id] });
    await sleep(5_000);
    expect(webhook.firingSince(since)).not.toContain('PairSilenced');
  }, 90_000);

  it('a member whose client certificate another CA signed is refused: it never joins, the pair stays two', async () => {
    // Its own certificate from another CA; it trusts the pair's CA, so only the pair's check of its client certificate can refuse it.
    const peerContainerRoot = path.join(peer.root, 'etc/alertmanager');
    const intruderAddress = hub.address.replace(/\.7$/, '.9');
    const template = { ...peer, name: 'intruder' as const, address: intruderAddress };
    const root = mkdtempSync(path.join(tmpdir(), 'peekstack-alertmanager-intruder-'));
    const data = mkdtempSync(path.join(tmpdir(), 'peekstack-alertmanager-intruder-data-'));
    dirs.push(root, data);
    cpSync(peerContainerRoot, path.join(root, 'etc/alertmanager'), { recursive: true });
    const wrong = issueFromFixture(otherCa, 'intruder', [intruderAddress], { clientAuth: true });
    writeFileSync(path.join(root, ALERTMANAGER_PATHS.clusterCertificate), wrong.certPem);
    writeFileSync(path.join(root, ALERTMANAGER_PATHS.clusterKey), wrong.keyPem);
    // The peer's command on the third address: it listens and advertises there, and joins the hub member.
    const command = peer.command.map((arg) => arg.replace(`${peer.address}:`, `${intruderAddress}:`));
    const intruder: Member = { ...template, root, data, command, endpoint: { ...peer.endpoint, address: intruderAddress } };
    members.push(intruder);
    await launch(intruder);
    // Long enough for a join and several gossip rounds (a control below joins within this).
    await sleep(10_000);
    expect((await clusterOf(hub)).members).toBe(2);
    expect((await clusterOf(peer)).members).toBe(2);
    const alone = await clusterOf(intruder);
    expect(alone.members).toBe(1);
    expect(alone.peers).toEqual([`${intruderAddress}:${CLUSTER_PORT}`]);
    await intruder.process!.stop();

    // Control: the same member with a certificate of the pair's CA joins (the refusal above is the certificate's).
    const right = issueFromFixture(gossipCa, 'third', [intruderAddress], { clientAuth: true });
    writeFileSync(path.join(root, ALERTMANAGER_PATHS.clusterCertificate), right.certPem);
    writeFileSync(path.join(root, ALERTMANAGER_PATHS.clusterKey), right.keyPem);
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data);
    await launch(intruder);
    await pollUntil('a member with the right certificate joins', async () => ((await clusterOf(hub)).members === 3 ? true : 'not yet'), 20_000);
    await intruder.process!.stop();
    await pollUntil('the third member gone again', async () => ((await clusterOf(hub)).members === 2 ? true : 'not yet'), 60_000);
  }, 150_000);

  it('with one member stopped, notifications still arrive', async () => {
    await hub.process!.stop();
    const since = Date.now();
    // Prometheus sends to both; the stopped one refuses the connection, the other takes it.
    await expect(postAlerts(hub, ['PairAlone'])).rejects.toThrow();
    await postAlerts(peer, ['PairAlone']);
    await pollUntil('the notification of PairAlone from the remaining member', async () => webhook.firingSince(since).includes('PairAlone') || 'not yet', 60_000);
    figures.notificationWithOneStoppedMs = Date.now() - since;
  }, 90_000);
});
