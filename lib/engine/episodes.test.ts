// Episodes: terminations grouped as a rollout (by workload, a new revision rolled in), a drain (evictions,
// by node, across workloads), a batch delete, a single delete; each with a verdict from its windows.
import { describe, expect, it } from "vitest";
import { at, EventLog, type PodBuilder } from "../testing/event-builder";
import { computeTimeline } from "./timeline";

const SLEEP_5 = { kind: "sleep", sleepSeconds: 5, sleepOnly: true } as const;

/** A clean graceful stop at `t`: not ready 0.3 s later, SIGTERM after the 5 s sleep, exit, removal. */
function cleanStop(p: PodBuilder, t: number, service = "web"): PodBuilder {
  return p.delete(t).killing(t).endpoint(t + 0.3, false, true, true, service).exit(t + 6).endpoint(t + 6.2, false, false, true, service).endpointRemoved(t + 6.5, service).removed(t + 6.8);
}

function cluster(): EventLog {
  const log = new EventLog();
  // Rollout of web: revision aaa111 → bbb222, one pod at a time, each new pod ready before an old one goes.
  for (const [i, t] of [10, 20, 30].entries()) {
    log.pod(`web-new-${i}`, { preStop: SLEEP_5, replicaSet: "web-bbb222", createdAt: t - 5 }).serving(t - 2, "web", t - 4.9);
    cleanStop(log.pod(`web-old-${i}`, { preStop: SLEEP_5, replicaSet: "web-aaa111" }).serving(1), t);
  }
  // `kubectl drain node-2` at 50 s evicts pods of two workloads (no preStop: SIGTERM before deregistration).
  for (const [wl, t] of [["api", 50], ["cache", 51]] as const) {
    log.pod(`${wl}-stay`, { replicaSet: `${wl}-ccc333`, node: "node-3" }).serving(1, wl);
    log.pod(`${wl}-evicted`, { replicaSet: `${wl}-ccc333`, node: "node-2" }).serving(1, wl).evicted(t).delete(t).killing(t).endpoint(t + 0.4, false, true, true, wl).exit(t + 1).endpointRemoved(t + 1.5, wl).removed(t + 1.8);
  }
  // Two worker pods deleted 5 s apart (no new revision); the second one's endpoint lags 2.5 s.
  log.pod("worker-stay", { preStop: SLEEP_5, replicaSet: "worker-eee555" }).serving(1, "worker");
  cleanStop(log.pod("worker-a", { preStop: SLEEP_5, replicaSet: "worker-eee555" }).serving(1, "worker"), 100, "worker");
  log.pod("worker-b", { preStop: SLEEP_5, replicaSet: "worker-eee555" }).serving(1, "worker").delete(105).killing(105).endpoint(107.5, false, true, true, "worker").exit(111).endpointRemoved(111.5, "worker").removed(111.8);
  // Another worker deleted alone, more than 120 s later.
  cleanStop(log.pod("worker-c", { preStop: SLEEP_5, replicaSet: "worker-eee555" }).serving(1, "worker"), 400, "worker");
  return log;
}

describe("episodes", () => {
  it("groups a rollout, a drain by node, a batch delete and a lone delete, each with its verdict", () => {
    const tl = computeTimeline(cluster().events, { now: at(600) });
    expect(tl.episodes.map((e) => ({ kind: e.kind, workload: e.workload, node: e.node, services: e.services, pods: e.podUids, start: e.start, end: e.end, verdict: e.verdict, counts: e.counts }))).toEqual([
      {
        kind: "rollout", workload: "web", node: undefined, services: ["web"], pods: ["uid-web-old-0", "uid-web-old-1", "uid-web-old-2"],
        start: at(10), end: at(36.8), verdict: "clean", counts: { critical: 0, high: 0, medium: 0, info: 0 },
      },
      {
        kind: "drain", workload: "node node-2", node: "node-2", services: ["api", "cache"], pods: ["uid-api-evicted", "uid-cache-evicted"],
        start: at(50), end: at(52.8), verdict: "risky", counts: { critical: 0, high: 2, medium: 0, info: 0 },
      },
      {
        kind: "batch-delete", workload: "worker", node: undefined, services: ["worker"], pods: ["uid-worker-a", "uid-worker-b"],
        start: at(100), end: at(111.8), verdict: "warning", counts: { critical: 0, high: 0, medium: 1, info: 0 },
      },
      {
        kind: "delete", workload: "worker", node: undefined, services: ["worker"], pods: ["uid-worker-c"],
        start: at(400), end: at(406.8), verdict: "clean", counts: { critical: 0, high: 0, medium: 0, info: 0 },
      },
    ]);
    expect(tl.episodes[0]?.summary).toBe("3 pods left service with no risk window.");
    expect(tl.episodes[1]?.summary).toBe("2 risk windows across 2 pods; worst: sigterm-before-deregistration.");
  });

  it("episodeGapMs splits terminations further apart than the gap", () => {
    const tl = computeTimeline(cluster().events, { now: at(600), episodeGapMs: 3000 });
    expect(tl.episodes.filter((e) => e.workload === "worker").map((e) => [e.kind, e.podUids, e.verdict])).toEqual([
      ["delete", ["uid-worker-a"], "clean"],
      ["delete", ["uid-worker-b"], "warning"],
      ["delete", ["uid-worker-c"], "clean"],
    ]);
  });

  it("a looped scenario's next round is its own episode, even within the gap", () => {
    const log = new EventLog();
    // Round 1: two pods deleted at 10 s and 12 s. Round 2 (the namespace set up again): two new pods created
    // at 30 s, deleted at 50 s and 52 s: within the 120 s gap of round 1, but born after it began.
    cleanStop(log.pod("web-r1-a", { preStop: SLEEP_5, replicaSet: "web-aaa111" }).serving(1), 10);
    cleanStop(log.pod("web-r1-b", { preStop: SLEEP_5, replicaSet: "web-aaa111" }).serving(1), 12);
    cleanStop(log.pod("web-r2-a", { preStop: SLEEP_5, replicaSet: "web-aaa111", createdAt: 30 }).serving(32, "web", 30.5), 50);
    cleanStop(log.pod("web-r2-b", { preStop: SLEEP_5, replicaSet: "web-aaa111", createdAt: 30 }).serving(32, "web", 30.5), 52);
    const eps = computeTimeline(log.events, { now: at(200) }).episodes;
    expect(eps.map((e) => [e.podUids, e.start, e.end])).toEqual([
      [["uid-web-r1-a", "uid-web-r1-b"], at(10), at(18.8)],
      [["uid-web-r2-a", "uid-web-r2-b"], at(50), at(58.8)],
    ]);
  });

  it("an episode still terminating at `now` stays open", () => {
    const log = new EventLog();
    log.pod("web-stay").serving(1);
    log.pod("web-going", { preStop: SLEEP_5 }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true);
    expect(computeTimeline(log.events, { now: at(12) }).episodes.map((e) => [e.kind, e.start, e.end])).toEqual([["delete", at(10), undefined]]);
  });
});
