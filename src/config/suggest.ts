/**
 * "Did you mean" for a misspelt key: the allowed key closest to what was written, when it is close
 * enough to be a typo (`credentails`, `retentionDay`, `Hosts`).
 */

/** Edit distance with adjacent transpositions counted as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/** The candidate `written` most likely meant, if one is within two edits (ignoring case); else undefined. */
export function closestKey(written: string, candidates: readonly string[]): string | undefined {
  // Long keys from an attacker or a pasted blob are not typos; do not spend time on them.
  if (written.length > 64) return undefined;
  let best: { key: string; distance: number } | undefined;
  for (const key of candidates) {
    const d = distance(written.toLowerCase(), key.toLowerCase());
    if (d <= Math.min(2, Math.floor(key.length / 3)) && (best === undefined || d < best.distance)) best = { key, distance: d };
  }
  return best?.key;
}
