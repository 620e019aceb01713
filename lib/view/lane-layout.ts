/**
 * Rows of the swimlane: workload → revision → pod, each pod followed by its endpoint and LB sub-lanes.
 * Pure and computed once per data change; drawing and hit testing then find the visible rows by binary
 * search, so 1,000+ pods cost only what is on screen (style.md habit 8).
 */
import type { PodLane } from "../engine/types";
import type { EpochMs } from "../model/time";
import { groupReplacements, type ReplacementGroup } from "./replacement-lanes";

/** `summary`: an episode's replacement pods of one revision, collapsed to one lane (two lines of text). */
export const ROW_HEIGHT = { workload: 22, revision: 18, pod: 18, sub: 8, summary: 30 } as const;
/** Few pods get taller rows: the same encoding, easier to read and to click. */
export const ROOMY_ROW_HEIGHT = { workload: 24, revision: 20, pod: 28, sub: 12, summary: 34 } as const;
export const ROOMY_MAX_PODS = 24;

export type Row =
  | { readonly kind: "workload"; readonly y: number; readonly h: number; readonly label: string; readonly count: number }
  | { readonly kind: "revision"; readonly y: number; readonly h: number; readonly label: string; readonly count: number }
  | { readonly kind: "pod"; readonly y: number; readonly h: number; readonly lane: PodLane; readonly pinned: boolean }
  | { readonly kind: "endpoint"; readonly y: number; readonly h: number; readonly lane: PodLane; readonly index: number }
  | { readonly kind: "lb"; readonly y: number; readonly h: number; readonly lane: PodLane; readonly index: number }
  | { readonly kind: "summary"; readonly y: number; readonly h: number; readonly group: ReplacementGroup; readonly expanded: boolean };

/** Rows that stand for one pod (its bar or one of its sub-lanes). */
export type PodRow = Extract<Row, { readonly lane: PodLane }>;

export function isPodRow(r: Row | undefined): r is PodRow {
  return r !== undefined && (r.kind === "pod" || r.kind === "endpoint" || r.kind === "lb");
}

/** An episode's replacement pods: grouped into collapsed summary lanes, those in `expanded` opened. */
export interface ReplacementLayout {
  readonly uids: ReadonlySet<string>;
  /** Summary keys (`rev:<workload>:<revision>`) shown expanded: their pods get lanes of their own. */
  readonly expanded: ReadonlySet<string>;
  /** The episode's first delete: T+0 of the summaries' "all ready by T+…". */
  readonly t0?: EpochMs;
}

export interface LaneLayout {
  readonly rows: readonly Row[];
  readonly height: number;
  /** Vertical extent of each pod's rows (bar + sub-lanes), by uid: risk bands cover it. */
  readonly podSpans: ReadonlyMap<string, { readonly top: number; readonly bottom: number; readonly row: number }>;
  /** Pod uids in drawing order (keyboard navigation walks it). */
  readonly podOrder: readonly string[];
}

function podSortKey(l: PodLane): number {
  return l.keyTimes.deleteRequested?.at ?? l.keyTimes.killing?.at ?? l.keyTimes.created?.at ?? l.phases[0]?.start ?? 0;
}

