/**
 * The IPMI add-on as synthesized: from the fleet file to the collector stack (the BMC password a
 * sensitive variable of the stack, only referenced in the exporter's config file), the scrape job
 * and platform records, the dashboard through the catalog check, and the construct's refusals.
 * The exporter itself runs in test/real/ipmi.test.ts.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { parseFleet } from '../src/config';
import { buildFleetApp } from '../src/fleet/fleet';
import { Collector } from '../src/collector/collector';
import { IPMI_DASHBOARD_UID, IPMI_EXPORTER_PATHS } from '../src/components/ipmi/definition';
import { IpmiExporter } from '../src/components/ipmi/ipmi-exporter';
import { PLATFORM_RECORDS } from '../src/components/platform-power/definition';
import { PROMETHEUS_PATHS } from '../src/components/prometheus/prometheus';
import { PeekStackValidationError } from '../src/core/errors';
import { containerNamed, synthConstructs, synthStack, testApp, uploadedFile } from './support/synth';
import { VALID_FLEET } from './config/helpers';
import type { UntypedJson } from './support/untyped-json';

const TEST_PASSWORD = 'Ipmi-Test-Pw-4711';
const FLEET = VALID_FLEET.replace('    addresses: [web-1.example.net, 192.0.2.11]\n', '    addresses: [web-1.example.net, 192.0.2.11]\n    ipmi: { mode: in-band }\n').replace(
  '    ports:\n      nodeExporter: 9101\n',
  '    ports:\n      nodeExporter: 9101\n    ipmi: { mode: remote, address: bmc-db-1.example.net, userVariable: db_1_bmc_user, passwordVariable: db_1_bmc_password }\n',
);

describe('IPMI from the fleet file', () => {
  // Set as an operator would: Terraform reads it at plan time; synthesis must never see it.
  process.env.TF_VAR_db_1_bmc_password = TEST_PASSWORD;
  const stacks = buildFleetApp(testApp(), parseFleet(FLEET, 'fleet.yaml'));
  const [web, db, ops] = stacks.collectors.map((stack) => synthStack(stack));
  delete process.env.TF_VAR_db_1_bmc_password;

  it('the password is a sensitive variable of the host\'s stack, referenced only in the exporter\'s config file and its one-line precondition; cdk.tf.json never holds it', () => {
    expect(db.variable).toMatchObject({
      db_1_bmc_password: { type: 'string', sensitive: true, nullable: false },
      db_1_bmc_user: { type: 'string', sensitive: true, nullable: false },
    });
    expect(JSON.stringify(db)).not.toContain(TEST_PASSWORD);
    const config = uploadedFile(containerNamed(db, 'peekstack-ipmi-exporter'), IPMI_EXPORTER_PATHS.config);
    expect(config).toContain('${var.db_1_bmc_password}');
    expect(config).toContain('${var.db_1_bmc_user}');
    // The only other reference is the container's precondition (no line break), which reads it at plan.
    const container = containerNamed(db, 'peekstack-ipmi-exporter') as { lifecycle: { precondition: { condition: string }[] } };
    expect(container.lifecycle.precondition.map((check) => check.condition).filter((condition) => condition.includes('var.db_1_bmc_password'))).toHaveLength(1);
    expect(JSON.stringify(db).split('var.db_1_bmc_password').length - 1).toBe(2);
  });

  it('remote: a job reading the BMC through the exporter\'s /ipmi endpoint; in-band: /metrics; no exporter on hosts without ipmi', () => {
    const jobOf = (synth: typeof db) =>
      parse(uploadedFile(containerNamed(synth, 'peekstack-prometheus'), PROMETHEUS_PATHS.config)).scrape_configs.find((job: { job_name: string }) => job.job_name === 'ipmi');
    expect(jobOf(db)).toMatchObject({ metrics_path: '/ipmi', params: { module: ['remote'], target: ['bmc-db-1.example.net'] }, scheme: 'http', static_configs: [{ targets: ['peekstack-ipmi-exporter:9290'] }] });
    expect(jobOf(web)).toMatchObject({ metrics_path: '/metrics', static_configs: [{ targets: ['peekstack-ipmi-exporter:9290'] }] });
    expect(jobOf(web).params).toBeUndefined();
    expect(jobOf(ops)).toBeUndefined();
    expect(Object.values(ops.resource.docker_container).map((c: UntypedJson) => c.name)).not.toContain('peekstack-ipmi-exporter');
    expect(containerNamed(db, 'peekstack-ipmi-exporter').devices).toBeUndefined();
    expect(containerNamed(web, 'peekstack-ipmi-exporter').devices).toEqual([{ host_path: '/dev/ipmi0', container_path: '/dev/ipmi0', permissions: 'rw' }]);
  });

  it('records platform power, energy and its coverage with source="ipmi"', () => {
    const rules = parse(uploadedFile(containerNamed(db, 'peekstack-prometheus'), PROMETHEUS_PATHS.rules('ipmi-exporter.rules.yml')));
    expect(rules.groups).toHaveLength(1);
    expect(rules.groups[0].interval).toBe('15s');
    expect(rules.groups[0].rules.map((rule: { record: string; labels: unknown }) => [rule.record, rule.labels])).toEqual([
      [PLATFORM_RECORDS.power, { source: 'ipmi' }],
      [PLATFORM_RECORDS.energyKwh, { source: 'ipmi' }],
      [PLATFORM_RECORDS.measuredSeconds, { source: 'ipmi' }],
    ]);
  });

  it('the interface provisions the platform power dashboard, its queries through the catalog check', () => {
    const ui = synthStack(stacks.interface);
    const grafana = containerNamed(ui, 'peekstack-grafana');
    const dashboard = JSON.parse(uploadedFile(grafana, `/etc/grafana/dashboards/peekstack/${IPMI_DASHBOARD_UID}.json`));
    expect(dashboard.title).toBe('PeekStack / Platform power (IPMI)');
    expect(stacks.interface.node.validate()).toEqual([]);
  });
});

describe('IpmiExporter refuses', () => {
  const build = (props: ConstructorParameters<typeof IpmiExporter>[2]) => () => {
    const stack = new TerraformStack(Testing.app(), 'ipmi');
    new IpmiExporter(stack, 'ipmi', props);
  };

  it('a literal password, without showing it', () => {
    let error: unknown;
    try {
      build({ mode: 'remote', address: 'bmc.example', password: TEST_PASSWORD })();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PeekStackValidationError);
    expect((error as Error).message).toContain('IpmiExporter.password');
    expect((error as Error).message).not.toContain(TEST_PASSWORD);
  });

  it('remote without an address or password, an address that is not a host, in-band with a login', () => {
    expect(build({ mode: 'remote', password: '${var.x}' })).toThrow(/IpmiExporter.address/);
    expect(build({ mode: 'remote', address: 'bmc.example' })).toThrow(/IpmiExporter.password/);
    expect(build({ mode: 'remote', address: 'https://bmc.example', password: '${var.x}' })).toThrow(/IpmiExporter.address.*scheme/);
    expect(build({ mode: 'in-band', address: 'bmc.example' })).toThrow(/IpmiExporter.address/);
  });

  it('accepts a password from a sensitive variable, the user literal or a token', () => {
    const synth = synthConstructs((scope) => {
      const password = new TerraformVariable(scope, 'bmc_password', { type: 'string', sensitive: true });
      new Collector(scope, 'collector', { hostName: 'h', addresses: ['h.example'], ipmi: { mode: 'remote', address: '10.1.2.3', user: 'monitor', password: password.stringValue } });
    });
    const config = uploadedFile(containerNamed(synth, 'peekstack-ipmi-exporter'), IPMI_EXPORTER_PATHS.config);
    expect(parse(config.replace('${var.bmc_password}', 'p: #1'))).toEqual({
      modules: { remote: { driver: 'LAN_2_0', privilege: 'user', user: 'monitor', pass: 'p: #1', collectors: ['dcmi'] } },
    });
  });

  it('refuses a password or user token with a line break at plan: a precondition on the container that names no value', () => {
    const synth = synthConstructs((scope) => {
      const user = new TerraformVariable(scope, 'bmc_user', { type: 'string', sensitive: true });
      const password = new TerraformVariable(scope, 'bmc_password', { type: 'string', sensitive: true });
      new Collector(scope, 'collector', { hostName: 'h', addresses: ['h.example'], ipmi: { mode: 'remote', address: '10.1.2.3', user: user.stringValue, password: password.stringValue } });
    });
    const preconditions = (containerNamed(synth, 'peekstack-ipmi-exporter') as { lifecycle?: { precondition?: { condition: string; error_message: string }[] } }).lifecycle?.precondition;
    // Checked by hand with Terraform 1.11.4 (`terraform plan` on this condition in a terraform_data
    // resource): "s3cr3t\nline2" and "s3cr3t\rx" fail with the message alone, "p: #1 \"q\" \\ok" plans.
    expect(preconditions).toEqual(
      ['bmc_user', 'bmc_password'].map((name) => ({
        condition: `\${(length(regexall("[\\r\\n]", var.${name})) < 1)}`,
        error_message: 'The BMC user name and password of peekstack-ipmi-exporter must each be on one line (no line break).',
      })),
    );
    // A literal user is checked at synth (BMC_USER); the in-band mode has no login to check.
    const literalUser = synthConstructs((scope) => {
      const password = new TerraformVariable(scope, 'bmc_password', { type: 'string', sensitive: true });
      new Collector(scope, 'collector', { hostName: 'h', addresses: ['h.example'], ipmi: { mode: 'remote', address: '10.1.2.3', user: 'monitor', password: password.stringValue } });
    });
    expect((containerNamed(literalUser, 'peekstack-ipmi-exporter') as { lifecycle?: { precondition?: unknown[] } }).lifecycle?.precondition).toHaveLength(1);
  });
});
