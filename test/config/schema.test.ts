import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { Testing, TerraformStack } from 'cdktf';
import { Collector } from '../../src/collector/collector';
import { collectorStackName, HOST_NAME_PATTERN, variablePrefix } from '../../src/config';
import { fleetFileSchema, fleetFileSchemaFor, hostNameSchema } from '../../src/config/schema';
import { TERRAFORM_IDENTIFIER } from '../../src/config/stack-names';

const EXAMPLE_FLEET = resolve(__dirname, '..', '..', 'stacks', 'fleet.example.yaml');
const DEFAULT_FLEET = resolve(__dirname, '..', '..', 'stacks', 'fleet.default.yaml');
const CORPUS = resolve(__dirname, 'corpus');

const NAMES = ['a', 'web-1', '1', '0a', 'a-b-c', 'a'.repeat(63), 'a'.repeat(64), 'Web', 'web_1', '-a', 'a-', '', 'a.b', 'ä', ' a'];

/** Whether Collector accepts `name` as its hostName. */
function collectorAccepts(name: string): boolean {
  const stack = new TerraformStack(Testing.app(), 's');
  try {
    new Collector(stack, 'c', { hostName: name, addresses: ['192.0.2.1'] });
    return true;
  } catch {
    return false;
  }
}

describe('host names', () => {
  it('the fleet file accepts exactly the names Collector accepts', () => {
    for (const name of NAMES) {
      expect({ name, file: hostNameSchema.safeParse(name).success }).toEqual({ name, file: collectorAccepts(name) });
    }
  });

  it('every accepted name gives a valid, distinct Terraform identifier as stack name and variable prefix', () => {
    const accepted = NAMES.filter((name) => HOST_NAME_PATTERN.test(name));
    const stacks = accepted.map(collectorStackName);
    for (const stack of stacks) {
      expect(stack).toMatch(TERRAFORM_IDENTIFIER);
      expect(variablePrefix(stack)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
    expect(new Set(stacks).size).toBe(stacks.length);
    expect(new Set(stacks.map(variablePrefix)).size).toBe(stacks.length);
    expect(collectorStackName('web-1')).toBe('collector-web-1');
  });
});

describe('the schema built for the keys a file writes (fleetFileSchemaFor)', () => {
  const read = (file: string): unknown => parse(readFileSync(file, 'utf8'));
  const example = read(EXAMPLE_FLEET);
  /** What zod says of `data`, in a form two schemas' answers compare in. */
  const verdict = (schema: typeof fleetFileSchema, data: unknown) => {
    const result = schema.safeParse(data);
    return result.success ? { data: result.data } : { issues: result.error.issues.map(({ code, path, message }) => ({ code, path, message })) };
  };
  /** Copies of `data` with one value replaced, at every path, by each of a few wrong values. */
  function mutations(data: unknown): unknown[] {
    const wrong: unknown[] = [7, 'x', { bogus: 1 }, [], null];
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      if (path.length > 0) paths.push(path);
      if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
    };
    walk(data, []);
    return paths.flatMap((path) =>
      wrong.map((replacement) => {
        const copy = structuredClone(data) as Record<string | number, unknown>;
        let parent = copy;
        for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
        parent[path[path.length - 1]] = replacement;
        return copy;
      }),
    );
  }

  it('says of every fleet file what the whole schema says: the example, the default, the corpus of bad files, and the example broken at every path', () => {
    const corpus = readdirSync(CORPUS).filter((name) => name.endsWith('.yaml')).map((name) => join(CORPUS, name));
    const files = [example, read(DEFAULT_FLEET), ...corpus.flatMap((file) => { try { return [read(file)]; } catch { return []; } }), ...mutations(example)];
    expect(files.length).toBeGreaterThan(500);
    let failures = 0;
    for (const data of files) {
      const whole = verdict(fleetFileSchema, data);
      if ('issues' in whole) failures++;
      expect(verdict(fleetFileSchemaFor(data), data)).toEqual(whole);
    }
    // The comparison covers refusals by every part of the schema, not only files it accepts.
    expect(failures).toBeGreaterThan(files.length / 2);
  });

  it('builds nothing for keys the file does not write, and refuses them if they appear after all', () => {
    const minimal = { hosts: [{ name: 'a', docker: { host: 'unix:///var/run/docker.sock' }, addresses: ['192.0.2.1'] }], interface: { host: 'a' } };
    const schema = fleetFileSchemaFor(minimal);
    expect(schema.safeParse(minimal).success).toBe(true);
    const withStore = { ...minimal, store: { enabled: false } };
    expect(fleetFileSchema.safeParse(withStore).success).toBe(true);
    expect(schema.safeParse(withStore).success).toBe(false);
    expect(fleetFileSchemaFor(withStore).safeParse(withStore).success).toBe(true);
  });
});
