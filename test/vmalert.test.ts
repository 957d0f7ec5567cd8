/**
 * vmalert on the hub, as the fleet file sets it up (synth level): on by default with the embedded
 * store, its command line (reader, writer, Alertmanager, passwords as files), the store's scrape of
 * the hub, the heartbeat route and receiver, the Fleet dashboard's row; off with an external store.
 * The rules themselves are unit-tested with vmalert-tool (test/real/hub-rules.test.ts) and run with
 * the real binaries in test/real/vmalert.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFleet } from '../src/config';
import { buildFleetApp } from '../src/fleet/fleet';
import { HUB_SCRAPE_JOBS } from '../src/hub/hub-health-rules';
import { FLEET_RECORDS } from '../src/hub/fleet-rules';
import { VMALERT_PATHS } from '../src/hub/vmalert';
import { FLEET_STORE_PATHS } from '../src/hub/fleet-store';
import { ALERTMANAGER_PATHS } from '../src/hub/alertmanager';
import { HEARTBEAT_RECEIVER } from '../src/render/heartbeat-route';
import { DEFAULT_IMAGES } from '../src/core/images';
import { containerNamed, resourcesOf, synthStack, testApp, uploadedFile } from './support/synth';
import { VALID_FLEET } from './config/helpers';
import { onlyProblem } from './config/helpers';

const ALERTING = `alerting:
  receivers:
    - { name: chat, type: slack, channel: "#ops", secretVariable: alerting_slack_url }
  heartbeat: { secretVariable: alerting_heartbeat_url, intervalSeconds: 120 }
vmalert: { budget: { powerWatts: 1500 } }
`;

describe('vmalert on the hub, from the fleet file', () => {
  const fleet = buildFleetApp(testApp(), parseFleet(`${VALID_FLEET}${ALERTING}`, 'fleet.yaml'));
  const hub = synthStack(fleet.hub!);

  it('runs beside the store, pinned from the store\'s release, on the hub network, nothing published', () => {
    const vmalert = containerNamed(hub, 'peekstack-vmalert');
    expect(DEFAULT_IMAGES.vmalert.split(':')[1]).toBe(DEFAULT_IMAGES.victoriaMetrics.split(':')[1]);
    expect(resourcesOf(hub, 'docker_image').map((image) => image.name)).toContain(DEFAULT_IMAGES.vmalert);
    expect(vmalert.networks_advanced).toEqual([{ name: '${docker_network.network.name}', aliases: ['peekstack-vmalert'] }]);
    expect(resourcesOf(hub, 'docker_network').map((network) => network.name)).toEqual(['peekstack-hub']);
    expect(vmalert.ports ?? []).toEqual([]);
  });

  it('reads as the reader and writes as the writer through vmauth, sends to Alertmanager over verified TLS, every password a file', () => {
    const command = containerNamed(hub, 'peekstack-vmalert').command as string[];
    expect(command).toContain('-datasource.url=https://peekstack-vmauth:8427');
    expect(command).toContain('-remoteWrite.url=https://peekstack-vmauth:8427');
    expect(command).toContain('-datasource.basicAuth.username=peekstack-reader');
    expect(command).toContain('-remoteWrite.basicAuth.username=peekstack-writer');
    expect(command).toContain('-notifier.url=https://peekstack-alertmanager:9093');
    expect(command).toContain(`-notifier.tlsCAFile=${VMALERT_PATHS.caCertificate}`);
    expect(command.join(' ')).not.toMatch(/\$\{|password=/);
    const vmalert = containerNamed(hub, 'peekstack-vmalert');
    expect(uploadedFile(vmalert, VMALERT_PATHS.password('reader'))).toMatch(/^\$\{random_password\..*reader-credentials.*\.result\}$/);
    expect(uploadedFile(vmalert, VMALERT_PATHS.password('writer'))).toMatch(/^\$\{random_password\..*writer-credentials.*\.result\}$/);
    // vmauth and Alertmanager are verified by their container names: their certificates hold them.
    const names = resourcesOf(hub, 'tls_cert_request').flatMap((request) => request.dns_names as string[]);
    expect(names).toContain('peekstack-vmauth');
    expect(names).toContain('peekstack-alertmanager');
  });

  it('loads the fleet rules (every host of the file, the budget, the Watchdog) and the hub health rules', () => {
    const vmalert = containerNamed(hub, 'peekstack-vmalert');
    const fleetRules = parse(uploadedFile(vmalert, VMALERT_PATHS.rules('peekstack-fleet'))) as { groups: { rules: { record?: string; alert?: string; expr: string }[] }[] };
    const rules = fleetRules.groups[0].rules;
    expect(rules.filter((rule) => rule.record).map((rule) => rule.record)).toEqual(Object.values(FLEET_RECORDS));
    const silent = rules.find((rule) => rule.alert === 'PeekStackHostSilentInStore')!;
    for (const host of ['web-1', 'db-1', 'ops']) expect(silent.expr).toContain(`"${host}"`);
    expect(rules.find((rule) => rule.alert === 'PeekStackFleetPowerOverBudget')!.expr).toContain('> 1500');
    expect(rules.some((rule) => rule.alert === 'PeekStackFleetDailyEnergyOverBudget')).toBe(false); // no energy budget set
    expect(uploadedFile(vmalert, VMALERT_PATHS.rules('peekstack-watchdog'))).toContain('alert: "Watchdog"');
    expect(uploadedFile(vmalert, VMALERT_PATHS.rules('peekstack-hub-health'))).toContain('PeekStackStoreDiskFilling');
  });

  it('the store scrapes the hub\'s four services, Alertmanager with its password from a file', () => {
    const store = containerNamed(hub, 'peekstack-victoria-metrics');
    expect(store.command).toContain(`-promscrape.config=${FLEET_STORE_PATHS.scrapeConfig}`);
    const config = parse(uploadedFile(store, FLEET_STORE_PATHS.scrapeConfig)) as { scrape_configs: { job_name: string; basic_auth?: { password_file: string }; static_configs: { labels: { host: string } }[] }[] };
    expect(config.scrape_configs.map((job) => job.job_name).sort()).toEqual(Object.values(HUB_SCRAPE_JOBS).sort());
    expect(config.scrape_configs.every((job) => job.static_configs[0].labels.host === 'ops')).toBe(true);
    const am = config.scrape_configs.find((job) => job.job_name === HUB_SCRAPE_JOBS.alertmanager)!;
    expect(uploadedFile(store, am.basic_auth!.password_file)).toMatch(/^\$\{random_password\..*alertmanager-credentials.*\.result\}$/);
    expect(containerNamed(hub, 'peekstack-vmauth').command).toContain('-httpInternalListenAddr=:8426');
  });

  it('Alertmanager routes the Watchdog first to the heartbeat, its URL a file from a sensitive variable', () => {
    const am = containerNamed(hub, 'peekstack-alertmanager');
    const config = parse(uploadedFile(am, ALERTMANAGER_PATHS.config)) as { route: { routes: { matchers: string[]; receiver: string; repeat_interval: string; group_interval: string }[] }; receivers: { name: string; webhook_configs?: { url_file: string }[] }[] };
    expect(config.route.routes[0]).toMatchObject({ matchers: ['alertname="Watchdog"'], receiver: HEARTBEAT_RECEIVER, repeat_interval: '120s', group_interval: '12s' });
    const receiver = config.receivers.find((each) => each.name === HEARTBEAT_RECEIVER)!;
    expect(uploadedFile(am, receiver.webhook_configs![0].url_file)).toBe('${var.alerting_heartbeat_url}');
    expect(hub.variable!.alerting_heartbeat_url).toMatchObject({ sensitive: true, type: 'string' });
  });

  it('the Fleet dashboard shows what vmalert records', () => {
    const grafana = containerNamed(synthStack(fleet.interface), 'peekstack-grafana');
    const fleetDashboard = (grafana.upload as { file: string }[]).find((upload) => upload.file.endsWith('peekstack-fleet.json'))!;
    const text = uploadedFile(grafana, fleetDashboard.file);
    for (const record of Object.values(FLEET_RECORDS)) expect(text).toContain(record);
  });

  it('is off with an external store (no hub at all without alerting) and with `vmalert: { enabled: false }`', () => {
    const external = buildFleetApp(testApp(), parseFleet(`${VALID_FLEET}store: { kind: mimir, url: "https://mimir.example.net", auth: none }\n`, 'fleet.yaml'));
    expect(external.hub).toBeUndefined();
    const off = buildFleetApp(testApp(), parseFleet(`${VALID_FLEET}vmalert: { enabled: false }\n`, 'fleet.yaml'));
    expect(resourcesOf(synthStack(off.hub!), 'docker_container').map((container) => container.name).sort()).toEqual(['peekstack-victoria-metrics', 'peekstack-vmauth']);
  });

  it('refuses a heartbeat with vmalert off, and a budget with vmalert off', () => {
    const heartbeat = onlyProblem(`${VALID_FLEET}alerting:\n  receivers: [{ name: chat, type: slack, secretVariable: s }]\n  heartbeat: { secretVariable: h }\nvmalert: { enabled: false }\n`);
    expect(heartbeat.path).toBe('alerting.heartbeat');
    const budget = onlyProblem(`${VALID_FLEET}store: { enabled: false }\nvmalert: { budget: { dailyEnergyKwh: 3 } }\n`);
    expect(budget.path).toBe('vmalert.budget');
  });
});
