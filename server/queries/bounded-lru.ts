/**
 * A least-recently-used map bounded twice: by entry count and by a total weight (text size, events, …)
 * that each entry reports. Used by the engine-result and timeline-body caches, which differ only in what
 * they weigh.
 */
export class BoundedLru<V> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly entries = new Map<string, V>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number,
    private readonly weigh: (v: V) => number,
  ) {}

  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  /** Keeps `v` under `key` (replacing what was there) unless it alone outweighs the whole budget. */
  set(key: string, v: V): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.total -= this.weigh(old);
    }
    const w = this.weigh(v);
    if (w > this.maxWeight) return; // bigger than the whole budget: not kept
    this.entries.set(key, v);
    this.total += w;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.total <= this.maxWeight) break;
      this.entries.delete(k);
      this.total -= this.weigh(e);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
