/**
 * The values of the last `limit` keys set, the oldest forgotten first: a bounded memo for work every
 * host of a fleet repeats with the same input (rule files, PromQL expressions), which a synthesis of
 * thousands of hosts must not let grow without end.
 */
export class RecentValues<K, V> {
  private readonly values = new Map<K, V>();

  /** @param limit how many keys are kept */
  constructor(private readonly limit: number) {}

  public get(key: K): V | undefined {
    return this.values.get(key);
  }

  public set(key: K, value: V): void {
    // A Map iterates in insertion order: its first key is the oldest.
    if (!this.values.has(key) && this.values.size >= this.limit) this.values.delete(this.values.keys().next().value as K);
    this.values.set(key, value);
  }
}
