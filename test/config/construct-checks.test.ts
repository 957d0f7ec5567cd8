import { afterAll, describe, expect, it } from 'vitest';
import { App } from 'cdktf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FleetConfigError, parseFleet } from '../../src/config';
import { checkFleet } from '../../src/config/checks';
import { fleetSettingsProblems as checkFleetForConstructs } from '../../src/fleet/settings';
import { FleetFile } from '../../src/config/schema';
import { toFleetSpec } from '../../src/config/spec';
import { PeekStackValidationError } from '../../src/core/errors';
import { buildFleetApp } from '../../src/fleet/fleet';
import { VALID_FLEET } from './helpers';
import type { UntypedJson } from '../support/untyped-json';

/**
 * `peekstack validate` no longer builds the stacks: it must still find every problem that building
 * them finds. Each bad fleet below is given to both, the schema left out (it would hide the
 * constructs' checks behind its own): the stacks built in memory with cdktf (what validate did
 * before), and the fleet file's own checks with the stacks' own checks on the props the Fleet
 * gives them (checks.ts and src/fleet/settings.ts, no cdktf).
 */

type Edit = (file: UntypedJson) => void;

/** A bad value at `path` (host 0 is web-1, host 2 is ops, Grafana's host). */
const at =
  (path: (string | number)[], value: unknown): Edit =>
  (file) => {
    let node = file;
    for (const part of path.slice(0, -1)) node = node[part] ??= {};
    node[path[path.length - 1]] = value;
  };

const BAD_FLEETS: Record<string, Edit> = {
  'scrape interval 0': at(['hosts', 0, 'scrapeIntervalSeconds'], 0),
  'scrape interval over an hour': at(['hosts', 0, 'scrapeIntervalSeconds'], 3601),
  'fractional scrape interval': at(['hosts', 0, 'scrapeIntervalSeconds'], 7.5),
  'scrape interval under the Scaphandre floor': at(['hosts', 0, 'scrapeIntervalSeconds'], 2),
  'Scaphandre interval under its floor': at(['hosts', 0, 'exporters'], { scaphandre: { scrapeIntervalSeconds: 2 } }),
  'timeout longer than the interval': at(['hosts', 0, 'scrapeTimeoutSeconds'], 20),
  'timeout 0': at(['hosts', 0, 'scrapeTimeoutSeconds'], 0),
  'retention 0 days': at(['hosts', 0, 'retentionDays'], 0),
  'retention of 11 years': at(['hosts', 0, 'retentionDays'], 4000),
  'retention size 0': at(['hosts', 0, 'retentionSizeGigabytes'], 0),
  'Prometheus port 0': at(['hosts', 0, 'ports'], { prometheus: 0 }),
  'Prometheus port 70000': at(['hosts', 0, 'ports'], { prometheus: 70000 }),
  'node_exporter port 70000': at(['hosts', 1, 'ports'], { nodeExporter: 70000 }),
  'Grafana on the Prometheus port of its host': at(['interface', 'port'], 19090),
  'Grafana port 0': at(['interface', 'port'], 0),
  'Grafana image "latest"': at(['interface', 'image'], 'grafana/grafana:latest'),
  'Prometheus image without a tag': at(['hosts', 0, 'images'], { prometheus: 'prom/prometheus' }),
  'node_exporter image "latest"': at(['hosts', 0, 'exporters'], { nodeExporter: { image: 'prom/node-exporter:latest' } }),
  'cAdvisor image with spaces': at(['hosts', 0, 'exporters'], { cadvisor: { image: 'bad image:1' } }),
  'Scaphandre image "latest"': at(['hosts', 0, 'exporters'], { scaphandre: { image: 'hubblo/scaphandre:latest' } }),
  'upper-case host name': at(['hosts', 0, 'name'], 'Web-1'),
  'host name with "_"': at(['hosts', 0, 'name'], 'web_1'),
  'two hosts with one name': at(['hosts', 1, 'name'], 'web-1'),
  'no address': at(['hosts', 0, 'addresses'], []),
  'address with a space': at(['hosts', 0, 'addresses'], ['web 1.example.net']),
  'http Docker endpoint': at(['hosts', 0, 'docker'], { host: 'http://web-1.example.net' }),
  'tcp Docker endpoint without certificates': at(['hosts', 0, 'docker'], { host: 'tcp://web-1.example.net:2376' }),
  'certificates on an ssh endpoint': at(['hosts', 0, 'docker'], { host: 'ssh://deploy@web-1.example.net', certPath: '/etc/certs' }),
  'Grafana host with a bad endpoint': at(['hosts', 2, 'docker'], { host: 'unix://relative.sock' }),
  'pg backend with a password': at(['defaults'], { backend: { type: 'pg', connStr: 'postgres://u:secret@db/state' } }),
  'http backend with a password': at(['interface', 'backend'], { type: 'http', address: 'https://u:p@state/{stack}', lockAddress: 'https://state/lock' }),
};

