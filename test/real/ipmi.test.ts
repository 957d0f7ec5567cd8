/**
 * The IPMI add-on with the real ipmi_exporter (Debian's 1.10.1) and a FreeIPMI stand-in
 * (ipmi-stand-in.ts) on its tools path: the exporter's config file and command as synthesized, the
 * collector's real Prometheus with the synthesized platform rules. Remote mode end to end: the BMC
 * address, user and password reach `ipmi-dcmi` from the deployed config file; the platform power
 * record within ±2 % and the platform energy records within ±1 % of what the stand-in reported,
 * with a power step inside the window. In-band mode: the deployed file and the container's device
 * and user, the exporter's `/metrics`, and a BMC without power readings.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerraformVariable } from 'cdktf';
import { Collector } from '../../src/collector/collector';
import { IPMI_EXPORTER_PATHS, IPMI_EXPORTER_PORT } from '../../src/components/ipmi/definition';
import { ipmiComponent } from '../../src/components/ipmi/ipmi-exporter';
import { IPMI_JOB, IPMI_METRICS } from '../../src/components/ipmi/metrics';
import { PLATFORM_RECORDS } from '../../src/components/platform-power/definition';
import { expositionType } from '../../src/core/metric-catalog';
import { materializeUploads } from '../support/deployed-files';
import { containerNamed, synthConstructs } from '../support/synth';
import { makeTestSecrets } from '../support/test-secrets';
import { sandboxed } from './container-sandbox';
import { type Harness, listenOnLoopback, startHarness } from './harness';
import { canListen } from './loopback';
import { type ManagedProcess, startProcess, waitForHttp } from './processes';
import { seriesOf } from './prometheus-api';
import { type IpmiStandIn, startIpmiStandIn } from './ipmi-stand-in';
import { toolPath } from './tools';
import type { UntypedJson } from '../support/untyped-json';

const CONTAINER = 'peekstack-ipmi-exporter';
const BMC = 'bmc-1.example.net';
const BMC_USER = 'peekstack';
// The characters a YAML or FreeIPMI config would trip on, and a leading space.
const BMC_PASSWORD = ' Bmc#Pw: "q" \'7\'';
const PASSWORD_VARIABLE = 'real_host_bmc_password';

/** A 127.x.y.z address whose exporter port is free (another block than the harness's, picked the same way). */
async function exporterAddress(): Promise<string> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const address = `127.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 256)}.9`;
    if (await canListen(address, IPMI_EXPORTER_PORT)) return address;
  }
  throw new Error(`no free loopback address for port ${IPMI_EXPORTER_PORT}`);
}

/** Starts the real exporter on `address` with the deployed files under `root` and the stand-in's tools path. */
async function startExporter(container: Record<string, UntypedJson>, root: string, address: string, standIn: IpmiStandIn): Promise<ManagedProcess> {
  const args = [...listenOnLoopback(container.command as string[], address), `--freeipmi.path=${standIn.toolsDir}`];
  const proc = startProcess(
    ...sandboxed(container, ['-b', `${path.join(root, path.dirname(IPMI_EXPORTER_PATHS.config))}:${path.dirname(IPMI_EXPORTER_PATHS.config)}`], toolPath('ipmi_exporter'), args),
    { name: 'ipmi_exporter' },
  );
  await (await waitForHttp(`http://${address}:${IPMI_EXPORTER_PORT}/metrics`, { process: proc, timeoutMs: 30_000 })).body?.cancel();
  return proc;
}

