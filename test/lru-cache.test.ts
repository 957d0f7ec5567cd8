import { describe, expect, it } from 'vitest';
import { RecentValues } from '../src/core/lru-cache';

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

  it('bounded by weight: forgets the oldest until the new entry fits, and keeps nothing heavier than the limit', () => {
    const recent = new RecentValues<string, string>(10, (key, value) => key.length + value.length);
    recent.set('a', 'xxxx'); // 5
    recent.set('b', 'yyyy'); // 10 in all
    recent.set('a', 'zz'); // a again: 3, the old 5 given back (8 in all)
    expect([recent.get('a'), recent.get('b')]).toEqual(['zz', 'yyyy']);
    recent.set('c', 'wwww'); // 5: b (the oldest now) is forgotten, 8 in all
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual(['zz', undefined, 'wwww']);
    recent.set('d', 'v'.repeat(10)); // 11: heavier than the limit, not kept, nothing forgotten
    expect([recent.get('a'), recent.get('c'), recent.get('d')]).toEqual(['zz', 'wwww', undefined]);
  });
});
