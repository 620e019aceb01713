import { describe, expect, it } from "vitest";
import type { PodLane } from "../engine/types";
import type { LifecycleEvent } from "../model/events";
import { applyObservations } from "./live-patch";
import type { TimelineDoc } from "./timeline-doc";

function lane(uid: string): PodLane {
  return {
    uid,
    name: `web-${uid}`,
    namespace: "shop",
    workload: "web",
    workloadKind: "Deployment",
    revision: "1",
    phases: [
      { kind: "pending", start: 0, end: 1_000 },
      { kind: "serving", start: 1_000 },
    ],
    keyTimes: { killedBySigkill: false, killedAtDeadline: false },
    endpoints: [],
    lbMembers: [],
    restarts: [],
    services: ["web"],
  };
}

const doc = { lanes: [lane("a"), lane("b")], eventCount: 10 } as unknown as TimelineDoc;
const base = { cluster: "sim", namespace: "shop", source: "pod", clock: "apiserver", precision: "second" } as const;
const del = (uid: string, at: number): LifecycleEvent => ({ ...base, id: `d-${uid}`, type: "delete-requested", pod: `web-${uid}`, podUid: uid, at, range: [at, at + 999], graceSeconds: 30, deadline: at + 30_000, force: false, specGraceSeconds: 30 });
const removed = (uid: string, at: number): LifecycleEvent => ({ ...base, id: `r-${uid}`, type: "pod-removed", pod: `web-${uid}`, podUid: uid, at, range: [at, at], precision: "exact", via: "watch" });
const ready = (uid: string, at: number): LifecycleEvent => ({ ...base, id: `y-${uid}`, type: "pod-ready-changed", pod: `web-${uid}`, podUid: uid, at, range: [at, at], ready: false });

describe("applyObservations", () => {
  it("draws a delete at once (its marker) and leaves the phases to the engine's recompute", () => {
    const r = applyObservations(doc, [del("a", 5_000)], { cluster: "sim" });
    expect(r.applied).toBe(1);
    expect(r.refetch).toBe(true);
    const a = r.doc.lanes[0];
    expect(a?.keyTimes.deleteRequested).toMatchObject({ at: 5_000, graceSeconds: 30, eventId: "d-a" });
    expect(a?.phases).toBe(doc.lanes[0]?.phases); // one source: phases only ever come from the engine
    expect(r.doc.lanes[1]).toBe(doc.lanes[1]); // untouched lanes keep their identity
    expect(r.doc.eventCount).toBe(11);
    expect(doc.lanes[0]?.keyTimes.deleteRequested).toBeUndefined(); // pure
  });

  it("draws a removal's marker and asks for the recompute, phases untouched", () => {
    const r1 = applyObservations(doc, [del("b", 5_000)], {});
    const r2 = applyObservations(r1.doc, [removed("b", 9_000)], {});
    expect(r2.doc.lanes[1]?.keyTimes.removed?.at).toBe(9_000);
    expect(r2.refetch).toBe(true);
    expect(r2.doc.lanes[1]?.phases).toEqual([
      { kind: "pending", start: 0, end: 1_000 },
      { kind: "serving", start: 1_000 },
    ]);
  });

  it("does not overwrite what the engine already said", () => {
    const r1 = applyObservations(doc, [del("a", 5_000)], {});
    const r2 = applyObservations(r1.doc, [del("a", 6_000)], {});
    expect(r2.doc).toBe(r1.doc);
    expect(r2.applied).toBe(0);
    expect(r2.refetch).toBe(true);
  });

  it("only refetches for what needs the engine (other kinds, unknown pods)", () => {
    for (const e of [ready("a", 3_000), del("zz", 3_000)]) {
      const r = applyObservations(doc, [e], {});
      expect(r).toEqual({ doc, refetch: true, applied: 0 });
    }
  });

  it("ignores events outside the view's cluster and namespace", () => {
    expect(applyObservations(doc, [del("a", 5_000)], { cluster: "other" })).toEqual({ doc, refetch: false, applied: 0 });
    expect(applyObservations(doc, [del("a", 5_000)], { namespace: "kube-system" })).toEqual({ doc, refetch: false, applied: 0 });
  });
});
