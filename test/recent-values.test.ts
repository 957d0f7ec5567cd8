import { describe, expect, it } from 'vitest';
import { RecentValues } from '../src/recent-values';

describe('RecentValues', () => {
  it('keeps the values of the last keys set, forgetting the oldest first, and a key set again is not counted twice', () => {
    const recent = new RecentValues<string, number>(2);
    recent.set('a', 1);
    recent.set('b', 2);
    recent.set('b', 3);
    expect([recent.get('a'), recent.get('b')]).toEqual([1, 3]);
    recent.set('c', 4);
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual([undefined, 3, 4]);
  });
});
