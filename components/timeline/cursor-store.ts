/**
 * The crosshair: the time under the pointer in the swimlane or any service chart, shared by all of them
 * at pointer rate outside React state (each reader draws its line directly).
 */
import type { EpochMs } from "@/lib/model/time";

export interface CursorStore {
  get(): EpochMs | undefined;
  set(t: EpochMs | undefined): void;
  subscribe(cb: () => void): () => void;
}

export function createCursorStore(): CursorStore {
  let current: EpochMs | undefined;
  const subs = new Set<() => void>();
  return {
    get: () => current,
    set(t) {
      if (t === current) return;
      current = t;
      for (const s of subs) s();
    },
    subscribe(cb) {
      subs.add(cb);
      return () => subs.delete(cb);
    },
  };
}
