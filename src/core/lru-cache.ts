/**
 * A least-recently-used cache: the entries read or set last are kept, the one used longest ago
 * forgotten first. A bounded memo for work every host of a fleet repeats with the same input
 * (rendered files, PromQL expressions), which a synthesis of thousands of hosts must not let grow
 * without end.
 */
export class LruCache<K, V> {
  private readonly values = new Map<K, V>();
  private kept = 0;

  /**
   * @param limit how much is kept: the sum of `weigh` over the entries kept
   * @param weigh what one entry counts for against `limit` (@default 1: `limit` is a number of keys)
   */
  constructor(
    private readonly limit: number,
    private readonly weigh: (key: K, value: V) => number = () => 1,
  ) {}

  /** The value under `key`, which becomes the most recently used. */
  public get(key: K): V | undefined {
    const value = this.values.get(key);
    if (value !== undefined) {
      // A Map iterates in insertion order: inserted again, the entry is the last to be forgotten.
      this.values.delete(key);
      this.values.set(key, value);
    }
    return value;
  }

  /** Keeps `value` under `key` (an entry heavier than the whole limit is not kept), forgetting the oldest entries to make room. */
  public set(key: K, value: V): void {
    const weight = this.weigh(key, value);
    if (weight > this.limit) return;
    this.forget(key);
    // A Map iterates in insertion order: the least recently used entries first.
    for (const oldKey of this.values.keys()) {
      if (this.kept + weight <= this.limit) break;
      this.forget(oldKey);
    }
    this.values.set(key, value);
    this.kept += weight;
  }

  private forget(key: K): void {
    if (!this.values.has(key)) return;
    this.kept -= this.weigh(key, this.values.get(key) as V);
    this.values.delete(key);
  }
}
