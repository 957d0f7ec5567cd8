import { Document, isMap, isScalar, LineCounter, Node } from 'yaml';

/**
 * Maps a field path (from zod or the cross-field checks) to a line and column of the YAML source,
 * using the ranges `yaml` keeps on every node.
 */

/** 1-based position. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

function positionOf(node: Node | null | undefined, lines: LineCounter): Position | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/**
 * Where `path` is in `doc`: the node itself, or for a missing field its nearest existing parent.
 * With `key`, the position of that key inside the mapping at `path` (for unknown keys).
 */
export function locate(doc: Document, lines: LineCounter, path: readonly PropertyKey[], key?: string): Position | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? doc.contents : (doc.getIn(path.slice(0, length) as unknown[], true) as Node | undefined);
    if (node === undefined || node === null) continue;
    if (key !== undefined && length === path.length && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      if (pair && isScalar(pair.key)) return positionOf(pair.key, lines);
    }
    return positionOf(node, lines) ?? { line: 1, column: 1 };
  }
  return undefined;
}