function revisionRank(r: string): number {
  const n = Number(r);
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/**
 * `keepOrder` (follow mode): pods already on screen keep their previous relative order (a pod's sort key
 * changes when its delete arrives), and pods that are new sort after them in their revision, so live data
 * never reorders what the user is looking at.
 */
export function layoutLanes(lanes: readonly PodLane[], pinned: readonly string[] = [], keepOrder?: readonly string[], replacements?: ReplacementLayout): LaneLayout {
  const pinSet = new Set(pinned);
  // Replacements of the episode (not pinned) go to their revision's summary lane, not a revision group.
  const groups = replacements ? groupReplacements(lanes.filter((l) => !pinSet.has(l.uid)), replacements.uids, replacements.t0) : [];
  const grouped = new Set(groups.flatMap((g) => g.lanes.map((l) => l.uid)));
  const collapsed = groups.reduce((n, g) => n + (replacements?.expanded.has(g.key) ? 0 : g.lanes.length), 0);
  const H = lanes.length - collapsed <= ROOMY_MAX_PODS ? ROOMY_ROW_HEIGHT : ROW_HEIGHT;
  const rows: Row[] = [];
  const podSpans = new Map<string, { top: number; bottom: number; row: number }>();
  const podOrder: string[] = [];
  let y = 0;
  const pushPod = (lane: PodLane, isPinned: boolean) => {
    const top = y;
    const row = rows.length;
    rows.push({ kind: "pod", y, h: H.pod, lane, pinned: isPinned });
    y += H.pod;
    lane.endpoints.forEach((_, index) => {
      rows.push({ kind: "endpoint", y, h: H.sub, lane, index });
      y += H.sub;
    });
    lane.lbMembers.forEach((_, index) => {
      rows.push({ kind: "lb", y, h: H.sub, lane, index });
      y += H.sub;
    });
    y += 2; // breathing space between pods
    if (!podSpans.has(lane.uid)) podSpans.set(lane.uid, { top, bottom: y - 2, row });
    podOrder.push(lane.uid);
  };

  const rank = keepOrder ? new Map(keepOrder.map((uid, i) => [uid, i])) : undefined;
  const rankOf = (l: PodLane) => rank?.get(l.uid) ?? Number.MAX_SAFE_INTEGER;
  const pinnedLanes = lanes.filter((l) => pinSet.has(l.uid));
  if (pinnedLanes.length > 0) {
    rows.push({ kind: "workload", y, h: H.workload, label: "Pinned", count: pinnedLanes.length });
    y += H.workload;
    for (const l of pinnedLanes) pushPod(l, true);
  }

  const byWorkload = new Map<string, Map<string, PodLane[]>>();
  const summaries = new Map<string, ReplacementGroup[]>();
  for (const g of groups) {
    const wk = `${g.namespace}/${g.workload}`;
    summaries.set(wk, [...(summaries.get(wk) ?? []), g]);
    if (!byWorkload.has(wk)) byWorkload.set(wk, new Map());
  }
  for (const l of lanes) {
    if (pinSet.has(l.uid) || grouped.has(l.uid)) continue;
    const wk = `${l.namespace}/${l.workload}`;
    const revs = byWorkload.get(wk) ?? new Map<string, PodLane[]>();
    byWorkload.set(wk, revs);
    const rev = l.revision ?? l.replicaSet ?? "—";
    const list = revs.get(rev) ?? [];
    revs.set(rev, list);
    list.push(l);
  }
  for (const wk of [...byWorkload.keys()].sort()) {
    const revs = byWorkload.get(wk);
    if (!revs) continue;
    const mine = summaries.get(wk) ?? [];
    let count = 0;
    for (const l of revs.values()) count += l.length;
    for (const g of mine) count += g.lanes.length;
    const first = revs.values().next().value?.[0] ?? mine[0]?.lanes[0];
    rows.push({ kind: "workload", y, h: H.workload, label: `${wk}${first ? ` (${first.workloadKind})` : ""}`, count });
    y += H.workload;
    // Replacement summaries first, right under the workload: in view on opening however many pods left.
    for (const g of mine) {
      const expanded = replacements?.expanded.has(g.key) ?? false;
      rows.push({ kind: "summary", y, h: H.summary, group: g, expanded });
      y += H.summary;
      if (expanded) for (const l of g.lanes) pushPod(l, false);
    }
    for (const rev of [...revs.keys()].sort((a, b) => revisionRank(a) - revisionRank(b) || a.localeCompare(b))) {
      const list = (revs.get(rev) ?? []).slice().sort((a, b) => rankOf(a) - rankOf(b) || podSortKey(a) - podSortKey(b) || a.name.localeCompare(b.name));
      const rs = list[0]?.replicaSet;
      rows.push({ kind: "revision", y, h: H.revision, label: `revision ${rev}${rs && rs !== rev ? ` · ${rs}` : ""}`, count: list.length });
      y += H.revision;
      for (const l of list) pushPod(l, false);
    }
  }
  return { rows, height: y, podSpans, podOrder };
}

/** Index of the first row whose bottom is below `y` (binary search). */
export function firstRowBelow(rows: readonly Row[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid];
    if (r && r.y + r.h <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows intersecting [top, top + height): the only ones drawn. */
export function visibleRows(rows: readonly Row[], top: number, height: number): { readonly from: number; readonly to: number } {
  const from = firstRowBelow(rows, top);
  let to = from;
  while (to < rows.length && (rows[to]?.y ?? Infinity) < top + height) to++;
  return { from, to };
}

/** The row under content coordinate `y`, if any. */
export function rowAt(rows: readonly Row[], y: number): Row | undefined {
  const i = firstRowBelow(rows, y);
  const r = rows[i];
  return r && r.y <= y && y < r.y + r.h ? r : undefined;
}
