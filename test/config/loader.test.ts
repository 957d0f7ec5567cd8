import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FleetConfigError, formatProblem, loadFleetFile, parseFleet } from '../../src/config';
import { DEFAULT_IMAGES } from '../../src/core/images';
import { onlyProblem, problemsOf, VALID_FLEET } from './helpers';

describe('parseFleet: valid input', () => {
  it('applies every default once', () => {
    const fleet = parseFleet(VALID_FLEET, 'fleet.yaml');
    expect(fleet.hosts.map((h) => h.stackName)).toEqual(['collector-web-1', 'collector-db-1', 'collector-ops']);
    const [web, db] = fleet.hosts;
    expect(web).toMatchObject({
      scrapeIntervalSeconds: 15,
      retentionDays: 15,
      retentionSizeGigabytes: 10,
      ports: { prometheus: 19090, nodeExporter: 9100 },
      exporters: {
        nodeExporter: { enabled: true, image: DEFAULT_IMAGES.nodeExporter },
        cadvisor: { enabled: true, image: DEFAULT_IMAGES.cadvisor },
        scaphandre: { enabled: true, image: DEFAULT_IMAGES.scaphandre },
      },
      images: { prometheus: DEFAULT_IMAGES.prometheus },
      backend: { type: 'local' },
    });
    expect(db.ports.nodeExporter).toBe(9101);
    expect(fleet.interface).toEqual({ host: 'ops', stackName: 'interface', port: 13000, image: DEFAULT_IMAGES.grafana, backend: { type: 'local' } });
    expect(fleet.credentials).toBe('generate');
  });

  it('merges defaults key by key under the host\'s own settings', () => {
    const fleet = parseFleet(
      `defaults:
  retentionDays: 30
  exporters: { scaphandre: { scrapeIntervalSeconds: 5, image: "hubblo/scaphandre:1.0.1" } }
  backend: { type: s3, bucket: state }
${VALID_FLEET.replace('    addresses: [ops.example.net]\n', '    addresses: [ops.example.net]\n    retentionDays: 90\n    exporters: { scaphandre: { enabled: false } }\n    backend: { type: local, path: "state/{stack}.tfstate" }\n')}`,
      'fleet.yaml',
    );
    const ops = fleet.hosts[2];
    expect(fleet.hosts[0].retentionDays).toBe(30);
    expect(ops.retentionDays).toBe(90);
    expect(ops.exporters.scaphandre).toEqual({ enabled: false, image: 'hubblo/scaphandre:1.0.1', scrapeIntervalSeconds: 5 });
    expect(ops.backend).toEqual({ type: 'local', path: 'state/{stack}.tfstate' });
    expect(fleet.hosts[0].backend).toEqual({ type: 's3', bucket: 'state' });
    expect(fleet.interface.backend).toEqual({ type: 's3', bucket: 'state' });
  });
});

