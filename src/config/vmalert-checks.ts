import { describeValue } from '../core/errors';
import { hubNameTaken } from '../core/hub-names';
import { assertPinnedImage } from '../core/validate';
import { PeekStackValidationError } from '../core/errors';
import type { PathProblem } from './problems';
import { FleetFile } from './schema';
import { FleetSpec } from './spec';

/**
 * Cross-field problems of `vmalert:` and of the heartbeat: vmalert reads and writes the fleet store
 * through the hub's vmauth, so it needs the embedded store; the Watchdog that drives the heartbeat
 * is evaluated by vmalert; a budget is evaluated by vmalert.
 */
export function checkVmalert(file: FleetFile, spec: FleetSpec): PathProblem[] {
  const problems: PathProblem[] = [];
  const embedded = spec.store.enabled && spec.store.kind === 'embedded';
  const written = file.vmalert;
  if (written?.enabled === true && !embedded) {
    const store = !spec.store.enabled
      ? 'no fleet store (store.enabled: false)'
      : `an external store (kind "${spec.store.kind}")${spec.store.queryUrl === undefined ? ' that offers no read endpoint (no store.queryUrl)' : ''}`;
    problems.push({
      path: ['vmalert', 'enabled'],
      found: `vmalert turned on with ${store}`,
      allowed: 'vmalert only with the embedded store (store.kind: embedded), which it reads and writes through the hub\'s vmauth; with another store, vmalert.enabled: false',
    });
  }
  if (written?.budget !== undefined && !spec.vmalert.enabled) {
    problems.push({ path: ['vmalert', 'budget'], found: 'a fleet budget with vmalert off', allowed: 'a budget only where vmalert runs (it evaluates the budget alerts): the embedded store with vmalert on' });
  }
  if (written?.image !== undefined) {
    try {
      assertPinnedImage('Vmalert.image', written.image);
    } catch (error) {
      if (!(error instanceof PeekStackValidationError)) throw error;
      problems.push({ path: ['vmalert', 'image'], found: error.received, allowed: error.allowed });
    }
  }
  const heartbeat = file.alerting?.heartbeat;
  if (heartbeat !== undefined) {
    if (!spec.vmalert.enabled) {
      problems.push({ path: ['alerting', 'heartbeat'], found: 'a heartbeat with vmalert off', allowed: 'a heartbeat only where vmalert runs on the hub (it evaluates the Watchdog alert): the embedded store with vmalert on' });
    }
    const taken = hubNameTaken(spec.store.stackName, heartbeat.secretVariable);
    if (taken) problems.push({ path: ['alerting', 'heartbeat', 'secretVariable'], found: describeValue(heartbeat.secretVariable), allowed: taken });
  }
  return problems;
}
