import { FleetConfigError, FleetProblem, parseFleet } from '../../src/config';

/** A valid three-host fleet used as the base of the bad-input tests. */
export const VALID_FLEET = `hosts:
  - name: web-1
    docker:
      host: ssh://deploy@web-1.example.net
    addresses: [web-1.example.net, 192.0.2.11]
  - name: db-1
    docker:
      host: tcp://db-1.example.net:2376
      certPath: /etc/certs/db-1
    addresses: [db-1.example.net]
    ports:
      nodeExporter: 9101
  - name: ops
    docker:
      host: unix:///var/run/docker.sock
    addresses: [ops.example.net]
interface:
  host: ops
`;

/** The problems `parseFleet` reports for `text` (fails the test if it accepts it). */
export function problemsOf(text: string, file = 'fleet.yaml'): readonly FleetProblem[] {
  try {
    parseFleet(text, file);
  } catch (error) {
    if (error instanceof FleetConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the fleet to be refused');
}

/** The single problem of `text`. */
export function onlyProblem(text: string): FleetProblem {
  const problems = problemsOf(text);
  if (problems.length !== 1) throw new Error(`expected one problem, got:\n${problems.map((p) => JSON.stringify(p)).join('\n')}`);
  return problems[0];
}