/** The error building the stacks throws, if any (a construct's, or cdktf's own, as for a duplicate stack name). */
function buildError(file: FleetFile, outdir: string): Error | undefined {
  try {
    buildFleetApp(new App({ outdir }), toFleetSpec('fleet.yaml', file));
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('validate without cdktf finds what building the stacks finds', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'peekstack-construct-checks-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('the base fleet passes both', () => {
    const file = parse(VALID_FLEET) as FleetFile;
    expect(buildError(file, outdir)).toBeUndefined();
    expect([...checkFleet(file, toFleetSpec('fleet.yaml', file)), ...checkFleetForConstructs(toFleetSpec('fleet.yaml', file))]).toEqual([]);
  });

  for (const [name, edit] of Object.entries(BAD_FLEETS)) {
    it(name, () => {
      const file = parse(VALID_FLEET) as FleetFile;
      edit(file);
      const spec = toFleetSpec('fleet.yaml', file);
      const built = buildError(file, outdir);
      const crossField = checkFleet(file, spec);
      const constructs = checkFleetForConstructs(spec);
      // Every case is a problem for the stacks; the fleet-file checks find it too.
      expect(built, 'the stacks should refuse this fleet').toBeInstanceOf(Error);
      expect(crossField.length + constructs.length).toBeGreaterThan(0);
      // Where the constructs' own check applies, it is the same check: same field, same words.
      if (crossField.length === 0) {
        expect(built).toBeInstanceOf(PeekStackValidationError);
        const { allowed, field } = built as PeekStackValidationError;
        expect(constructs.map((problem) => problem.allowed)).toContain(`${allowed} (${field})`);
      }
    });
  }

  it('neither refuses the edge values the stacks accept', () => {
    const variants: Edit[] = [
      at(['hosts', 0, 'scrapeIntervalSeconds'], 3),
      at(['hosts', 0, 'scrapeTimeoutSeconds'], 15),
      at(['hosts', 0, 'exporters'], { scaphandre: { enabled: false } }),
      (file) => {
        at(['hosts', 0, 'scrapeIntervalSeconds'], 1)(file);
        at(['hosts', 0, 'scrapeTimeoutSeconds'], 1)(file);
        at(['hosts', 0, 'exporters'], { scaphandre: { enabled: false } })(file);
      },
      at(['interface', 'port'], 443),
      at(['hosts', 0, 'ports'], { prometheus: 1 }),
      at(['hosts', 0, 'addresses'], ['2001:db8::1', 'WEB-1.example.net']),
      at(['defaults'], { backend: { type: 'http', address: 'https://state/{stack}', lockAddress: 'https://state/{stack}/lock' } }),
    ];
    for (const edit of variants) {
      const file = parse(VALID_FLEET) as FleetFile;
      edit(file);
      const spec = toFleetSpec('fleet.yaml', file);
      const constructs = checkFleetForConstructs(spec);
      expect(constructs).toEqual([]);
      expect(buildError(file, outdir)).toBeUndefined();
    }
  });

  it('through the file, every bad fleet is refused by the loader (what validate runs)', () => {
    for (const [name, edit] of Object.entries(BAD_FLEETS)) {
      const file = parse(VALID_FLEET) as FleetFile;
      edit(file);
      const text = JSON.stringify(file); // JSON is YAML
      expect(() => parseFleet(text, 'fleet.yaml'), name).toThrow(FleetConfigError);
    }
  });

});
