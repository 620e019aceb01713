/**
 * Follow mode keeps the newest activity on screen: the pod whose latest observed moment (created, ready,
 * delete, Killing, exit, removal) is the most recent. The page scrolls it into view when it changes.
 */
import type { PodLane } from "../engine/types";

export function lastActivity(l: PodLane): number {
  const k = l.keyTimes;
  let t = -Infinity;
  for (const e of [k.created, k.firstReady, k.deleteRequested, k.killing, k.exited, k.removed]) if (e && e.at > t) t = e.at;
  for (const p of l.phases) if (p.start > t) t = p.start;
  return t;
}

/** The uid of the lane with the newest activity (the first of equals), or undefined for no lanes. */
export function newestActivePod(lanes: readonly PodLane[]): string | undefined {
  let best: PodLane | undefined;
  let bestAt = -Infinity;
  for (const l of lanes) {
    const at = lastActivity(l);
    if (at > bestAt) {
      best = l;
      bestAt = at;
    }
  }
  return best?.uid;
}
