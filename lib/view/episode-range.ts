/**
 * The range an episode view opens on: its activity, not a fixed padding. From the first termination
 * (delete request, or Killing) to the last thing that happened to it: its end (the last pod removed), the
 * end of each risk window that began during it, the last endpoint or LB membership change of its pods, and
 * the moment each replacement pod became ready. A small margin either side (ACTIVITY_MARGIN) keeps the
 * first and last markers off the edges. Open intervals count as lasting until `now`.
 */
import type { Episode, PodLane, RiskWindow } from "../engine/types";
import type { EpochMs } from "../model/time";

/** Each side: 4 % of the activity's span, at least 1 s (markers a few pixels in from the edges). */
export const ACTIVITY_MARGIN = { fraction: 0.04, minMs: 1_000 } as const;

export interface EpisodeActivity {
  /** The episode: its start and (for a finished one) end. */
  readonly episode: Pick<Episode, "start" | "end">;
  /** Its terminated pods. */
  readonly pods: readonly PodLane[];
  /** Its replacement pods: their readiness is part of the story. */
  readonly replacements: readonly PodLane[];
  /** The view's windows; those that began during the episode extend it to their end. */
  readonly windows: readonly RiskWindow[];
  readonly now: EpochMs;
}

function lastMembershipChange(l: PodLane, now: EpochMs): number {
  let last = -Infinity;
  for (const track of [...l.endpoints, ...l.lbMembers]) {
    for (const i of track.intervals) last = Math.max(last, i.start, i.end ?? now);
  }
  return last;
}

export function episodeActivityRange(a: EpisodeActivity): { readonly from: EpochMs; readonly to: EpochMs } {
  const start = a.episode.start;
  const end = a.episode.end ?? a.now;
  let last = end;
  for (const w of a.windows) if (w.start >= start && w.start <= end) last = Math.max(last, w.end ?? a.now);
  for (const l of a.pods) last = Math.max(last, Math.min(lastMembershipChange(l, a.now), a.now));
  for (const l of a.replacements) {
    const ready = l.keyTimes.firstReady?.at;
    if (ready !== undefined && ready <= a.now) last = Math.max(last, ready);
  }
  const margin = Math.max(ACTIVITY_MARGIN.minMs, (last - start) * ACTIVITY_MARGIN.fraction);
  return { from: Math.round(start - margin), to: Math.round(last + margin) };
}
