/**
 * `preflight` for a set of stacks: one connection per host, facts gathered, findings made. Hosts are
 * probed one after the other (each probe is a few seconds; a fleet's engines are not loaded at once).
 */
import type { FleetSpec } from '../config';
import type { HostFacts } from './facts';
import { type Finding, interpret, verdictOf } from './interpret';
import { hostNeeds } from './needs';
import { connect, describeConnectionError } from './connect';
import { gatherHostFacts } from './gather';

/** The result for one host. */
export interface HostReport {
  readonly host: string;
  /** The Docker endpoint as the fleet file writes it. */
  readonly endpoint: string;
  readonly stacks: readonly string[];
  readonly verdict: 'ok' | 'warn' | 'fail';
  readonly findings: readonly Finding[];
  /** What was read (absent when the engine could not be reached). */
  readonly facts?: HostFacts;
}

export interface PreflightOptions {
  /** Seconds to connect and for each API call. @default 20 */
  readonly timeoutSeconds?: number;
  /** Seconds a probe container may run. @default 60 */
  readonly probeTimeoutSeconds?: number;
  readonly probeImage?: string;
  /** The ssh program. @default 'ssh' */
  readonly sshBinary?: string;
  /** Told which host and step is under way, for a progress line. */
  readonly onProgress?: (host: string, index: number, count: number, step: string) => void;
}

/** Checks the hosts of `stacks` (names of `fleet`'s stacks); never throws for a host's problem. */
export async function preflight(fleet: FleetSpec, stacks: readonly string[], options: PreflightOptions = {}): Promise<HostReport[]> {
  const reports: HostReport[] = [];
  const all = hostNeeds(fleet, stacks);
  for (const [index, needs] of all.entries()) {
    const onStep = (step: string) => options.onProgress?.(needs.host, index, all.length, step);
    onStep('connecting');
    let client;
    try {
      client = connect(needs.endpoint, { timeoutSeconds: options.timeoutSeconds ?? 20, sshBinary: options.sshBinary });
      const facts = await gatherHostFacts(client.docker, needs, { probeImage: options.probeImage, probeTimeoutSeconds: options.probeTimeoutSeconds ?? 60, onStep });
      const findings = interpret(facts, needs);
      reports.push({ host: needs.host, endpoint: needs.endpoint.host, stacks: needs.stacks, verdict: verdictOf(findings), findings, facts });
    } catch (error) {
      const findings: Finding[] = [{ level: 'fail', check: 'connection', text: describeConnectionError(error, needs.endpoint) }];
      reports.push({ host: needs.host, endpoint: needs.endpoint.host, stacks: needs.stacks, verdict: 'fail', findings });
    } finally {
      client?.close();
    }
  }
  return reports;
}
