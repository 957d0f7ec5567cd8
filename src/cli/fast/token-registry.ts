/**
 * cdktf keeps every token it makes in one process-wide map (`global.__cdktfTokenMap`), so that a
 * token embedded in a string can be found again at resolution, and it never removes one: each
 * token holds what it resolves from (a Lazy holds its construct), so a process that synthesizes a
 * large fleet chunk after chunk would still hold every chunk's constructs. Once a chunk's cdktf App
 * is written, nothing reads its tokens again (the next chunk is another App that builds its own):
 * {@link forgettingTokens} drops the tokens made meanwhile, and memory holds one chunk at a time
 * ({@link collectGarbage} then makes it so).
 * Tokens that existed before (made as modules loaded) are kept. A token dropped too early would
 * not be silently wrong: cdktf throws "Unrecognized token key" when it cannot find one.
 */

import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The two maps of cdktf 0.21's TokenMap (tokens/private/token-map.js) this module touches. */
interface TokenMapMaps {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

function tokenMap(): TokenMapMaps | undefined {
  const map = (globalThis as { __cdktfTokenMap?: Partial<TokenMapMaps> }).__cdktfTokenMap;
  return map?.stringTokenMap instanceof Map && map.numberTokenMap instanceof Map ? (map as TokenMapMaps) : undefined;
}

/** Runs `write` (which builds and writes one cdktf App), then forgets the tokens it made. */
export function forgettingTokens<T>(write: () => T): T {
  const before = tokenMap();
  const kept = { strings: new Set(before?.stringTokenMap.keys()), numbers: new Set(before?.numberTokenMap.keys()) };
  try {
    return write();
  } finally {
    const after = tokenMap();
    if (after) {
      for (const key of after.stringTokenMap.keys()) if (!kept.strings.has(key)) after.stringTokenMap.delete(key);
      for (const key of after.numberTokenMap.keys()) if (!kept.numbers.has(key)) after.numberTokenMap.delete(key);
    }
  }
}

let fullGc: (() => void) | undefined;

/**
 * A full garbage collection. Between two chunks almost all of the heap is garbage, but V8, given
 * gigabytes on this machine, lets it grow for a long time before it collects: collecting after each
 * chunk keeps the peak near one chunk's worth instead of many (about 40 ms per 100 collectors).
 */
export function collectGarbage(): void {
  if (!fullGc) {
    setFlagsFromString('--expose-gc');
    fullGc = runInNewContext('gc') as () => void;
    // The function stays usable; the flag goes back so that V8's flag hash is the one the process
    // started with. A code cache made under other flags is rejected: the bundle's cache, written at
    // exit (stacks/cached-load.ts), would be refused and written anew by every run.
    setFlagsFromString('--no-expose-gc');
  }
  fullGc();
}

/** A full garbage collection ({@link collectGarbage}) if the heap in use is above `megabytes`. */
export function collectGarbageAbove(megabytes: number): void {
  if (getHeapStatistics().used_heap_size > megabytes * 1_000_000) collectGarbage();
}
