import { describe, expect, it } from "vitest";
import type { PodLane } from "../engine/types";
import { createTimeScale } from "./time-scale";
import { hitTest } from "./hit-test";
import { layoutLanes, rowAt, ROOMY_MAX_PODS, ROW_HEIGHT, visibleRows } from "./lane-layout";

function lane(uid: string, revision: string, deleteAt?: number, subs = 1): PodLane {
  return {
    uid,
    name: `web-${uid}`,
    namespace: "ns",
    workload: "web",
    workloadKind: "Deployment",
    revision,
    phases: [{ kind: "serving", start: 0, end: 1_000 }, { kind: "draining", start: 1_000 }],
    keyTimes: {
      killedBySigkill: false,
      killedAtDeadline: false,
      ...(deleteAt !== undefined ? { deleteRequested: { at: deleteAt, range: [deleteAt, deleteAt + 999], clock: "apiserver", precision: "second", graceSeconds: 30, force: false, eventId: "d" } } : {}),
    },
    endpoints: Array.from({ length: subs }, (_, i) => ({ kind: "endpoint" as const, key: `k${i}`, service: "web", slice: `web-${i}`, intervals: [{ state: "ready" as const, start: 0, end: 500, eventId: "e" }] })),
    lbMembers: [],
    restarts: [],
    services: ["web"],
  };
}

describe("layoutLanes", () => {
  const lanes = [lane("b", "2"), lane("c", "1", 900), lane("a", "1", 100)];
  // Past ROOMY_MAX_PODS the compact heights apply; pad with pods of another workload sorted after "web".
  const filler = Array.from({ length: ROOMY_MAX_PODS }, (_, i) => ({ ...lane(`z${i}`, "1"), workload: "zz" }));
  const l = layoutLanes([...lanes, ...filler]);

  it("groups workload → revision (ascending) → pods by delete time", () => {
    expect(l.rows.slice(0, 10).map((r) => r.kind)).toEqual(["workload", "revision", "pod", "endpoint", "pod", "endpoint", "revision", "pod", "endpoint", "workload"]);
    expect(l.podOrder.slice(0, 3)).toEqual(["a", "c", "b"]);
  });

  it("stacks rows without gaps except 2 px after each pod", () => {
    // workload 22 + revision 18 = 40: first pod at 40, its endpoint at 58, next pod at 58 + 8 + 2 = 68.
    expect(l.rows[2]?.y).toBe(ROW_HEIGHT.workload + ROW_HEIGHT.revision);
    expect(l.rows[3]?.y).toBe(58);
    expect(l.rows[4]?.y).toBe(68);
    expect(l.podSpans.get("a")).toEqual({ top: 40, bottom: 66, row: 2 });
    // 22 + 18 + 28 + 28 + 18 + 28 = 142 for the first workload.
    expect(l.rows[9]?.y).toBe(142);
  });

  it("finds visible rows and the row under a point", () => {
    expect(visibleRows(l.rows, 60, 10)).toEqual({ from: 3, to: 5 });
    expect(rowAt(l.rows, 41)?.kind).toBe("pod");
    expect(rowAt(l.rows, 66.5)).toBeUndefined(); // the gap after a pod
  });

  it("puts pinned pods first", () => {
    const p = layoutLanes(lanes, ["b"]);
    expect(p.rows[1]?.h).toBe(28); // few pods: roomy rows
    expect(p.rows[0]).toMatchObject({ kind: "workload", label: "Pinned" });
    expect(p.podOrder[0]).toBe("b");
  });

  it("keeps the previous order when asked (follow mode): a new delete or a new pod does not reorder", () => {
    const before = layoutLanes([lane("a", "1", 100), lane("c", "1", 500)]);
    expect(before.podOrder).toEqual(["a", "c"]);
    // c's delete time moves before a's; d is new and would sort first.
    const after = layoutLanes([lane("a", "1", 100), lane("c", "1", 50), lane("d", "1", 10)], [], before.podOrder);
    expect(after.podOrder).toEqual(["a", "c", "d"]);
    expect(layoutLanes([lane("a", "1", 100), lane("c", "1", 50)]).podOrder).toEqual(["c", "a"]);
  });

  it("hit-tests markers within a few pixels, then phases", () => {
    const scale = createTimeScale({ start: 0, end: 2_000 }, 200); // 0.1 px/ms
    const pod = rowAt(l.rows, 41);
    expect(hitTest(pod, 10 + 4, scale)).toMatchObject({ kind: "marker", marker: { kind: "delete", at: 100 } });
    expect(hitTest(pod, 50, scale)).toMatchObject({ kind: "phase", phase: "serving" });
    expect(hitTest(pod, 150, scale)).toMatchObject({ kind: "phase", phase: "draining" });
  });
});
