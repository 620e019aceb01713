// Replacements: the pods a controller created to take the place of an episode's terminated pods (issue 14:
// "did the new pod get ready before the old one left?"), carried by the engine's episode.
import { describe, expect, it } from "vitest";
import { at, EventLog, type PodBuilder } from "../testing/event-builder";
import { computeTimeline } from "./timeline";

const SLEEP_5 = { kind: "sleep", sleepSeconds: 5, sleepOnly: true } as const;

function cleanStop(p: PodBuilder, t: number): PodBuilder {
  return p.delete(t).killing(t).endpoint(t + 0.3, false, true, true).exit(t + 6).endpoint(t + 6.2, false, false, true).endpointRemoved(t + 6.5).removed(t + 6.8);
}

describe("episode replacements", () => {
  it("a rollout: the new revision's pods, the surge created before the first delete included", () => {
    const log = new EventLog();
    // A pod of an older revision deleted more than a gap before: its own episode, whose surge is the
    // aaa111 pods (created 2 s before its delete, alive then).
    cleanStop(log.pod("web-older", { replicaSet: "web-zzz000" }).serving(1), 2);
    // Surge: new-0 is created at 125 and ready at 128, before the first delete (130).
    for (const [i, t] of [130, 140, 150].entries()) {
      log.pod(`web-new-${i}`, { preStop: SLEEP_5, replicaSet: "web-bbb222", createdAt: t - 5 }).serving(t - 2, "web", t - 4.9);
      cleanStop(log.pod(`web-old-${i}`, { preStop: SLEEP_5, replicaSet: "web-aaa111" }).serving(1), t);
    }
    // Not replacements: another workload's pod created during the rollout, and a web pod created after it ended.
    log.pod("api-new", { replicaSet: "api-ccc333", createdAt: 135 }).serving(137, "api", 135.5);
    log.pod("web-later", { replicaSet: "web-bbb222", createdAt: 200 }).serving(202, "web", 200.5);
    const eps = computeTimeline(log.events, { now: at(300) }).episodes;
    const rollout = eps.find((e) => e.podUids.includes("uid-web-old-0"));
    expect([rollout?.kind, rollout?.podUids]).toEqual(["rollout", ["uid-web-old-0", "uid-web-old-1", "uid-web-old-2"]]);
    expect(rollout?.replacementUids).toEqual(["uid-web-new-0", "uid-web-new-1", "uid-web-new-2"]);
    expect(eps.find((e) => e.podUids.includes("uid-web-older"))?.replacementUids).toEqual(["uid-web-old-0", "uid-web-old-1", "uid-web-old-2"]);
  });

  it("a batch delete: pods of the same revision the ReplicaSet created during it; a surge-aged pod of the same revision is not one", () => {
    const log = new EventLog();
    log.pod("worker-stay", { replicaSet: "worker-eee555", createdAt: 50 }).serving(52, "worker", 50.5);
    cleanStop(log.pod("worker-a", { replicaSet: "worker-eee555" }).serving(1, "worker"), 100);
    cleanStop(log.pod("worker-b", { replicaSet: "worker-eee555" }).serving(1, "worker"), 103);
    log.pod("worker-r1", { replicaSet: "worker-eee555", createdAt: 100 }).serving(104, "worker", 100.5);
    log.pod("worker-r2", { replicaSet: "worker-eee555", createdAt: 103 }).serving(106, "worker", 103.5);
    const [ep] = computeTimeline(log.events, { now: at(300) }).episodes;
    expect([ep?.kind, ep?.replacementUids]).toEqual(["batch-delete", ["uid-worker-r1", "uid-worker-r2"]]);
  });

  it("a surge pod already gone when the episode began is not a replacement; an open episode looks one gap ahead", () => {
    const log = new EventLog();
    cleanStop(log.pod("web-surge-gone", { replicaSet: "web-bbb222", createdAt: 20 }).serving(22, "web", 20.5), 40);
    log.pod("web-old").serving(1).delete(100).killing(100).endpoint(100.3, false, true, true);
    log.pod("web-new", { replicaSet: "web-bbb222", createdAt: 150 }).serving(152, "web", 150.5);
    log.pod("web-too-late", { replicaSet: "web-bbb222", createdAt: 230 }).serving(232, "web", 230.5);
    const eps = computeTimeline(log.events, { now: at(240) }).episodes;
    const open = eps.find((e) => e.podUids.includes("uid-web-old"));
    expect(open?.end).toBeUndefined();
    // Open: replacements up to its last termination (100 s) + the 120 s grouping gap.
    expect(open?.replacementUids).toEqual(["uid-web-new"]);
  });
});

describe("overlapping episodes", () => {
  it("pods created after the next episode of the same workload began are its replacements, not the earlier one's", () => {
    const log = new EventLog();
    // Round 1: old pods deleted at 10 s and 12 s, removed only at 40 s (a slow teardown); its new pod at 11 s.
    log.pod("web-a", { replicaSet: "web-aaa111" }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true).exit(16).endpointRemoved(16.5).removed(40);
    log.pod("web-b", { replicaSet: "web-aaa111" }).serving(1).delete(12).killing(12).endpoint(12.3, false, true, true).exit(18).endpointRemoved(18.5).removed(40);
    log.pod("web-n1", { replicaSet: "web-bbb222", createdAt: 11 }).serving(13, "web", 11.5);
    // Round 2 begins at 20 s, before round 1 ends: it deletes web-c (born at 15 s, during round 1: one of
    // round 1's replacements too) and creates web-n2 at 21 s, which is round 2's alone.
    cleanStop(log.pod("web-c", { replicaSet: "web-bbb222", createdAt: 15 }).serving(17, "web", 15.5), 20);
    log.pod("web-n2", { replicaSet: "web-ccc333", createdAt: 21 }).serving(23, "web", 21.5);
    const eps = computeTimeline(log.events, { now: at(100) }).episodes;
    expect(eps.map((e) => [e.podUids, e.start, e.end, e.replacementUids])).toEqual([
      [["uid-web-a", "uid-web-b"], at(10), at(40), ["uid-web-n1", "uid-web-c"]],
      [["uid-web-c"], at(20), at(26.8), ["uid-web-n2"]],
    ]);
  });
});
