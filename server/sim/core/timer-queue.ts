/**
 * A min-heap of timers keyed by (due time, insertion order). Both clock drivers share it, so timers
 * always fire in virtual-time order — never in the order the host's setTimeout happens to wake them.
 */
export type TimerId = number;

interface TimerEntry {
  readonly id: TimerId;
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class TimerQueue {
  private readonly heap: TimerEntry[] = [];
  private readonly live = new Set<TimerId>();
  private nextId = 1;
  private seq = 0;

  get size(): number {
    return this.live.size;
  }

  add(due: number, fn: () => void): TimerId {
    const id = this.nextId++;
    this.push({ id, due, seq: this.seq++, fn });
    this.live.add(id);
    return id;
  }

  cancel(id: TimerId): void {
    this.live.delete(id);
  }

  clear(): void {
    this.heap.length = 0;
    this.live.clear();
  }

  /** Due time of the earliest live timer, if any. */
  peekDue(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.due;
  }

  /** Remove and return the earliest live timer if it is due at or before `horizon`. */
  popDue(horizon: number): { due: number; fn: () => void } | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top || top.due > horizon) return undefined;
    this.pop();
    this.live.delete(top.id);
    return { due: top.due, fn: top.fn };
  }

  private dropCancelled(): void {
    while (this.heap.length > 0) {
      const top = this.heap[0];
      if (top && this.live.has(top.id)) return;
      this.pop();
    }
  }

  private less(a: TimerEntry, b: TimerEntry): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(e: TimerEntry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p];
      if (!parent || !this.less(e, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = e;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = last;
      let bestIdx = -1;
      const left = h[l];
      const right = h[r];
      if (left && this.less(left, best)) {
        best = left;
        bestIdx = l;
      }
      if (right && this.less(right, best)) {
        best = right;
        bestIdx = r;
      }
      if (bestIdx === -1) break;
      h[i] = best;
      i = bestIdx;
    }
    h[i] = last;
  }
}
