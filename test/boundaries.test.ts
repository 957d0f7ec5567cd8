/**
 * The layers of the source, checked on its imports (the rules issue 19 asks a boundary checker for):
 * no import loop; config, renderers, the pure building blocks and the components' definitions load
 * no cdktf (type-only imports aside: they are erased); the library never imports the CLI. The
 * checker is shown to fail on a loop and on a cdktf import in a renderer added to the graph.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** One import: the file or package it names, and whether it is erased at compile time (`import type`). */
interface Edge {
  readonly to: string;
  readonly typeOnly: boolean;
}

/** Every .ts file under src/ and what it imports (relative imports resolved to files; packages by name). */
function importGraph(): Map<string, Edge[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) files.push(relative(ROOT, path).split('\\').join('/'));
    }
  };
  walk(join(ROOT, 'src'));
  const known = new Set(files);
  const graph = new Map<string, Edge[]>();
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const edges: Edge[] = [];
    for (const match of text.matchAll(pattern)) {
      const specifier = match[3] ?? match[4];
      const typeOnly = match[2] !== undefined;
      if (specifier.startsWith('.')) {
        const base = posix.normalize(posix.join(posix.dirname(file), specifier));
        const target = [`${base}.ts`, `${base}/index.ts`].find((candidate) => known.has(candidate));
        if (target) edges.push({ to: target, typeOnly });
      } else {
        edges.push({ to: specifier, typeOnly });
      }
    }
    graph.set(file, edges);
  }
  return graph;
}

/** The import loops of `graph` (strongly connected groups of more than one file, or a file importing itself). */
function loops(graph: Map<string, Edge[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    order.set(file, index);
    low.set(file, index++);
    stack.push(file);
    onStack.add(file);
    for (const { to } of graph.get(file) ?? []) {
      if (!graph.has(to)) continue;
      if (!order.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file)!, order.get(to)!));
      }
    }
    if (low.get(file) === order.get(file)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== file);
      if (group.length > 1 || (graph.get(file) ?? []).some((edge) => edge.to === file)) found.push(group.sort());
    }
  };
  for (const file of graph.keys()) if (!order.has(file)) visit(file);
  return found;
}

const CDKTF = /^(cdktf|constructs|@cdktf\/.+)(\/.*)?$/;

/** Files that must load no cdktf: config, renderers, pure building blocks, dashboards, components' definitions and settings. */
const PURE = /^src\/(config|render|core|dashboards|energy)\/|^src\/components\/(component|definition|alert|dashboards)\.ts$|^src\/components\/[^/]+\/(definition|dashboard|settings|floor|factors|delivery-alerts)\.ts$|^src\/(collector|hub|interface|fleet)\/[a-z-]*settings\.ts$/;

/** For each pure file, the chain of runtime imports by which it reaches cdktf, if any. */
function cdktfReached(graph: Map<string, Edge[]>): string[] {
  const problems: string[] = [];
  for (const file of graph.keys()) {
    if (!PURE.test(file)) continue;
    const seen = new Set<string>([file]);
    const queue: string[][] = [[file]];
    while (queue.length > 0) {
      const chain = queue.shift()!;
      for (const edge of graph.get(chain[chain.length - 1]) ?? []) {
        if (edge.typeOnly) continue;
        if (CDKTF.test(edge.to)) {
          problems.push([...chain, edge.to].join(' -> '));
          queue.length = 0;
          break;
        }
        if (graph.has(edge.to) && !seen.has(edge.to)) {
          seen.add(edge.to);
          queue.push([...chain, edge.to]);
        }
      }
    }
  }
  return problems;
}

/** Imports of the CLI from the library. */
function libraryToCli(graph: Map<string, Edge[]>): string[] {
  return [...graph].flatMap(([file, edges]) => (file.startsWith('src/cli/') ? [] : edges.filter((edge) => edge.to.startsWith('src/cli/')).map((edge) => `${file} -> ${edge.to}`)));
}

describe('the layers of src/', () => {
  const graph = importGraph();

  it('has no import loop', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(loops(graph)).toEqual([]);
  });

  it('config, renderers, pure building blocks and component definitions load no cdktf', () => {
    expect([...graph.keys()].filter((file) => PURE.test(file)).length).toBeGreaterThan(40);
    expect(cdktfReached(graph)).toEqual([]);
  });

  it('the library never imports the CLI', () => {
    expect(libraryToCli(graph)).toEqual([]);
  });

  it('the checks fail on a loop and on a cdktf import in a renderer', () => {
    const broken = new Map(graph);
    broken.set('src/core/names.ts', [...graph.get('src/core/names.ts')!, { to: 'src/config/spec.ts', typeOnly: false }]);
    broken.set('src/render/web-config.ts', [...graph.get('src/render/web-config.ts')!, { to: 'cdktf', typeOnly: false }]);
    broken.set('src/collector/collector.ts', [...graph.get('src/collector/collector.ts')!, { to: 'src/cli/options.ts', typeOnly: false }]);
    expect(loops(broken).length).toBeGreaterThan(0);
    expect(cdktfReached(broken)).toContain('src/render/web-config.ts -> cdktf');
    expect(libraryToCli(broken)).toEqual(['src/collector/collector.ts -> src/cli/options.ts']);
  });
});
