/**
 * The docs a newcomer walks: a short README, links that lead somewhere, and a fleet-file reference
 * that says what the schema accepts, no more and no less.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetFileSchema } from '../src/index';
import { headings, links, proseLines, tableCells } from './support/markdown';
import { SchemaKey, schemaKeys, ZodLike } from './support/schema-keys';

const REPO = resolve(__dirname, '..');
const README = join(REPO, 'README.md');
const DOCS = join(REPO, 'docs');
const FLEET_FILE_DOC = join(DOCS, 'fleet-file.md');

/** README.md and every Markdown file under docs/, absolute. */
function docFiles(): string[] {
  const found = [README];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) found.push(path);
    }
  };
  walk(DOCS);
  return found;
}

/** Where a relative link may point: docs and pictures. Source paths move; the docs name them as plain text. */
const LINKABLE = [/^README\.md$/, /^docs\/.+\.md$/, /^images\/[^/]+\.(png|svg|jpe?g|gif)$/];

/** What is wrong with each relative link of `file` (empty when every one resolves). */
function brokenLinks(file: string, read: (path: string) => string = (path) => readFileSync(path, 'utf8')): string[] {
  const problems: string[] = [];
  const where = (line: number) => `${relative(REPO, file)}:${line}`;
  for (const { target, line } of links(read(file))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // https:, mailto:...
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const path = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
    const fromRepo = relative(REPO, path).split('\\').join('/');
    if (pathPart !== '' && !LINKABLE.some((pattern) => pattern.test(fromRepo))) {
      problems.push(`${where(line)}: "${target}" points at ${fromRepo}, which is not a doc or a picture: name source paths as plain text (they move), link docs/ or images/`);
      continue;
    }
    if (pathPart !== '' && (!existsSync(path) || !statSync(path).isFile())) {
      problems.push(`${where(line)}: "${target}": no file ${fromRepo}`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (!path.endsWith('.md')) {
      problems.push(`${where(line)}: "${target}": an anchor into a file that is not Markdown`);
      continue;
    }
    const anchors = headings(read(path)).map((heading) => heading.anchor);
    if (!anchors.includes(anchor)) {
      problems.push(`${where(line)}: "${target}": ${fromRepo} has no heading with anchor #${anchor}`);
    }
  }
  return problems;
}

describe('README and docs/', () => {
  it('the README is a front door of at most 200 lines', () => {
    const lines = readFileSync(README, 'utf8').replace(/\n$/, '').split('\n').length;
    expect(lines, `README.md has ${lines} lines; move reference material into docs/`).toBeLessThanOrEqual(200);
  });

  it('every relative link and #anchor in README.md and docs/*.md resolves to a file and a heading', () => {
    const files = docFiles();
    expect(files.length).toBeGreaterThan(5);
    expect(files.flatMap((file) => brokenLinks(file))).toEqual([]);
  });

  it('every source path the docs name (src/, scripts/, stacks/, test/) exists', () => {
    const named = /`((?:src|scripts|stacks|test)\/[A-Za-z0-9_./-]+\.(?:ts|mjs|cjs|js|sh))`/g;
    const missing = docFiles().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(named)].map((match) => match[1]).filter((path) => !existsSync(join(REPO, path))).map((path) => `${relative(REPO, file)}: ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('every doc in docs/ is reachable from the README (directly or through another doc)', () => {
    const reached = new Set<string>([README]);
    const queue = [README];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const { target } of links(readFileSync(file, 'utf8'))) {
        const pathPart = target.split('#')[0];
        if (pathPart === '' || /^[a-z][a-z0-9+.-]*:/i.test(target) || !pathPart.endsWith('.md')) continue;
        const path = resolve(dirname(file), pathPart);
        if (existsSync(path) && !reached.has(path)) {
          reached.add(path);
          queue.push(path);
        }
      }
    }
    expect(docFiles().filter((file) => !reached.has(file)).map((file) => relative(REPO, file))).toEqual([]);
  });

  it('the link check catches a missing file, a missing heading and a link into the source', () => {
    const fake = join(DOCS, 'fake.md');
    const texts: Record<string, string> = {
      [fake]: [
        '# Fake',
        '[ok](fleet-file.md#every-key) [self](#fake) `[code](nowhere.md)`',
        '[gone](no-such-page.md) [bad anchor](fleet-file.md#no-such-heading) [source](../src/index.ts)',
        '```',
        '[in a fence](nowhere.md)',
        '```',
      ].join('\n'),
    };
    const problems = brokenLinks(fake, (path) => texts[path] ?? readFileSync(path, 'utf8'));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/docs\/fake\.md:3: "no-such-page\.md": no file docs\/no-such-page\.md/);
    expect(problems[1]).toMatch(/has no heading with anchor #no-such-heading/);
    expect(problems[2]).toMatch(/points at src\/index\.ts, which is not a doc/);
  });
});

/**
 * The reference's shorthands (docs/fleet-file.md, "How to read the tables"): a path under the first
 * prefix is documented under the second. Applied until none matches.
 */
const SHORTHANDS: readonly (readonly [string, string])[] = [
  ['defaults.', 'hosts[].'],
  ['hosts[].backend.', 'backend.'],
  ['interface.backend.', 'backend.'],
  ['store.backend.', 'backend.'],
];

