/**
 * An episode's verdict says what is known, not what was merely not seen. A risk window decides it; without
 * one, CLEAN needs evidence: every termination finished (or, live, it is still in progress) and the routing
 * track of those pods was observed — EndpointSlices always, LB members where the service has them — with
 * no watcher gap over the episode. Anything less is `incomplete`, with the reason in plain words.
 */
import type { Severity } from "../rules/ids";
import type { EpochMs } from "../model/time";
import type { PodLane, RiskWindow, Verdict } from "./types";

export interface VerdictEvidence {
  /** The episode's pods. */
  readonly lanes: readonly PodLane[];
  /** How many of its terminations have not finished (pod not removed, container not restarted). */
  readonly unfinished: number;
  readonly namespace: string;
  readonly start: EpochMs;
  readonly end?: EpochMs;
  /** Every pod of the timeline: tells whether a service has LB members at all. */
  readonly allLanes: readonly PodLane[];
  /** Every window of the timeline: the `unobserved` ones are watcher gaps. */
  readonly windows: readonly RiskWindow[];
  /** See EngineOptions.live. */
  readonly live: boolean;
}

export interface VerdictResult {
  readonly verdict: Verdict;
  readonly reason?: string;
}

/** "these pods" when all of them, else "2 of 3 pods". */
function which(n: number, of: number): string {
  return n === of ? (of === 1 ? "this pod" : "these pods") : `${n} of ${of} pods`;
}

function lbServices(allLanes: readonly PodLane[], namespace: string): Set<string> {
  const out = new Set<string>();
  for (const l of allLanes) if (l.namespace === namespace) for (const m of l.lbMembers) if (m.service) out.add(m.service);
  return out;
}

export function verdictOf(counts: Readonly<Record<Severity, number>>, ev: VerdictEvidence): VerdictResult {
  if (counts.critical > 0) return { verdict: "critical" };
  if (counts.high > 0) return { verdict: "risky" };
  if (counts.medium > 0) return { verdict: "warning" };
  const n = ev.lanes.length;
  if (ev.unfinished > 0) {
    return ev.live
      ? { verdict: "in-progress", reason: `${which(ev.unfinished, n)} not finished yet` }
      : { verdict: "incomplete", reason: `the data ends before ${which(ev.unfinished, n)} finished terminating` };
  }
  const noSlices = ev.lanes.filter((l) => l.endpoints.length === 0).length;
  if (noSlices > 0) return { verdict: "incomplete", reason: `no EndpointSlice data for ${which(noSlices, n)}` };
  const withLb = lbServices(ev.allLanes, ev.namespace);
  const noLb = ev.lanes.filter((l) => l.lbMembers.length === 0 && l.services.some((s) => withLb.has(s))).length;
  if (noLb > 0) return { verdict: "incomplete", reason: `no load-balancer member data for ${which(noLb, n)}` };
  const end = ev.end ?? Infinity;
  const unseen = ev.windows.some((w) => w.rule === "unobserved" && (w.namespace === "" || w.namespace === ev.namespace) && w.start <= end && (w.end ?? Infinity) >= ev.start);
  if (unseen) return { verdict: "incomplete", reason: "the watcher was disconnected during this episode" };
  return { verdict: "clean" };
}

/** The verdict as people read it: "CLEAN", "IN PROGRESS: 2 of 3 pods not finished yet", … */
export function formatVerdict(verdict: Verdict, reason?: string): string {
  const word = verdict.replace("-", " ").toUpperCase();
  return reason ? `${word}: ${reason}` : word;
}
