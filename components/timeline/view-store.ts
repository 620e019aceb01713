/**
 * The visible time window changes at frame rate while zooming or panning. It lives in this small store,
 * outside React state, so the canvas redraws without re-rendering the page; React readers subscribe.
 */
import type { TimeWindow } from "@/lib/view/time-scale";

export interface ViewStore {
  get(): TimeWindow;
  set(w: TimeWindow): void;
  subscribe(cb: () => void): () => void;
}

export function createViewStore(initial: TimeWindow): ViewStore {
  let current = initial;
  const subs = new Set<() => void>();
  return {
    get: () => current,
    set(w) {
      if (w.start === current.start && w.end === current.end) return;
      current = w;
      for (const s of subs) s();
    },
    subscribe(cb) {
      subs.add(cb);
      return () => subs.delete(cb);
    },
  };
}