function documentedAs(path: string): string {
  let current = path;
  for (let changed = true; changed; ) {
    changed = false;
    for (const [from, to] of SHORTHANDS) {
      if (current.startsWith(from)) {
        current = to + current.slice(from.length);
        changed = true;
      }
    }
  }
  return current;
}

/** A row of the reference: the key path, whether it says "yes" in Required, and the subsection it is in. */
interface DocumentedKey {
  readonly path: string;
  readonly required: boolean;
  readonly section: string;
  readonly line: number;
}

/** The rows of the "Every key" section of docs/fleet-file.md whose first cell is a key path in backticks. */
function documentedKeys(markdown: string): DocumentedKey[] {
  const rows: DocumentedKey[] = [];
  let inReference = false;
  let section = '';
  for (const { line, text } of proseLines(markdown)) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(text);
    if (heading !== null) {
      if (heading[1].length <= 2) inReference = heading[2].trim() === 'Every key';
      else section = heading[2].trim();
      continue;
    }
    if (!inReference) continue;
    const cells = tableCells(text);
    const path = cells === undefined ? undefined : /^`([^`]+)`$/.exec(cells[0])?.[1];
    if (cells === undefined || path === undefined) continue;
    rows.push({ path, required: /^yes\b/.test(cells[1] ?? ''), section, line });
  }
  return rows;
}

describe('docs/fleet-file.md against the fleet file schema (fleetFileSchema)', () => {
  const keys: SchemaKey[] = schemaKeys(fleetFileSchema as unknown as ZodLike);
  const doc = documentedKeys(readFileSync(FLEET_FILE_DOC, 'utf8'));
  const documented = new Map(doc.map((row) => [row.path, row]));

  it('reads a reference and a schema of a plausible size', () => {
    expect(keys.length).toBeGreaterThan(100);
    expect(doc.length).toBeGreaterThan(50);
    expect(keys.map((key) => key.path)).toContain('hosts[].docker.host');
  });

  it('documents every key path the schema accepts', () => {
    const missing = keys.filter((key) => !documented.has(documentedAs(key.path))).map((key) => `${key.path} (as ${documentedAs(key.path)})`);
    expect(missing, 'keys the schema accepts without a row in docs/fleet-file.md, "Every key"').toEqual([]);
  });

  it('documents no key the schema does not accept', () => {
    const accepted = new Set(keys.map((key) => documentedAs(key.path)));
    const unknown = doc.filter((row) => !accepted.has(row.path)).map((row) => `docs/fleet-file.md:${row.line}: ${row.path}`);
    expect(unknown, 'rows of docs/fleet-file.md naming keys the schema refuses').toEqual([]);
  });

  it('documents each key once', () => {
    const counts = new Map<string, number>();
    for (const row of doc) counts.set(row.path, (counts.get(row.path) ?? 0) + 1);
    expect([...counts].filter(([, count]) => count > 1).map(([path]) => path)).toEqual([]);
  });

  it('says "yes" under Required exactly for the keys the schema requires', () => {
    const required = new Map<string, boolean>();
    for (const key of keys) required.set(documentedAs(key.path), (required.get(documentedAs(key.path)) ?? false) || key.required);
    const wrong = doc
      .filter((row) => required.has(row.path) && required.get(row.path) !== row.required)
      .map((row) => `${row.path}: documented ${row.required ? 'required' : 'optional'}, the schema says ${required.get(row.path) ? 'required' : 'optional'}`);
    expect(wrong).toEqual([]);
  });

  it('its shorthands hold: defaults takes exactly the host settings, and every backend the same keys', () => {
    const paths = keys.map((key) => key.path);
    const under = (prefix: string) => paths.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length)).sort();
    // The keys of `defaults` are the settings: every host takes them too, and the reference lists
    // exactly them under "Host settings".
    const settings = new Set(under('defaults.').map((path) => path.split(/[.[]/)[0]));
    expect(under('defaults.').every((rest) => paths.includes(`hosts[].${rest}`))).toBe(true);
    for (const row of doc.filter((r) => r.path.startsWith('hosts[].'))) {
      const key = row.path.slice('hosts[].'.length).split(/[.[]/)[0];
      expect(`${row.path} under "${row.section}"`).toBe(`${row.path} under "${settings.has(key) ? 'Host settings' : 'Hosts'}"`);
    }
    const backend = under('hosts[].backend.');
    expect(backend.length).toBeGreaterThan(5);
    for (const prefix of ['defaults.backend.', 'interface.backend.', 'store.backend.']) expect(under(prefix), prefix).toEqual(backend);
  });

  it('the comparison catches a key added to the schema and a row for a key that does not exist', () => {
    const withNewKey = [...keys, { path: 'hosts[].exporters.newExporter.enabled', required: false }];
    expect(withNewKey.filter((key) => !documented.has(documentedAs(key.path))).map((key) => key.path)).toEqual(['hosts[].exporters.newExporter.enabled']);
    const accepted = new Set(keys.map((key) => documentedAs(key.path)));
    expect(accepted.has('hosts[].retentionDay')).toBe(false);
    expect(accepted.has('hosts[].retentionDays')).toBe(true);
  });
});
