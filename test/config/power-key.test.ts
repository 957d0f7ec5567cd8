import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/config';
import { collectorStackPropsOf } from '../../src/fleet/settings';
import { onlyProblem, VALID_FLEET } from './helpers';

/** `power.model` on host db-1 of the base fleet, and `defaults` written before the hosts. */
const withModel = (hostModel: string | undefined, defaultsModel?: string) => {
  const host = hostModel === undefined ? VALID_FLEET : VALID_FLEET.replace('    ports:\n      nodeExporter: 9101\n', `    ports:\n      nodeExporter: 9101\n    power:\n      model: ${hostModel}\n`);
  return defaultsModel === undefined ? host : `defaults:\n  power:\n    model: ${defaultsModel}\n${host}`;
};

describe('fleet file: power.model', () => {
  it('is off unless written; a host\'s model reaches its collector\'s props', () => {
    const fleet = parseFleet(withModel('{ idleWatts: 90, maxWatts: 310 }'), 'fleet.yaml');
    expect(fleet.hosts.map((h) => h.power.model)).toEqual([undefined, { idleWatts: 90, maxWatts: 310 }, undefined]);
    expect(collectorStackPropsOf(fleet, fleet.hosts[1]!).platformPower).toEqual({ model: { idleWatts: 90, maxWatts: 310 } });
  });

  it('takes a host\'s model whole over the defaults\' (never a mix of the two)', () => {
    const fleet = parseFleet(withModel('{ idleWatts: 90, maxWatts: 310 }', '{ cpuModel: Intel Xeon Gold 6230, sockets: 2 }'), 'fleet.yaml');
    expect(fleet.hosts.map((h) => h.power.model)).toEqual([
      { cpuModel: 'Intel Xeon Gold 6230', sockets: 2 },
      { idleWatts: 90, maxWatts: 310 },
      { cpuModel: 'Intel Xeon Gold 6230', sockets: 2 },
    ]);
  });

  it('refuses max watts not above idle watts, at maxWatts', () => {
    expect(onlyProblem(withModel('{ idleWatts: 300, maxWatts: 300 }'))).toMatchObject({ line: 14, path: 'hosts[1].power.model.maxWatts', found: '300 (idleWatts 300)' });
  });

  it('refuses a CPU model the table lacks without watts, at cpuModel, naming the table', () => {
    const problem = onlyProblem(withModel('{ cpuModel: "ARM Neoverse N1" }'));
    expect(problem).toMatchObject({ line: 14, path: 'hosts[1].power.model.cpuModel', found: '"ARM Neoverse N1"' });
    expect(problem.allowed).toMatch(/Intel Xeon Gold/);
  });

  it('refuses a non-number watt figure', () => {
    expect(onlyProblem(withModel('{ idleWatts: lots, maxWatts: 300 }'))).toMatchObject({ path: 'hosts[1].power.model.idleWatts', allowed: 'a number of watts, at least 0' });
  });
});
