/**
 * The `model` power source's settings (src/components/platform-power/model.ts) and the shipped CPU
 * table: lookups, the checks the fleet file and the construct share, and the curve the rules use.
 */
import { describe, expect, it } from 'vitest';
import { CPU_POWER_CURVES, curveWatts, lookupCpuPowerCurve } from '../../src/components/platform-power/cpu-power-table';
import { modelWatts, powerModelProblems, resolvePowerModel } from '../../src/components/platform-power/model';
import { PeekStackValidationError } from '../../src/core/errors';

describe('the shipped CPU power table', () => {
  it('finds a CPU model by its model range, the longest range first, case and spacing aside', () => {
    expect(lookupCpuPowerCurve('Intel Xeon Gold 6230')?.cpuModel).toBe('Intel Xeon Gold');
    expect(lookupCpuPowerCurve('intel  xeon platinum 8380')?.cpuModel).toBe('Intel Xeon Platinum');
    expect(lookupCpuPowerCurve('Intel Xeon E5-2680 v4')?.cpuModel).toBe('Intel Xeon E5');
    expect(lookupCpuPowerCurve('Intel Xeon Silver')?.cpuModel).toBe('Intel Xeon Silver');
  });

  it('finds nothing for a model it does not hold, nor for a name that only begins like a range', () => {
    expect(lookupCpuPowerCurve('AMD EPYC 7742')).toBeUndefined();
    expect(lookupCpuPowerCurve('Intel Xeon Goldmont')).toBeUndefined();
    expect(lookupCpuPowerCurve('Intel Xeon E3-1230')).toBeUndefined();
  });

  it('every row gives more power at full load than idle, rising with load', () => {
    for (const row of CPU_POWER_CURVES) {
      const points = [0, 10, 25, 50, 75, 100].map((w) => curveWatts(row, w));
      expect(points[0], row.cpuModel).toBeGreaterThan(0);
      for (let i = 1; i < points.length; i += 1) expect(points[i], row.cpuModel).toBeGreaterThan(points[i - 1]!);
    }
  });

  it('Boavizta\'s Xeon Gold curve: 29.89 W idle, 94.62 W at 50 %, 116.27 W at full load (per CPU)', () => {
    const gold = lookupCpuPowerCurve('Intel Xeon Gold')!;
    expect(curveWatts(gold, 0)).toBeCloseTo(29.89, 2);
    expect(curveWatts(gold, 50)).toBeCloseTo(94.62, 2);
    expect(curveWatts(gold, 100)).toBeCloseTo(116.27, 2);
  });
});

describe('the power model settings', () => {
  it('explicit watts: linear between them', () => {
    const model = resolvePowerModel('m', { idleWatts: 100, maxWatts: 300 });
    expect(model.curve).toBeUndefined();
    expect([0, 0.25, 1].map((u) => modelWatts(model, u))).toEqual([100, 150, 300]);
    expect(modelWatts(model, 1.5)).toBe(300);
  });

  it('a CPU model: the table\'s curve, times the sockets', () => {
    const model = resolvePowerModel('m', { cpuModel: 'Intel Xeon Gold 6230', sockets: 2 });
    const gold = lookupCpuPowerCurve('Intel Xeon Gold')!;
    expect(model.idleWatts).toBeCloseTo(2 * curveWatts(gold, 0), 9);
    expect(model.maxWatts).toBeCloseTo(2 * curveWatts(gold, 100), 9);
    expect(modelWatts(model, 0.5)).toBeCloseTo(2 * curveWatts(gold, 50), 9);
    expect(model.basis).toMatch(/Boavizta/);
  });

  it('explicit watts win over a CPU model, which may then be one the table lacks', () => {
    expect(powerModelProblems({ idleWatts: 80, maxWatts: 200, cpuModel: 'AMD EPYC 7742' })).toEqual([]);
  });

  it.each([
    [{ idleWatts: 200, maxWatts: 200 }, 'maxWatts', /more watts than idleWatts/],
    [{ idleWatts: 250, maxWatts: 100 }, 'maxWatts', /more watts than idleWatts/],
    [{ idleWatts: -5, maxWatts: 100 }, 'idleWatts', /at least 0/],
    [{ idleWatts: 50 }, 'maxWatts', /written together/],
    [{ cpuModel: 'AMD EPYC 7742' }, 'cpuModel', /a CPU model of the shipped table .*Intel Xeon Gold.*or explicit idleWatts and maxWatts/],
    [{ cpuModel: 'Intel Xeon Gold', sockets: 0 }, 'sockets', /1 to 16/],
    [{ idleWatts: 50, maxWatts: 100, sockets: 2 }, 'sockets', /explicit watts are the whole host's/],
    [{}, '', /idleWatts and maxWatts, or a cpuModel/],
  ])('refuses %j at %s', (input, key, allowed) => {
    const problems = powerModelProblems(input);
    expect(problems.map((p) => p.key)).toContain(key);
    expect(problems.find((p) => p.key === key)!.allowed).toMatch(allowed);
    expect(() => resolvePowerModel('Collector.platformPower.model', input)).toThrow(PeekStackValidationError);
  });

  it('the construct names the field and the value it refuses', () => {
    expect(() => resolvePowerModel('Collector.platformPower.model', { idleWatts: 250, maxWatts: 100 })).toThrow(/Collector\.platformPower\.model\.maxWatts.*100 \(idleWatts 250\)/);
  });
});
