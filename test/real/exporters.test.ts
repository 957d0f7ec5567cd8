/**
 * Real node_exporter and Scaphandre (Debian builds from .tools/bin) reading a simulated RAPL tree:
 * the power they report must match the simulated wattage within 10 %.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sampleValue,
  scrape,
  startNodeExporter,
  startScaphandre,
  stopAll,
  type RunningExporter,
} from './processes';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startRaplSimulation, type RaplSimulation } from './rapl-simulator';

const PACKAGE_WATTS = 50;
const CORE_WATTS = 30;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Assert `actual` is within `fraction` of `expected`, with a readable message. */
function expectWithin(actual: number | undefined, expected: number, fraction: number, what: string): void {
  expect(actual, `${what} missing`).toBeDefined();
  const rel = Math.abs((actual as number) - expected) / expected;
  expect(rel, `${what}: got ${actual}, expected ${expected} ± ${fraction * 100} %`).toBeLessThanOrEqual(fraction);
}

describe('RAPL simulator', () => {
  it('wraps energy_uj at max_energy_range_uj like a real counter', async () => {
    const max = 10_000_000; // 10 J: at 50 W it wraps every 200 ms
    const s = await startRaplSimulation({ packageWatts: 50, coreWatts: 30, maxEnergyRangeUj: max, initialEnergyUj: max - 1 });
    try {
      const read = () => Number(readFileSync(path.join(s.powercapDir, 'intel-rapl:0', 'energy_uj'), 'utf8'));
      const seen: number[] = [];
      for (let i = 0; i < 10; i++) {
        await sleep(50);
        seen.push(read());
      }
      expect(seen.every((v) => Number.isInteger(v) && v >= 0 && v < max), seen.join()).toBe(true);
      // ~2.5 J per 50 ms step: the counter must have dropped back (wrapped) at least once.
      expect(seen.some((v, i) => i > 0 && v < seen[i - 1]!), seen.join()).toBe(true);
      expect(Number(readFileSync(path.join(s.powercapDir, 'intel-rapl:0:0', 'max_energy_range_uj'), 'utf8'))).toBe(max);
      expect(readFileSync(s.modulesFile, 'utf8')).toContain('intel_rapl_common');
    } finally {
      await s.stop();
    }
  });
});

describe('real exporters on a simulated RAPL tree', () => {
  let sim: RaplSimulation;

  beforeAll(async () => {
    sim = await startRaplSimulation({ packageWatts: PACKAGE_WATTS, coreWatts: CORE_WATTS });
  });

  afterAll(async () => {
    await stopAll();
    await sim?.stop();
  });

  describe('node_exporter --collector.rapl', () => {
    let ne: RunningExporter;
    beforeAll(async () => {
      ne = await startNodeExporter({ sysfsDir: sim.sysfsDir });
    });

    it('reports package and core joule counters rising at the simulated wattage', async () => {
      const a = await scrape(ne.metricsUrl);
      await sleep(3000);
      const b = await scrape(ne.metricsUrl);
      const seconds = (b.at - a.at) / 1000;
      const rate = (name: string) => {
        const va = sampleValue(a.samples, name, { index: '0' });
        const vb = sampleValue(b.samples, name, { index: '0' });
        expect(va, `${name} in first scrape`).toBeDefined();
        expect(vb, `${name} in second scrape`).toBeDefined();
        return ((vb as number) - (va as number)) / seconds;
      };
      expect(sampleValue(b.samples, 'node_scrape_collector_success', { collector: 'rapl' })).toBe(1);
      expectWithin(rate('node_rapl_package_joules_total'), PACKAGE_WATTS, 0.1, 'package W');
      expectWithin(rate('node_rapl_core_joules_total'), CORE_WATTS, 0.1, 'core W');
    });
  });

  describe('scaphandre prometheus (in a mount namespace)', () => {
    let sc: RunningExporter;
    beforeAll(async () => {
      sc = await startScaphandre({ raplSim: sim });
    });

    it('reports host, socket and core power at the simulated wattage', async () => {
      // Scaphandre computes power from its last two reads and refreshes only when > 2 s passed
      // since the previous request: scrape a few times, 2.5 s apart, and judge the last one.
      let last = await scrape(sc.metricsUrl);
      for (let i = 0; i < 3; i++) {
        await sleep(2500);
        last = await scrape(sc.metricsUrl);
      }
      const watts = (name: string, labels: Record<string, string> = {}) => {
        const v = sampleValue(last.samples, name, labels);
        return v === undefined ? undefined : v / 1e6;
      };
      expectWithin(watts('scaph_host_power_microwatts'), PACKAGE_WATTS, 0.1, 'scaph_host_power_microwatts (W)');
      expectWithin(watts('scaph_socket_power_microwatts', { socket_id: '0' }), PACKAGE_WATTS, 0.1, 'socket 0 W');
      expectWithin(
        watts('scaph_domain_power_microwatts', { domain_name: 'core', socket_id: '0' }),
        CORE_WATTS,
        0.1,
        'core domain W',
      );
    });
  });
});