/** `# TYPE` lines of an exposition, by metric name. */
function declaredTypes(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('IPMI remote: the real exporter, the stand-in BMC and Prometheus with the synthesized rules', () => {
  const FIRST_WATTS = 150;
  const SECOND_WATTS = 210;
  let harness: Harness;
  let standIn: IpmiStandIn;
  let exporter: ManagedProcess | undefined;
  let address: string;
  let stepAtMs = 0;

  beforeAll(async () => {
    standIn = startIpmiStandIn(FIRST_WATTS);
    address = await exporterAddress();
    harness = await startHarness({
      configure: (collector: Collector, scope) => {
        const password = new TerraformVariable(scope, PASSWORD_VARIABLE, { type: 'string', sensitive: true });
        // The public path every built-in component takes.
        collector.add(ipmiComponent({ mode: 'remote', address: BMC, user: BMC_USER, password: password.stringValue })!);
      },
      extraContainers: [CONTAINER],
      extraHosts: { [CONTAINER]: address },
      variables: { [PASSWORD_VARIABLE]: BMC_PASSWORD },
    });
    const { container, root } = harness.extraContainers[CONTAINER]!;
    exporter = await startExporter(container, root, address, standIn);
    await harness.waitForTargetsUp([IPMI_JOB, 'prometheus'], 60_000);
  }, 120_000);

  afterAll(async () => {
    await exporter?.stop();
    await harness?.stop();
    standIn?.stop();
  });

  it('the deployed config file holds the password only as Terraform fills it in, and the stand-in receives the BMC, user and password from it', async () => {
    const { container, root } = harness.extraContainers[CONTAINER]!;
    // As synthesized: a reference to the sensitive variable, never the value.
    expect(JSON.stringify(container)).not.toContain(BMC_PASSWORD);
    expect(JSON.stringify(container)).toContain(`\${var.${PASSWORD_VARIABLE}}`);
    expect(readFileSync(path.join(root, IPMI_EXPORTER_PATHS.config), 'utf8')).toContain(BMC_PASSWORD);
    const calls = standIn.calls();
    expect(calls.length).toBeGreaterThan(0);
    const last = calls[calls.length - 1]!;
    expect(last.args).toContain('--get-system-power-statistics');
    expect(last.args.slice(last.args.indexOf('-h'), last.args.indexOf('-h') + 2)).toEqual(['-h', BMC]);
    const config = last.config.split('\n');
    expect(config).toContain('driver-type LAN_2_0');
    expect(config).toContain('privilege-level user');
    expect(config).toContain(`username ${BMC_USER}`);
    // The exporter escapes "#" for FreeIPMI's config syntax; every other character as written, leading space included.
    expect(config).toContain(`password ${BMC_PASSWORD.replace(/#/g, '\\#')}`);
  });

  it('the exporter exposes what the catalog says, with its declared types', async () => {
    const res = await fetch(`http://${address}:${IPMI_EXPORTER_PORT}/ipmi?module=remote&target=${BMC}`);
    const types = declaredTypes(await res.text());
    for (const metric of IPMI_METRICS) expect(types.get(metric.name), metric.name).toBe(expositionType(metric));
  });

  it('platform power within ±2 % and platform energy within ±1 % of the stand-in, across a power step', async () => {
    const e = harness.scrapeIntervalSeconds; // the evaluation interval of the harness's Prometheus
    const power = `${PLATFORM_RECORDS.power}{source="ipmi", host="${harness.hostName}"}`;
    await harness.waitForQuery(power, (outcome) => seriesOf(outcome).length === 1, 30_000);
    await new Promise((r) => setTimeout(r, 60_000));
    const beforeStep = Date.now() / 1000 - 5;
    stepAtMs = Date.now();
    standIn.setWatts(SECOND_WATTS);
    await new Promise((r) => setTimeout(r, 60_000));

    const measuredBefore = Number(seriesOf(await harness.query(power, { time: beforeStep }))[0]!.value![1]);
    const measuredAfter = Number(seriesOf(await harness.query(power))[0]!.value![1]);
    const powerErrors = [measuredBefore / FIRST_WATTS - 1, measuredAfter / SECOND_WATTS - 1];
    for (const error of powerErrors) expect(Math.abs(error)).toBeLessThanOrEqual(0.02);

    // Every energy record with its timestamp: each stands for the evaluation interval before it.
    const at = Date.now() / 1000;
    const selector = `{source="ipmi", host="${harness.hostName}"}[10m]`;
    const records = seriesOf(await harness.query(`${PLATFORM_RECORDS.energyKwh}${selector}`, { time: at }))[0]!.values!;
    const seconds = seriesOf(await harness.query(`${PLATFORM_RECORDS.measuredSeconds}${selector}`, { time: at }))[0]!.values!;
    const first = records[0]![0];
    const last = records[records.length - 1]![0];
    expect(first * 1000).toBeLessThan(stepAtMs);
    const recordedJoules = records.reduce((sum, [, kwh]) => sum + Number(kwh) * 3.6e6, 0);
    const simulatedJoules = standIn.energyJoules((first - e) * 1000, last * 1000);
    const energyError = recordedJoules / simulatedJoules - 1;
    // The records resolve time to one evaluation interval: the one holding the step reads the power
    // of its sample, before or after the step, so the bound is the step × one interval.
    const stepBound = ((SECOND_WATTS - FIRST_WATTS) * e) / simulatedJoules;
    // Coverage: the records tile the time since the first, nothing missing, nothing counted twice.
    const measuredSeconds = seconds.reduce((sum, [, s]) => sum + Number(s), 0);
    console.log(
      `IPMI platform power: ${measuredBefore} W for ${FIRST_WATTS} W, ${measuredAfter} W for ${SECOND_WATTS} W (errors ${powerErrors.map((x) => `${(x * 100).toFixed(2)} %`).join(', ')}); ` +
        `energy over ${(last - first + e).toFixed(0)} s with the step inside: ${recordedJoules.toFixed(1)} J recorded, ${simulatedJoules.toFixed(1)} J simulated (${(energyError * 100).toFixed(3)} %, one interval at the step: ±${(stepBound * 100).toFixed(2)} %); measured ${measuredSeconds} s in ${records.length} records`,
    );
    expect(Math.abs(energyError)).toBeLessThanOrEqual(0.01);
    expect(measuredSeconds).toBe(records.length * e);
    expect(measuredSeconds).toBeCloseTo(last - first + e, 0);
  }, 180_000);
});

describe('IPMI in-band: the deployed container and file, the real exporter with the stand-in', () => {
  let standIn: IpmiStandIn;
  let exporter: ManagedProcess | undefined;
  let root: string;
  let container: Record<string, UntypedJson>;
  let address: string;

  beforeAll(async () => {
    const synth = synthConstructs((scope) => {
      new Collector(scope, 'collector', { hostName: 'in-band-host', addresses: ['192.0.2.11'], ipmi: { mode: 'in-band' } });
    });
    container = containerNamed(synth, CONTAINER);
    root = materializeUploads(container as never, makeTestSecrets());
    standIn = startIpmiStandIn(97);
    address = await exporterAddress();
    exporter = await startExporter(container, root, address, standIn);
  }, 60_000);

  afterAll(async () => {
    await exporter?.stop();
    standIn?.stop();
    if (root) (await import('node:fs')).rmSync(root, { recursive: true, force: true });
  });

  it('maps /dev/ipmi0 and runs as uid 0 with every capability dropped, no-new-privileges on', () => {
    expect(container.devices).toEqual([{ host_path: '/dev/ipmi0', container_path: '/dev/ipmi0', permissions: 'rw' }]);
    expect(container.user).toBe('0');
    expect(container.capabilities).toEqual({ drop: ['ALL'] });
    expect(container.privileged ?? false).toBe(false);
    expect(container.security_opts).toContain('no-new-privileges:true');
  });

  it('/metrics reads the local BMC through OpenIPMI: the power the stand-in reports, no -h, no login', async () => {
    const text = await (await fetch(`http://${address}:${IPMI_EXPORTER_PORT}/metrics`)).text();
    expect(text).toMatch(/^ipmi_dcmi_power_consumption_watts 97$/m);
    expect(text).toMatch(/^ipmi_up\{collector="dcmi"\} 1$/m);
    const last = standIn.calls().at(-1)!;
    expect(last.args).not.toContain('-h');
    expect(last.config.split('\n')).toEqual(['driver-type OPENIPMI']);
  });

  it('a BMC without power readings: no power series (nothing measured rather than 0 W), the collector still up', async () => {
    standIn.setWatts(undefined);
    const text = await (await fetch(`http://${address}:${IPMI_EXPORTER_PORT}/metrics`)).text();
    expect(text).not.toMatch(/^ipmi_dcmi_power_consumption_watts /m);
    expect(text).toMatch(/^ipmi_up\{collector="dcmi"\} 1$/m);
  });
});
