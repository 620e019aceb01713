/**
 * The replacements of an episode: pods of the terminated pods' workloads (same namespace and owner) that
 * the controller created to take their place, so a view can answer "was the new pod ready before the old
 * one left?". They are
 * - pods created while the episode ran (its first termination to its end), whatever their revision, and
 * - the surge: pods of another revision than every terminated pod's, created up to SURGE_LEAD_MS before
 *   the first termination and still alive then (maxSurge creates and readies them before any delete).
 * Pods of the episode itself are never its replacements.
 */
import type { PodLane } from "./types";

/** How long before its first delete a rollout may have created (and readied) its surge pods. */
export const SURGE_LEAD_MS = 600_000;

export interface EpisodeSpan {
  readonly start: number;
  /** The episode's end; open episodes pass their last termination plus the grouping gap. */
  readonly until: number;
}

function createdAt(l: PodLane): number | undefined {
  return l.keyTimes.created?.at ?? l.phases[0]?.start;
}

export function replacementsOf(terminated: readonly PodLane[], span: EpisodeSpan, lanes: readonly PodLane[]): string[] {
  const mine = new Set(terminated.map((l) => l.uid));
  const revisions = new Map<string, Set<string | undefined>>();
  for (const l of terminated) {
    const k = `${l.namespace}/${l.workload}`;
    const set = revisions.get(k) ?? new Set<string | undefined>();
    set.add(l.revision);
    revisions.set(k, set);
  }
  const out: string[] = [];
  for (const l of lanes) {
    const old = revisions.get(`${l.namespace}/${l.workload}`);
    if (!old || mine.has(l.uid)) continue;
    const born = createdAt(l);
    if (born === undefined || born > span.until) continue;
    if (born >= span.start) {
      out.push(l.uid);
      continue;
    }
    const gone = l.keyTimes.deleteRequested?.at ?? l.keyTimes.killing?.at ?? l.keyTimes.removed?.at;
    const surge = l.revision !== undefined && !old.has(l.revision) && born >= span.start - SURGE_LEAD_MS && (gone === undefined || gone >= span.start);
    if (surge) out.push(l.uid);
  }
  return out;
}
