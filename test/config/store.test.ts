import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/config';
import { onlyProblem, problemsOf, VALID_FLEET } from './helpers';

const withStore = (store: string) => `${VALID_FLEET}store:\n${store}`;
/** Line of the first key under `store:` (VALID_FLEET ends with a newline: `store:` is on the line after its last). */
const STORE_LINE = VALID_FLEET.split('\n').length + 1;

describe('store: in the fleet file', () => {
  it('is on by default: embedded, on the interface host, port 18427, 90 days', () => {
    const fleet = parseFleet(VALID_FLEET, 'fleet.yaml');
    expect(fleet.store).toMatchObject({ enabled: true, kind: 'embedded', host: 'ops', stackName: 'hub', port: 18427, retentionDays: 90 });
    expect(parseFleet(withStore('  host: web-1\n  port: 18500\n  retentionDays: 365\n'), 'fleet.yaml').store).toMatchObject({ host: 'web-1', port: 18500, retentionDays: 365 });
  });

  it('a store URL that is not https: exit-2 problem at its line and column', () => {
    const problem = onlyProblem(withStore('  kind: mimir\n  url: http://mimir.example.net\n  username: u\n'));
    expect(problem).toMatchObject({ line: STORE_LINE + 1, column: 8, path: 'store.url' });
    expect(problem.allowed).toMatch(/https:\/\//);
  });

  it('an unknown store kind', () => {
    const problem = onlyProblem(withStore('  kind: influxdb\n'));
    expect(problem).toMatchObject({ line: STORE_LINE, column: 9, path: 'store.kind', found: '"influxdb"' });
    expect(problem.allowed).toContain('"victoriametrics-cluster"');
  });

  it('a tenant without an external store', () => {
    const problem = onlyProblem(withStore('  tenant: team-a\n'));
    expect(problem).toMatchObject({ line: STORE_LINE, path: 'store.tenant' });
    expect(problem.found).toContain('a tenant without an external store');
  });

  it('credentials written into the fleet file: refused, the secret never echoed', () => {
    for (const key of ['password', 'token', 'bearerToken']) {
      const problems = problemsOf(withStore(`  kind: mimir\n  url: https://mimir.example.net\n  username: u\n  ${key}: s3cr3t-Value\n`));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ line: STORE_LINE + 3, path: `store.${key}`, found: expect.stringContaining('never shown'), allowed: expect.stringContaining('sensitive Terraform variable') });
      expect(JSON.stringify(problems)).not.toContain('s3cr3t-Value');
    }
    const inUrl = problemsOf(withStore('  kind: mimir\n  url: https://u:s3cr3t-Value@mimir.example.net\n  username: u\n'));
    expect(inUrl[0]!.path).toBe('store.url');
    expect(JSON.stringify(inUrl)).not.toContain('s3cr3t-Value');
  });

  it('an external store without url, basic auth without username, settings of the other kind', () => {
    expect(onlyProblem(withStore('  kind: thanos\n  auth: none\n')).found).toBe('kind "thanos" without url');
    expect(onlyProblem(withStore('  kind: thanos\n  url: https://receive.example.net\n')).found).toBe('auth "basic" without username');
    expect(onlyProblem(withStore('  kind: thanos\n  url: https://r.example.net\n  auth: none\n  port: 1234\n'))).toMatchObject({ path: 'store.port' });
    expect(onlyProblem(withStore('  url: https://r.example.net\n'))).toMatchObject({ path: 'store.url' });
    expect(onlyProblem(withStore('  kind: victoriametrics-cluster\n  url: https://vm.example.net\n  tenant: team-a\n  username: u\n'))).toMatchObject({ path: 'store.tenant' });
    expect(onlyProblem(withStore('  kind: mimir\n  url: https://m.example.net\n  username: u\n  caFile: missing-ca.pem\n'))).toMatchObject({ path: 'store.caFile' });
  });

  it('a store host that is not in the fleet, or a port another service of that host publishes', () => {
    expect(onlyProblem(withStore('  host: nowhere\n'))).toMatchObject({ path: 'store.host', found: '"nowhere"' });
    expect(onlyProblem(withStore('  port: 13000\n'))).toMatchObject({ path: 'store.port', allowed: expect.stringContaining('Grafana uses 13000') });
    expect(onlyProblem(withStore('  host: web-1\n  port: 19090\n'))).toMatchObject({ path: 'store.port', allowed: expect.stringContaining('Prometheus uses 19090') });
  });
});
