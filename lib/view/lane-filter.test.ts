import { describe, expect, it } from "vitest";
import type { PodLane } from "../engine/types";
import { filterLanes, laneChangesIn, laneNodes } from "./lane-filter";

function lane(uid: string, name: string, node: string | undefined, phases: [number, number | undefined][], endpoint?: [number, number]): PodLane {
  return {
    uid,
    name,
    namespace: "ns",
    ...(node ? { node } : {}),
    workload: "web",
    workloadKind: "Deployment",
    phases: phases.map(([start, end]) => ({ kind: "serving" as const, start, ...(end !== undefined ? { end } : {}) })),
    keyTimes: { killedBySigkill: false, killedAtDeadline: false },
    endpoints: endpoint ? [{ kind: "endpoint" as const, key: "k", service: "web", slice: "web-1", intervals: [{ state: "ready" as const, start: endpoint[0], end: endpoint[1], eventId: "e" }] }] : [],
    lbMembers: [],
    restarts: [],
    services: ["web"],
  };
}

// Window 1000..2000. a changes inside (phase end 1500); b is open since 0 (idle); c's endpoint ends at 1200; d is before the window.
const lanes = [lane("a", "web-abc-1", "node-1", [[0, 1_500]]), lane("b", "web-abc-2", "node-2", [[0, undefined]]), lane("c", "api-XYZ-3", "node-1", [[0, undefined]], [0, 1_200]), lane("d", "web-def-4", undefined, [[0, 900]])];
const w = { start: 1_000, end: 2_000 };
const risk = (podUids: string[], startMs: number, endMs?: number) => ({ podUids, startMs, ...(endMs !== undefined ? { endMs } : {}) });

describe("filterLanes", () => {
  it("searches pod names by substring, ignoring case", () => {
    expect(filterLanes(lanes, { search: "xyz" }, [], w).lanes.map((l) => l.uid)).toEqual(["c"]);
    expect(filterLanes(lanes, { search: " ABC " }, [], w)).toMatchObject({ filteredOut: 2, idleHidden: 0 });
  });

  it("filters by node and by risk", () => {
    expect(filterLanes(lanes, { node: "node-1" }, [], w).lanes.map((l) => l.uid)).toEqual(["a", "c"]);
    expect(filterLanes(lanes, { riskOnly: true }, [risk(["b", "d"], 0)], w).lanes.map((l) => l.uid)).toEqual(["b", "d"]);
    expect(filterLanes(lanes, { riskOnly: true, node: "node-2" }, [risk(["b", "d"], 0)], w).lanes.map((l) => l.uid)).toEqual(["b"]);
  });

  it("hides lanes idle in the window and counts them, keeping the ones asked for", () => {
    const r = filterLanes(lanes, { hideIdle: true }, [], w);
    expect(r.lanes.map((l) => l.uid)).toEqual(["a", "c"]);
    expect(r.idleHidden).toBe(2);
    expect(filterLanes(lanes, { hideIdle: true }, [], w, new Set(["b"])).lanes.map((l) => l.uid)).toEqual(["a", "b", "c"]);
    // The count is of lanes the other filters kept.
    expect(filterLanes(lanes, { hideIdle: true, node: "node-2" }, [], w)).toMatchObject({ idleHidden: 1, filteredOut: 3 });
  });

  it("counts a risk band of the pod ending inside the window as a change", () => {
    expect(filterLanes(lanes, { hideIdle: true }, [risk(["b"], 0, 1_900)], w).lanes.map((l) => l.uid)).toEqual(["a", "b", "c"]);
    expect(filterLanes(lanes, { hideIdle: true }, [risk(["b"], 0, 2_100)], w).lanes.map((l) => l.uid)).toEqual(["a", "c"]);
  });

  it("counts changes on the window's edges as inside", () => {
    expect(laneChangesIn(lanes[0] as PodLane, { start: 1_500, end: 1_600 })).toBe(true);
    expect(laneChangesIn(lanes[0] as PodLane, { start: 1_501, end: 1_600 })).toBe(false);
  });

  it("lists the nodes once, sorted", () => {
    expect(laneNodes(lanes)).toEqual(["node-1", "node-2"]);
  });
});
