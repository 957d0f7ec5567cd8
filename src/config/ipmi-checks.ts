import { describeValue } from '../core/errors';
import { variablePrefix } from '../core/names';
import type { PathProblem } from './problems';
import { FleetSpec } from './spec';

/**
 * Cross-field problems of hosts' `ipmi:`: the variables it names are declared in the host's
 * collector stack, whose own variables all start with `<stack>_` (its Prometheus password with
 * `credentials.source: variables`), so a name there could collide with one of them.
 */
export function checkIpmi(spec: FleetSpec): PathProblem[] {
  const problems: PathProblem[] = [];
  spec.hosts.forEach((host, index) => {
    const prefix = `${variablePrefix(host.stackName)}_`;
    for (const key of ['userVariable', 'passwordVariable'] as const) {
      const name = host.ipmi?.[key];
      if (name !== undefined && name.startsWith(prefix)) {
        problems.push({
          path: ['hosts', index, 'ipmi', key],
          found: describeValue(name),
          allowed: `a name not starting with "${prefix}": the stack ${host.stackName} declares its own variables under that prefix`,
        });
      }
    }
  });
  return problems;
}
