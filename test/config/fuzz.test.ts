import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { App } from 'cdktf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetConfigError, parseFleet } from '../../src/config';
import { PeekStackValidationError } from '../../src/core/errors';
import { buildFleetApp } from '../../src/fleet/fleet';
import { VALID_FLEET } from './helpers';

/** Text edits that keep most of the file intact, so the mutants reach the schema and the checks. */
const mutation = fc.oneof(
  // Replace a slice with something from a YAML-ish alphabet.
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), length: fc.nat({ max: 8 }), text: fc.string({ unit: fc.constantFrom(...' :-[]{},"\'\n#&*!|>0129abz.'.split('')), maxLength: 6 }) }),
  // Swap a value token for another typed value.
  fc.record({ kind: fc.constant('value' as const), at: fc.nat(), text: fc.constantFrom('0', '-1', '70000', '1', '1.5', 'null', '~', 'true', '[]', '{}', '"x"', 'tcp://h:1', 'web-1', 'ops', '&a x', '*a', '!!binary aGk=', '2e308') }),
  // Drop a line.
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  // Duplicate a line.
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'replace': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at + m.length);
    }
    case 'value': {
      const index = m.at % lines.length;
      const colon = lines[index].indexOf(': ');
      if (colon >= 0) lines[index] = `${lines[index].slice(0, colon + 2)}${m.text}`;
      return lines.join('\n');
    }
    case 'drop':
      lines.splice(m.at % lines.length, 1);
      return lines.join('\n');
    case 'dup': {
      const index = m.at % lines.length;
      lines.splice(index, 0, lines[index]);
      return lines.join('\n');
    }
  }
}

describe('fleet file mutations', () => {
  it('never end in anything but a valid fleet or a FleetConfigError / PeekStackValidationError', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'peekstack-fuzz-'));
    let accepted = 0;
    try {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
          const text = mutations.reduce(apply, VALID_FLEET);
          let fleet;
          try {
            fleet = parseFleet(text, 'fuzz.yaml');
          } catch (error) {
            expect(error).toBeInstanceOf(FleetConfigError);
            for (const problem of (error as FleetConfigError).problems) {
              expect(problem.line).toBeGreaterThanOrEqual(1);
              expect(problem.column).toBeGreaterThanOrEqual(1);
              expect(problem.allowed.length).toBeGreaterThan(0);
            }
            return;
          }
          accepted++;
          // What the loader accepts, the constructs build (or refuse with a validation error).
          try {
            buildFleetApp(new App({ outdir }), fleet);
          } catch (error) {
            expect(error).toBeInstanceOf(PeekStackValidationError);
          }
        }),
        { numRuns: 300 },
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    // The mutations are mild enough that some fleets stay valid: the construct path is exercised too.
    expect(accepted).toBeGreaterThan(0);
  });
});
