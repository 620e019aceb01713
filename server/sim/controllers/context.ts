/** What every simulated control-plane component gets: the store, the virtual clock, randomness, events. */
import type { SimClock, TimerId } from "../core/clock";
import type { Rng } from "../core/rng";
import type { ObjectStore } from "../api/store";
import type { EventRecorder } from "./event-recorder";

export interface ControllerContext {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly rng: Rng;
  readonly events: EventRecorder;
}

/**
 * Coalesces work per key, like a controller's work queue: any number of triggers before the sync runs
 * cause one sync. The delay models the controller's reaction time (virtual ms).
 */
export class WorkQueue {
  private readonly pending = new Map<string, TimerId>();

  constructor(
    private readonly clock: SimClock,
    private readonly delayMs: () => number,
    private readonly sync: (key: string) => void,
  ) {}

  add(key: string): void {
    if (this.pending.has(key)) return;
    this.pending.set(
      key,
      this.clock.setTimer(this.delayMs(), () => {
        this.pending.delete(key);
        this.sync(key);
      }),
    );
  }

  stop(): void {
    for (const id of this.pending.values()) this.clock.clearTimer(id);
    this.pending.clear();
  }
}

export function nsName(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}
