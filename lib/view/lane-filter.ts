/**
 * Which pod lanes the swimlane shows: a name search, a node, only lanes a risk window names, and lanes
 * idle in the visible range hidden (with a count, so nothing disappears silently). Pure; applied before
 * the lane layout, so the layout, keys and hit testing only ever see the shown lanes.
 */
import type { PodLane } from "../engine/types";
import type { EpochMs } from "../model/time";
import { podMarkers } from "./markers";
import type { TimeWindow } from "./time-scale";

export interface LaneFilter {
  /** Substring of the pod name, case-insensitive. */
  readonly search?: string;
  /** Exact node name. */
  readonly node?: string;
  /** Only pods some risk window names. */
  readonly riskOnly?: boolean;
  /** Hide pods with no change inside the visible window. */
  readonly hideIdle?: boolean;
}

export interface FilteredLanes {
  readonly lanes: readonly PodLane[];
  /** Lanes hidden because they were idle in the window (after the other filters). */
  readonly idleHidden: number;
  /** Lanes hidden by the search, node or risk filters. */
  readonly filteredOut: number;
}

/** What the filters need of a risk window (ViewRiskWindow has it). */
export interface RiskSpan {
  readonly podUids: readonly string[];
  readonly startMs: EpochMs;
  readonly endMs?: EpochMs;
}

/**
 * True when anything about the lane changes at a time inside `w` (ends included): a phase, marker,
 * endpoint or LB interval edge, a restart, or the edge of a risk window naming the pod (its band starts
 * or ends there).
 */
export function laneChangesIn(lane: PodLane, w: TimeWindow, risks: readonly RiskSpan[] = []): boolean {
  const inside = (t: EpochMs | undefined) => t !== undefined && t >= w.start && t <= w.end;
  for (const r of risks) if (r.podUids.includes(lane.uid) && (inside(r.startMs) || inside(r.endMs))) return true;
  for (const p of lane.phases) if (inside(p.start) || inside(p.end)) return true;
  for (const m of podMarkers(lane)) if (inside(m.at)) return true;
  for (const e of lane.endpoints) for (const i of e.intervals) if (inside(i.start) || inside(i.end)) return true;
  for (const b of lane.lbMembers) for (const i of b.intervals) if (inside(i.start) || inside(i.end)) return true;
  for (const r of lane.restarts) if (inside(r.killing.at) || inside(r.restartedAt)) return true;
  return false;
}

/** The nodes of the lanes, sorted (for the node filter's choices). */
export function laneNodes(lanes: readonly PodLane[]): string[] {
  return [...new Set(lanes.flatMap((l) => (l.node ? [l.node] : [])))].sort();
}

/**
 * `risks`: the view's risk windows ("only lanes with risk" keeps the pods they name). `keep`: pods never
 * hidden as idle (pinned, selected): the user asked for them.
 */
export function filterLanes(lanes: readonly PodLane[], f: LaneFilter, risks: readonly RiskSpan[], window: TimeWindow, keep: ReadonlySet<string> = new Set()): FilteredLanes {
  const riskyUids = new Set(risks.flatMap((r) => r.podUids));
  const needle = f.search?.trim().toLowerCase() ?? "";
  const matched = lanes.filter((l) => (needle === "" || l.name.toLowerCase().includes(needle)) && (f.node === undefined || l.node === f.node) && (!f.riskOnly || riskyUids.has(l.uid)));
  if (!f.hideIdle) return { lanes: matched, idleHidden: 0, filteredOut: lanes.length - matched.length };
  const shown = matched.filter((l) => keep.has(l.uid) || laneChangesIn(l, window, risks));
  return { lanes: shown, idleHidden: matched.length - shown.length, filteredOut: lanes.length - matched.length };
}