describe('parseFleet: every bad input gives one located message', () => {
  it('YAML syntax error', () => {
    const p = onlyProblem('hosts:\n  - name: a\n   docker: x\n');
    expect(p).toMatchObject({ file: 'fleet.yaml', line: 3, column: 1 });
    expect(p.allowed).toMatch(/YAML syntax/);
  });

  it('duplicate YAML keys', () => {
    const p = onlyProblem(VALID_FLEET.replace('  host: ops\n', '  host: ops\n  host: web-1\n'));
    expect(p.found).toBe('the key "host" a second time in one mapping');
    expect(p.allowed).toMatch(/each key once per mapping/);
    expect(p.line).toBe(19);
  });

  it('unknown key, pointing at the key and listing the allowed ones', () => {
    const p = onlyProblem(VALID_FLEET.replace('    ports:\n', '    retentionDay: 3\n    ports:\n'));
    expect(p).toMatchObject({ line: 11, column: 5, path: 'hosts[1].retentionDay', found: 'unknown key "retentionDay"' });
    expect(p.allowed).toMatch(/one of the keys name, docker, addresses, .*retentionDays/);
  });

  it('wrong type', () => {
    const p = onlyProblem(VALID_FLEET.replace('nodeExporter: 9101', 'nodeExporter: "ninety"'));
    expect(p).toMatchObject({ line: 12, column: 21, path: 'hosts[1].ports.nodeExporter', found: '"ninety"' });
    expect(p.allowed).toBe('an integer from 1 to 65535 (a TCP port)');
  });

  it('missing required field', () => {
    const p = onlyProblem(VALID_FLEET.replace('    addresses: [web-1.example.net, 192.0.2.11]\n', ''));
    expect(p).toMatchObject({ line: 2, column: 5, path: 'hosts[0].addresses', found: 'nothing' });
    expect(p.allowed).toMatch(/\(required\)$/);
  });

  it('duplicate host names', () => {
    const p = onlyProblem(VALID_FLEET.replace('name: db-1', 'name: web-1').replace('db-1.example.net]', 'db.example.net]'));
    expect(p).toMatchObject({ line: 6, column: 11, path: 'hosts[1].name', found: '"web-1"' });
    expect(p.allowed).toMatch(/no other host uses \(hosts\[0\]/);
  });

  it.each([
    ['Web-1', 'upper case'],
    ['web_1', 'an underscore'],
    ['-web', 'a leading "-"'],
    ['a'.repeat(64), 'over 63 characters'],
  ])('host name %s (%s) that would make an invalid stack name', (name) => {
    const p = onlyProblem(VALID_FLEET.replace('name: web-1', `name: ${name}`));
    expect(p).toMatchObject({ line: 2, column: 11, path: 'hosts[0].name' });
    expect(p.allowed).toMatch(/lower-case letters, digits and "-"/);
  });

  it('two hosts with the same address (case-insensitive)', () => {
    const p = onlyProblem(VALID_FLEET.replace('addresses: [ops.example.net]', 'addresses: [OPS.example.net, WEB-1.example.net]'));
    // ops.example.net is only on ops; web-1.example.net is web-1's.
    expect(p).toMatchObject({ line: 16, column: 34, path: 'hosts[2].addresses[1]', found: '"WEB-1.example.net"' });
    expect(p.allowed).toMatch(/hosts\[0\] "web-1" already has it/);
  });

  it('port out of range', () => {
    const p = onlyProblem(VALID_FLEET.replace('nodeExporter: 9101', 'nodeExporter: 70000'));
    expect(p).toMatchObject({ line: 12, column: 21, path: 'hosts[1].ports.nodeExporter', found: '70000' });
  });

  it('ports clashing on one host', () => {
    const p = onlyProblem(VALID_FLEET.replace('nodeExporter: 9101', 'nodeExporter: 19090'));
    expect(p).toMatchObject({ line: 12, column: 21, path: 'hosts[1].ports.nodeExporter', found: 'port 19090 for node_exporter' });
    expect(p.allowed).toMatch(/not already published on host "db-1" \(Prometheus uses 19090\)/);
  });

  it('a port clashing with Grafana on the interface host', () => {
    const p = onlyProblem(VALID_FLEET.replace('  host: ops\n', '  host: ops\n  port: 9100\n'));
    expect(p).toMatchObject({ path: 'interface.port', line: 19, column: 9 });
    expect(p.allowed).toMatch(/node_exporter uses 9100/);
  });

  it('a disabled exporter\'s port does not clash', () => {
    expect(() => parseFleet(VALID_FLEET.replace('nodeExporter: 9101', 'nodeExporter: 19090\n    exporters: { nodeExporter: { enabled: false } }'), 'f')).not.toThrow();
  });

  it('unknown Docker endpoint scheme', () => {
    const p = onlyProblem(VALID_FLEET.replace('ssh://deploy@web-1.example.net', 'http://web-1:2375'));
    expect(p).toMatchObject({ line: 4, column: 13, path: 'hosts[0].docker.host', found: '"http://web-1:2375"' });
    expect(p.allowed).toMatch(/unix:\/\/, ssh:\/\/ or tcp:\/\//);
  });

  it('tcp endpoint without TLS certificates', () => {
    const p = onlyProblem(VALID_FLEET.replace('      certPath: /etc/certs/db-1\n', ''));
    expect(p).toMatchObject({ path: 'hosts[1].docker.certPath', line: 8, column: 7 });
  });

  it('Scaphandre scrape interval under its 3 s floor', () => {
    const p = onlyProblem(VALID_FLEET.replace('    ports:\n', '    exporters: { scaphandre: { scrapeIntervalSeconds: 2 } }\n    ports:\n'));
    expect(p).toMatchObject({ line: 11, column: 55, path: 'hosts[1].exporters.scaphandre.scrapeIntervalSeconds', found: '2' });
    expect(p.allowed).toMatch(/at least 3 seconds: Scaphandre refreshes its readings only when more than 2 s/);
  });

  it('a host interval under 3 s that Scaphandre would inherit, from defaults', () => {
    // Every host inherits it: one message, at the place it is written.
    const p = onlyProblem(`defaults:\n  scrapeIntervalSeconds: 1\n${VALID_FLEET}`);
    expect(p).toMatchObject({ line: 2, column: 26, path: 'defaults.scrapeIntervalSeconds', found: '1' });
    expect(p.allowed).toMatch(/at least 3 seconds while Scaphandre is enabled/);
    // With Scaphandre's own interval, or without Scaphandre, 1 s is fine for the rest.
    expect(() => parseFleet(`defaults:\n  scrapeIntervalSeconds: 1\n  exporters: { scaphandre: { scrapeIntervalSeconds: 3 } }\n${VALID_FLEET}`, 'f')).not.toThrow();
  });

  it('missing interface', () => {
    const p = onlyProblem(VALID_FLEET.replace('interface:\n  host: ops\n', ''));
    expect(p).toMatchObject({ path: 'interface', found: 'nothing', line: 1, column: 1 });
  });

  it('unknown interface host', () => {
    const p = onlyProblem(VALID_FLEET.replace('  host: ops\n', '  host: grafana\n'));
    expect(p).toMatchObject({ line: 18, column: 9, path: 'interface.host', found: '"grafana"' });
    expect(p.allowed).toBe('the name of a host in this fleet: "web-1", "db-1", "ops"');
  });

  it('empty fleet: an empty file, and an empty host list', () => {
    expect(onlyProblem('')).toMatchObject({ line: 1, column: 1, found: 'an empty file' });
    expect(onlyProblem('# nothing\n')).toMatchObject({ found: 'an empty file' });
    expect(onlyProblem('hosts: []\ninterface: { host: a }\n')).toMatchObject({ line: 1, column: 8, path: 'hosts', found: '[]' });
  });

  it('a top level that is not a mapping', () => {
    expect(onlyProblem('- a\n- b\n')).toMatchObject({ line: 1, column: 1, path: '', allowed: 'a mapping (key: value)' });
  });

  it('two stacks sharing one remote state', () => {
    const p = onlyProblem(`defaults:\n  backend: { type: s3, bucket: b, key: fleet.tfstate }\n${VALID_FLEET}`);
    expect(p).toMatchObject({ path: 'defaults.backend', line: 2, column: 12 });
    expect(p.allowed).toMatch(/\{stack\}/);
  });

  it('a password in a backend URL, without showing it', () => {
    const p = onlyProblem(`defaults:\n  backend: { type: pg, connStr: "postgres://u:hunter2@db/state" }\n${VALID_FLEET}`);
    expect(p).toMatchObject({ path: 'defaults.backend.connStr' });
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });

  it('an s3 backend without locking', () => {
    const p = onlyProblem(`defaults:\n  backend: { type: s3, bucket: b, useLockfile: false }\n${VALID_FLEET}`);
    expect(p).toMatchObject({ path: 'defaults.backend.useLockfile' });
  });

  it('an unpinned image', () => {
    const p = onlyProblem(VALID_FLEET.replace('  host: ops\n', '  host: ops\n  image: grafana/grafana:latest\n'));
    expect(p).toMatchObject({ path: 'interface.image', line: 19, column: 10 });
    expect(p.allowed).toMatch(/pinned to a version/);
  });

  it('reports every problem of a file at once, sorted by position, formatted file:line:col', () => {
    const problems = problemsOf(
      VALID_FLEET.replace('nodeExporter: 9101', 'nodeExporter: 0').replace('unix:///var/run/docker.sock', 'npipe:///x').replace('name: web-1', 'name: Web'),
    );
    expect(problems.map((p) => p.path)).toEqual(['hosts[0].name', 'hosts[1].ports.nodeExporter', 'hosts[2].docker.host']);
    expect(formatProblem(problems[0])).toBe(
      'fleet.yaml:2:11: hosts[0].name: found "Web"; allowed: lower-case letters, digits and "-", 1 to 63 characters, not starting or ending with "-"',
    );
  });
});

describe('loadFleetFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peekstack-loader-'));

  it('a file that does not exist', () => {
    const file = join(dir, 'missing.yaml');
    expect(() => loadFleetFile(file)).toThrow(FleetConfigError);
    try {
      loadFleetFile(file);
    } catch (error) {
      expect((error as FleetConfigError).problems).toEqual([expect.objectContaining({ file, found: 'no such file' })]);
    }
  });

  it('a file that cannot be read (a directory)', () => {
    expect(() => loadFleetFile(dir)).toThrow(/found a directory/);
  });

  it('a file without read permission', () => {
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, VALID_FLEET);
    chmodSync(file, 0o000);
    if (process.getuid?.() !== 0) {
      expect(() => loadFleetFile(file)).toThrow(/permission denied/);
      return;
    }
    // Root reads any file (CI runs as root): ask as the unprivileged user nobody instead, through
    // the bundled CLI (npm test builds it; self-contained for `list`, so a copy beside the file runs
    // wherever the clone is), which loads the file with the same loadFleetFile.
    chmodSync(dir, 0o755);
    const cli = join(dir, 'peekstack.js');
    for (const program of ['peekstack.js', 'cli.bundle.js']) copyFileSync(resolve(__dirname, '..', '..', 'dist', 'bin', program), join(dir, program));
    const run = spawnSync(process.execPath, [cli, 'list', '--fleet', file], { encoding: 'utf8', uid: 65534, gid: 65534 });
    expect(run.stderr).toBe(`${file}: found permission denied; allowed: a readable fleet file (YAML); choose one with --fleet or PEEKSTACK_FLEET\n`);
    expect(run.status).toBe(2);
  });

  it('reads a valid file and names it in the spec', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, VALID_FLEET);
    expect(loadFleetFile(file).file).toBe(file);
  });
});
