/**
 * Episodes: the terminations of one rollout, drain or batch delete, grouped so a person can review
 * them as one event. Evicted pods group by node (a drain crosses workloads); others by workload.
 * Terminations further apart than the gap start a new episode, and so does the termination of a pod
 * created after the episode began (a rollout's replacements are the next rollout's, not this one's).
 */
import { SEVERITY_RANK, type RiskRuleId, type Severity } from "../rules/ids";
import { replacementsOf } from "./replacements";
import type { Episode, EpisodeKind, PodLane, RiskWindow } from "./types";
import { verdictOf } from "./verdict";
import { counted } from "../text/count";

/** Rules about a service as a whole rather than one pod's termination. */
const SERVICE_RULES: ReadonlySet<RiskRuleId> = new Set<RiskRuleId>(["no-ready-endpoints", "fallback-to-terminating"]);

interface Termination {
  readonly lane: PodLane;
  readonly start: number;
  readonly key: string;
  readonly restart: boolean;
}

function terminations(lanes: readonly PodLane[]): Termination[] {
  const out: Termination[] = [];
  for (const lane of lanes) {
    const k = lane.keyTimes;
    const start = k.deleteRequested?.at ?? k.killing?.at;
    const evicted = k.disruption !== undefined && lane.node !== undefined;
    if (start !== undefined) {
      out.push({ lane, start, key: evicted ? `drain|${lane.node}` : `wl|${lane.namespace}|${lane.workload}`, restart: false });
    }
    for (const r of lane.restarts) {
      out.push({ lane, start: r.killing.at, key: `restart|${lane.namespace}|${lane.workload}`, restart: true });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function kindOf(group: readonly Termination[], lanes: readonly PodLane[]): EpisodeKind {
  const first = group[0];
  if (!first) return "delete";
  if (first.restart) return "restart";
  if (first.key.startsWith("drain|")) return "drain";
  if (group.every((t) => t.lane.keyTimes.deleteRequested?.force)) return "force-delete";
  const start = first.start;
  const end = group.at(-1)?.start ?? start;
  const revisions = new Set(group.map((t) => t.lane.revision));
  // A rollout: pods of another revision of the same workload appeared around these terminations.
  const rolledIn = lanes.some(
    (l) =>
      l.namespace === first.lane.namespace &&
      l.workload === first.lane.workload &&
      !revisions.has(l.revision) &&
      (l.keyTimes.created?.at ?? 0) >= start - 600_000 &&
      (l.keyTimes.created?.at ?? 0) <= end + 60_000,
  );
  if (rolledIn) return "rollout";
  return group.length > 1 ? "batch-delete" : "delete";
}

export function buildEpisodes(lanes: readonly PodLane[], windows: readonly RiskWindow[], gapMs: number, live = false): Episode[] {
  const groups = new Map<string, Termination[][]>();
  for (const t of terminations(lanes)) {
    const list = groups.get(t.key) ?? [];
    const current = list.at(-1);
    const last = current?.at(-1);
    const first = current?.[0];
    // A pod created after this episode began terminating pods is a later round's (a looped scenario, the
    // next rollout): its termination starts a new episode even within the gap.
    const bornLater = !t.restart && first !== undefined && (t.lane.keyTimes.created?.at ?? -Infinity) > first.start;
    if (current && last && t.start - last.start <= gapMs && !bornLater) current.push(t);
    else list.push([t]);
    groups.set(t.key, list);
  }
  const episodes: Episode[] = [];
  for (const list of groups.values()) {
    for (const [index, group] of list.entries()) {
      const first = group[0];
      if (!first) continue;
      const uids = [...new Set(group.map((t) => t.lane.uid))];
      const uidSet = new Set(uids);
      const services = [...new Set(group.flatMap((t) => t.lane.services))].sort();
      const ends = group.map((t) => (t.restart ? t.lane.restarts.find((r) => r.killing.at === t.start)?.restartedAt : t.lane.keyTimes.removed?.at));
      const end = ends.every((e): e is number => e !== undefined) ? Math.max(...ends) : undefined;
      const start = first.start;
      const mine = windows.filter(
        (w) =>
          w.rule !== "unobserved" &&
          (w.pods.some((p) => uidSet.has(p.uid)) ||
            // A service-wide window during the episode; another pod's own window belongs to that pod's episode.
            (SERVICE_RULES.has(w.rule) && w.service !== undefined && services.includes(w.service) && w.namespace === first.lane.namespace && w.start >= start && (end === undefined || w.start <= end))),
      );
      const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, info: 0 };
      for (const w of mine) counts[w.severity]++;
      const kind = kindOf(group, lanes);
      const terminated = [...new Map(group.map((t) => [t.lane.uid, t.lane])).values()];
      const { verdict, reason } = verdictOf(counts, {
        lanes: terminated,
        unfinished: ends.filter((e) => e === undefined).length,
        namespace: first.lane.namespace,
        start,
        ...(end !== undefined ? { end } : {}),
        allLanes: lanes,
        windows,
        live,
      });
      // Restarts create no pod. An open episode looks for its replacements up to one grouping gap after its
      // last termination; and pods created once the next episode of the same pods began (a second rollout
      // while this one still removes pods) are that one's.
      const next = list[index + 1]?.[0]?.start ?? Infinity;
      const until = Math.min(end ?? (group.at(-1)?.start ?? start) + gapMs, next);
      const replacementUids = kind === "restart" ? [] : replacementsOf(terminated, { start, until }, lanes);
      const worst = [...mine].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])[0];
      const node = first.key.startsWith("drain|") ? first.lane.node : undefined;
      episodes.push({
        id: `${kind}:${first.lane.namespace}:${node ?? first.lane.workload}:${start}`,
        kind,
        namespace: first.lane.namespace,
        workload: node ? `node ${node}` : first.lane.workload,
        ...(node ? { node } : {}),
        services,
        podUids: uids,
        replacementUids,
        start,
        ...(end !== undefined ? { end } : {}),
        verdict,
        ...(reason !== undefined ? { verdictReason: reason } : {}),
        summary:
          verdict === "clean"
            ? `${counted(uids.length, "pod")} left service with no risk window.`
            : worst === undefined
              ? verdict === "in-progress"
                ? `No risk window among ${counted(uids.length, "pod")} so far.`
                : `No risk window seen among ${counted(uids.length, "pod")}, but too little data to call it clean.`
              : `${counted(mine.length, "risk window")} across ${counted(uids.length, "pod")}; worst: ${worst.rule}.`,
        counts,
      });
    }
  }
  return episodes.sort((a, b) => a.start - b.start);
}
