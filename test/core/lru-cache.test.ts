import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/core/lru-cache';

describe('LruCache', () => {
  it('keeps the values of the keys used last, forgetting the least recently used first, and a key set again is not counted twice', () => {
    const recent = new LruCache<string, number>(2);
    recent.set('a', 1);
    recent.set('b', 2);
    recent.set('b', 3);
    expect([recent.get('a'), recent.get('b')]).toEqual([1, 3]);
    recent.set('c', 4);
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual([undefined, 3, 4]);
  });

  it('a key read is kept over a key set after it', () => {
    const recent = new LruCache<string, number>(2);
    recent.set('a', 1);
    recent.set('b', 2);
    expect(recent.get('a')).toBe(1);
    recent.set('c', 3);
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual([1, undefined, 3]);
  });

  it('bounded by weight: forgets the least recently used until the new entry fits, and keeps nothing heavier than the limit', () => {
    const recent = new LruCache<string, string>(10, (key, value) => key.length + value.length);
    recent.set('a', 'xxxx'); // 5
    recent.set('b', 'yyyy'); // 10 in all
    recent.set('a', 'zz'); // a again: 3, the old 5 given back (8 in all)
    expect([recent.get('b'), recent.get('a')]).toEqual(['yyyy', 'zz']); // b, then a, read: b is the least recently used
    recent.set('c', 'wwww'); // 5: b is forgotten, 8 in all
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual(['zz', undefined, 'wwww']);
    recent.set('d', 'v'.repeat(10)); // 11: heavier than the limit, not kept, nothing forgotten
    expect([recent.get('a'), recent.get('c'), recent.get('d')]).toEqual(['zz', 'wwww', undefined]);
  });
});
