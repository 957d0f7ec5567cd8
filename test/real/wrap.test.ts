/**
 * A two-socket host whose socket-1 package counter wraps (at its max_energy_range_uj) inside the
 * window: the energy the power dashboard and `peekstack energy` report must stay within 1 % of the
 * simulated energy. The naive readings are measured too (printed, and the host energy counter's
 * shown wrong), which is why the panels don't use them: Scaphandre's host energy counter is the sum
 * of the sockets' counters, so a wrap looks like a counter reset to increase().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards, POWER_DASHBOARD_UID } from '../../src/components/dashboards';
import { builtinValuesFor } from '../../src/dashboards/dashboard-queries';
import { panelExpr } from './dashboard-check';
import { energy, energyConnectionArgs } from './energy-cli';
import { type Harness, startHarness } from './harness';
import { expectWithin, measured } from './measure';
import { scalarValue } from './prometheus-api';

const WINDOW_SECONDS = 60;
/** Socket 1's package counter wraps this long after the simulation starts. */
const WRAP_AFTER_SECONDS = 45;

describe('two sockets, one counter wrap inside the window', () => {
  let harness: Harness;
  let work: string;

  beforeAll(async () => {
    harness = await startHarness({
      raplSockets: [
        { package: { watts: 50 }, core: { watts: 30 } },
        // A real max_energy_range_uj; the counter starts 45 s of 30 W below it.
        { package: { watts: 30, wrapAfterSeconds: WRAP_AFTER_SECONDS }, core: { watts: 20 } },
      ],
    });
    work = mkdtempSync(path.join(tmpdir(), 'peekstack-wrap-'));
    await harness.waitForTargetsUp();
  });
  afterAll(async () => {
    await harness?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(`host and CPU package energy over ${WINDOW_SECONDS} s stay within 1 % through the wrap (dashboard panels and peekstack energy)`, async () => {
    const wrapAt = harness.rapl.nextWrapAt('intel-rapl:1');
    // The window: ending 30 s after the wrap, so it holds the wrap in its middle; read once the
    // records of its end are stored (two evaluation intervals later).
    const end = wrapAt / 1000 + WINDOW_SECONDS / 2;
    await new Promise((r) => setTimeout(r, Math.max(0, (end + 2 * harness.scrapeIntervalSeconds + 1) * 1000 - Date.now())));
    expect(harness.rapl.zones().find((z) => z.id === 'intel-rapl:1')!.wraps).toBe(1);
    const truth = harness.rapl.energyJoules((end - WINDOW_SECONDS) * 1000, end * 1000);
    expect(truth).toBeCloseTo(80 * WINDOW_SECONDS, 6);

    // The wrap is inside the window, as Prometheus sees it.
    expect(await scalarValue(harness.endpoint, `resets(scaph_host_energy_microjoules[${WINDOW_SECONDS}s])`, end)).toBeGreaterThanOrEqual(1);
    expect(await scalarValue(harness.endpoint, `resets(node_rapl_package_joules_total{index="1"}[${WINDOW_SECONDS}s])`, end)).toBe(1);

    const values = { ...builtinValuesFor(harness.scaphandreScrapeIntervalSeconds, WINDOW_SECONDS), host: harness.hostName };
    const definitions = buildDashboards();
    const panelJoules = async (title: string) => (await scalarValue(harness.endpoint, panelExpr(definitions, POWER_DASHBOARD_UID, title, values), end)) * 3.6e6;
    const host = await panelJoules('Host energy over the range');
    const cpu = await panelJoules('CPU package energy over the range');
    measured('wrap, 2 sockets: "Host energy over the range" (J)', host, truth);
    measured('wrap, 2 sockets: "CPU package energy over the range" (J)', cpu, truth);

    // What the panels used to compute, for the record.
    const naiveHost = (await scalarValue(harness.endpoint, `increase(scaph_host_energy_microjoules[${WINDOW_SECONDS}s])`, end)) / 1e6;
    const naiveZones = await scalarValue(harness.endpoint, `sum(increase(node_rapl_package_joules_total[${WINDOW_SECONDS}s]))`, end);
    const naiveSockets = (await scalarValue(harness.endpoint, `sum(increase(scaph_socket_energy_microjoules[${WINDOW_SECONDS}s]))`, end)) / 1e6;
    measured('wrap, 2 sockets: increase(scaph_host_energy_microjoules) (J)', naiveHost, truth);
    measured('wrap, 2 sockets: sum(increase(node_rapl_package_joules_total)) (J)', naiveZones, truth);
    measured('wrap, 2 sockets: sum(increase(scaph_socket_energy_microjoules)) (J)', naiveSockets, truth);

    const cli = await energy([...energyConnectionArgs(harness, work), '--from', new Date(Math.round((end - WINDOW_SECONDS) * 1000)).toISOString(), '--to', new Date(Math.round(end * 1000)).toISOString(), '--format', 'json']);
    expect(cli.code, cli.stderr).toBe(0);
    const reported = (JSON.parse(cli.stdout) as { rows: { scope: string; joules: number }[] }).rows.find((r) => r.scope === 'host')!.joules;
    measured('wrap, 2 sockets: peekstack energy (J)', reported, truth);

    expectWithin(host, truth, 0.01, '"Host energy over the range" through the wrap (J)');
    expectWithin(cpu, truth, 0.01, '"CPU package energy over the range" through the wrap (J)');
    expectWithin(reported, truth, 0.01, 'peekstack energy through the wrap (J)');
    // The host energy counter is the sum of the sockets' counters: increase() takes the wrap for a
    // reset and counts socket 0's whole counter again.
    expect(Math.abs(naiveHost - truth) / truth).toBeGreaterThan(0.05);
  }, 150_000);
});
