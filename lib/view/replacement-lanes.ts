/**
 * An episode's replacement pods (engine: episode.replacementUids) as the swimlane shows them: one summary
 * lane per workload revision, collapsed by default, labelled "web · rev 6d4f… · 3 new pods" and "all
 * ready by T+4.1 s" (T+0: the episode's first delete), and drawn as a step band of how many of them are
 * up and how many ready over time, so "was the new pod ready before the old one left?" reads at a glance.
 * Pure: computed with the lane layout, once per data change.
 */
import type { PodLane } from "../engine/types";
import type { EpochMs } from "../model/time";
import { formatDuration } from "./format";

/** After this change at `t`: replacement pods that exist (created, not yet removed) and that are ready. */
export interface ReadyStep {
  readonly t: EpochMs;
  readonly alive: number;
  readonly ready: number;
}

export interface ReplacementGroup {
  /** Its key in the URL's `expand` list: `rev:<workload>:<revision>`. */
  readonly key: string;
  readonly namespace: string;
  readonly workload: string;
  readonly revision: string;
  /** Its pods, oldest first. */
  readonly lanes: readonly PodLane[];
  /** Pods that became ready, and when the last of them did (undefined until all have). */
  readonly readyCount: number;
  readonly allReadyAt?: EpochMs;
  readonly steps: readonly ReadyStep[];
  /** "web · rev 6d4f… · 3 new pods" */
  readonly label: string;
  /** "all ready by T+4.1 s", "2 of 3 ready (last T+3.0 s)", "none ready yet". */
  readonly detail: string;
}

const revisionOf = (l: Pick<PodLane, "revision" | "replicaSet">): string => l.revision ?? l.replicaSet ?? "—";

export function replacementKey(workload: string, revision: string): string {
  return `rev:${workload}:${revision}`;
}

/** The key of the summary lane a replacement pod is drawn in. */
export function replacementKeyOf(l: Pick<PodLane, "workload" | "revision" | "replicaSet">): string {
  return replacementKey(l.workload, l.revision ?? l.replicaSet ?? "—");
}

/** A pod-template hash shortened to 4 characters ("6d4f…"); a revision number as it is. */
export function shortRevision(r: string): string {
  return r.length > 6 ? `${r.slice(0, 4)}…` : r;
}

/** Time relative to T0 (the episode's first delete): "T+4.1 s", "T−2.0 s", "T+1 m 05 s". */
export function relativeTime(t: EpochMs, t0: EpochMs): string {
  const d = t - t0;
  const sign = d < 0 ? "−" : "+";
  const abs = Math.abs(d);
  return `T${sign}${abs < 60_000 ? `${(abs / 1000).toFixed(1)} s` : formatDuration(abs)}`;
}

/** Counts of replacement pods up and ready after each change, in time order (one step per distinct time). */
export function readySteps(lanes: readonly PodLane[]): ReadyStep[] {
  const deltas = new Map<number, { alive: number; ready: number }>();
  const bump = (t: number, alive: number, ready: number) => {
    const d = deltas.get(t) ?? { alive: 0, ready: 0 };
    deltas.set(t, { alive: d.alive + alive, ready: d.ready + ready });
  };
  for (const l of lanes) {
    const born = l.keyTimes.created?.at ?? l.phases[0]?.start;
    if (born !== undefined) bump(born, 1, 0);
    if (born !== undefined && l.keyTimes.removed) bump(Math.max(born, l.keyTimes.removed.at), -1, 0);
    for (const ph of l.phases) {
      if (ph.kind !== "serving") continue;
      bump(ph.start, 0, 1);
      if (ph.end !== undefined) bump(ph.end, 0, -1);
    }
  }
  let alive = 0;
  let ready = 0;
  const out: ReadyStep[] = [];
  for (const t of [...deltas.keys()].sort((a, b) => a - b)) {
    const d = deltas.get(t);
    if (!d) continue;
    alive += d.alive;
    ready += d.ready;
    out.push({ t, alive, ready });
  }
  return out;
}

function detailOf(lanes: readonly PodLane[], t0: EpochMs | undefined): { detail: string; readyCount: number; allReadyAt?: EpochMs } {
  const readyTimes = lanes.map((l) => l.keyTimes.firstReady?.at).filter((t): t is number => t !== undefined);
  const last = readyTimes.length ? Math.max(...readyTimes) : undefined;
  const when = (t: number) => (t0 !== undefined ? relativeTime(t, t0) : new Date(t).toISOString().slice(11, 23));
  if (last === undefined) return { detail: "none ready yet", readyCount: 0 };
  if (readyTimes.length === lanes.length) return { detail: `all ready by ${when(last)}`, readyCount: readyTimes.length, allReadyAt: last };
  return { detail: `${readyTimes.length} of ${lanes.length} ready (last ${when(last)})`, readyCount: readyTimes.length };
}

/**
 * The replacement pods among `lanes` (`uids`), one group per workload and revision, in workload then
 * revision order. `t0`: the episode's first delete, for the "T+…" times.
 */
export function groupReplacements(lanes: readonly PodLane[], uids: ReadonlySet<string>, t0: EpochMs | undefined): ReplacementGroup[] {
  const groups = new Map<string, PodLane[]>();
  for (const l of lanes) {
    if (!uids.has(l.uid)) continue;
    const key = `${l.namespace}/${l.workload}\u0000${revisionOf(l)}`;
    const list = groups.get(key) ?? [];
    list.push(l);
    groups.set(key, list);
  }
  const out: ReplacementGroup[] = [];
  for (const key of [...groups.keys()].sort()) {
    const list = (groups.get(key) ?? []).slice().sort((a, b) => (a.keyTimes.created?.at ?? 0) - (b.keyTimes.created?.at ?? 0) || a.name.localeCompare(b.name));
    const first = list[0];
    if (!first) continue;
    const revision = revisionOf(first);
    const { detail, readyCount, allReadyAt } = detailOf(list, t0);
    out.push({
      key: replacementKey(first.workload, revision),
      namespace: first.namespace,
      workload: first.workload,
      revision,
      lanes: list,
      readyCount,
      ...(allReadyAt !== undefined ? { allReadyAt } : {}),
      steps: readySteps(list),
      label: `${first.workload} · rev ${shortRevision(revision)} · ${list.length} new pod${list.length === 1 ? "" : "s"}`,
      detail,
    });
  }
  return out;
}

/** What an episode view's lane layout needs about its replacements: their uids and T+0 (the first delete). */
export interface EpisodeReplacements {
  readonly uids: ReadonlySet<string>;
  readonly t0: EpochMs;
}

/** The replacements of the episode a view shows (none outside an episode view). */
export function episodeReplacements(episodes: readonly { readonly id: string; readonly start: string; readonly replacementUids?: readonly string[] }[], episodeId: string | undefined): EpisodeReplacements | undefined {
  const ep = episodeId === undefined ? undefined : episodes.find((e) => e.id === episodeId);
  if (!ep?.replacementUids?.length) return undefined;
  return { uids: new Set(ep.replacementUids), t0: Date.parse(ep.start) };
}
