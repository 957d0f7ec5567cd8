/**
 * The values of the keys set last, the oldest forgotten first: a bounded memo for work every host of
 * a fleet repeats with the same input (rendered files, PromQL expressions), which a synthesis of
 * thousands of hosts must not let grow without end.
 */
export class RecentValues<K, V> {
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

  public get(key: K): V | undefined {
    return this.values.get(key);
  }

  /** Keeps `value` under `key` (an entry heavier than the whole limit is not kept), forgetting the oldest entries to make room. */
  public set(key: K, value: V): void {
    const weight = this.weigh(key, value);
    if (weight > this.limit) return;
    this.forget(key);
    // A Map iterates in insertion order: the oldest entries first.
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
