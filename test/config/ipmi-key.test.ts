import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/config';
import { fleetSettingsProblems } from '../../src/fleet/settings';
import { onlyProblem, problemsOf, VALID_FLEET } from './helpers';

/** `ipmi:` on host db-1 of the base fleet (line 13). */
const withIpmi = (value: string) => VALID_FLEET.replace('    ports:\n      nodeExporter: 9101\n', `    ports:\n      nodeExporter: 9101\n    ipmi: ${value}\n`);

describe('fleet file: hosts[].ipmi', () => {
  it('is off unless a host has it; in-band and remote, secrets by variable name only', () => {
    expect(parseFleet(VALID_FLEET, 'fleet.yaml').hosts.map((host) => host.ipmi)).toEqual([undefined, undefined, undefined]);
    expect(parseFleet(withIpmi('{ mode: in-band }'), 'fleet.yaml').hosts[1].ipmi).toMatchObject({ mode: 'in-band' });
    const remote = parseFleet(withIpmi('{ mode: remote, address: 10.0.5.21, user: peekstack, passwordVariable: db_1_bmc_password }'), 'fleet.yaml').hosts[1].ipmi;
    expect(remote).toEqual({ mode: 'remote', address: '10.0.5.21', user: 'peekstack', userVariable: undefined, passwordVariable: 'db_1_bmc_password' });
  });

  it('a password written in the file: refused at its place, never shown, pointing to passwordVariable', () => {
    for (const key of ['password', 'pass']) {
      const problem = onlyProblem(withIpmi(`{ mode: remote, address: bmc.example.net, ${key}: Hunter2-bmc }`));
      expect(problem).toMatchObject({ line: 13, path: `hosts[1].ipmi.${key}` });
      expect(problem.allowed).toContain('passwordVariable');
      expect(JSON.stringify(problem)).not.toContain('Hunter2-bmc');
    }
  });

  it('a password pasted where its variable name goes is not shown either', () => {
    const problem = onlyProblem(withIpmi('{ mode: remote, address: bmc.example.net, passwordVariable: "Hunter2 bmc!" }'));
    expect(problem).toMatchObject({ path: 'hosts[1].ipmi.passwordVariable' });
    expect(JSON.stringify(problem)).not.toContain('Hunter2');
  });

  it('a BMC address that is not a host name or IP address', () => {
    for (const [address, says] of [['"https://bmc.example.net"', 'a scheme'], ['bmc.example.net:623', 'a port'], ['"bmc_1.example.net"', '"_"'], ['10.0.5.300', '300']] as const) {
      const problem = onlyProblem(withIpmi(`{ mode: remote, address: ${address}, passwordVariable: db_1_bmc_password }`));
      expect(problem, address).toMatchObject({ line: 13, path: 'hosts[1].ipmi.address' });
      expect(problem.allowed, address).toContain('DNS name or an IP address');
      expect(problem.allowed, address).toContain(says);
    }
  });

  it('remote needs an address and a password variable; in-band takes neither', () => {
    const missing = problemsOf(withIpmi('{ mode: remote }'));
    expect(missing.map((p) => p.path)).toEqual(['hosts[1].ipmi.address', 'hosts[1].ipmi.passwordVariable']);
    expect(onlyProblem(withIpmi('{ mode: in-band, address: bmc.example.net }'))).toMatchObject({ path: 'hosts[1].ipmi.address' });
    expect(onlyProblem(withIpmi('{ mode: out-of-band }'))).toMatchObject({ path: 'hosts[1].ipmi.mode' });
    expect(onlyProblem(withIpmi('{ mode: remote, address: b.example, user: a, userVariable: u, passwordVariable: p }'))).toMatchObject({ path: 'hosts[1].ipmi.userVariable' });
    expect(onlyProblem(withIpmi('{ mode: remote, address: b.example, userVariable: p, passwordVariable: p }'))).toMatchObject({ path: 'hosts[1].ipmi.userVariable' });
  });

  it('a variable name the collector stack keeps for its own variables', () => {
    expect(onlyProblem(withIpmi('{ mode: remote, address: b.example, passwordVariable: collector_db_1_prometheus_password }'))).toMatchObject({
      path: 'hosts[1].ipmi.passwordVariable',
      allowed: expect.stringContaining('"collector_db_1_"'),
    });
  });

  it('is per host: not in defaults', () => {
    const problem = onlyProblem(`${VALID_FLEET}defaults: { ipmi: { mode: in-band } }\n`);
    expect(problem.path).toBe('defaults.ipmi');
  });

  it('the stacks\' own checks find nothing more in a valid IPMI host (validate and synth agree)', () => {
    expect(fleetSettingsProblems(parseFleet(withIpmi('{ mode: remote, address: 10.0.5.21, passwordVariable: db_1_bmc_password }'), 'fleet.yaml'))).toEqual([]);
  });
});
