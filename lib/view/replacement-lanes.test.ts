// Issue 14: an episode's replacement pods, one collapsed summary lane per revision that expands into their lanes.
import { describe, expect, it } from "vitest";
import type { LifecyclePhase, PodLane } from "../engine/types";
import { layoutLanes, ROOMY_ROW_HEIGHT } from "./lane-layout";
import { groupReplacements, readySteps, relativeTime, shortRevision } from "./replacement-lanes";

const T0 = 100_000;
const est = (at: number) => ({ at, range: [at, at] as const, clock: "node" as const, precision: "exact" as const });

/** A pod of `revision`, created at `born`, ready at `ready` (serving from then), optionally deleted and removed. */
function pod(uid: string, revision: string, born: number, ready?: number, gone?: { del: number; removed: number }): PodLane {
  const phases: LifecyclePhase[] = [{ kind: "pending", start: born, ...(ready !== undefined ? { end: ready } : {}) }];
  if (ready !== undefined) phases.push({ kind: "serving", start: ready, ...(gone ? { end: gone.del } : {}) });
  if (gone) phases.push({ kind: "terminating", start: gone.del, end: gone.removed });
  return {
    uid, name: `web-${revision}-${uid}`, namespace: "ns", workload: "web", workloadKind: "Deployment", revision, replicaSet: `web-${revision}`,
    phases,
    keyTimes: {
      created: est(born), killedBySigkill: false, killedAtDeadline: false,
      ...(ready !== undefined ? { firstReady: est(ready) } : {}),
      ...(gone ? { deleteRequested: { ...est(gone.del), graceSeconds: 30, force: false, eventId: "d" }, removed: { ...est(gone.removed), via: "watch" } } : {}),
    },
    endpoints: [{ kind: "endpoint", key: `k-${uid}`, service: "web", slice: "web-x", intervals: [] }],
    lbMembers: [], restarts: [], services: ["web"],
  };
}

// Three old pods of revision 1 deleted at T0, T0+2 s, T0+4 s; their three replacements of a pod-template hash
// revision, the first a surge created before T0; and one more of another revision that never got ready.
const old = [0, 2_000, 4_000].map((d, i) => pod(`o${i}`, "1", 0, 1_000, { del: T0 + d, removed: T0 + d + 6_000 }));
const fresh = [pod("n0", "6d4f8c9b7", T0 - 3_000, T0 - 1_000), pod("n1", "6d4f8c9b7", T0 + 500, T0 + 2_500), pod("n2", "6d4f8c9b7", T0 + 2_100, T0 + 4_100)];
const stuck = pod("s0", "7", T0 + 1_000);
const lanes = [...old, ...fresh, stuck];
const uids = new Set([...fresh, stuck].map((l) => l.uid));

describe("replacement groups", () => {
  it("one group per revision, labelled with the count and when the last became ready (T+0 = first delete)", () => {
    const g = groupReplacements(lanes, uids, T0);
    expect(g.map((x) => [x.key, x.label, x.detail, x.lanes.map((l) => l.uid), x.readyCount, x.allReadyAt])).toEqual([
      ["rev:web:6d4f8c9b7", "web · rev 6d4f… · 3 new pods", "all ready by T+4.1 s", ["n0", "n1", "n2"], 3, T0 + 4_100],
      ["rev:web:7", "web · rev 7 · 1 new pod", "none ready yet", ["s0"], 0, undefined],
    ]);
  });

  it("counts pods up and ready after each change", () => {
    expect(readySteps(fresh)).toEqual([
      { t: T0 - 3_000, alive: 1, ready: 0 },
      { t: T0 - 1_000, alive: 1, ready: 1 },
      { t: T0 + 500, alive: 2, ready: 1 },
      { t: T0 + 2_100, alive: 3, ready: 1 },
      { t: T0 + 2_500, alive: 3, ready: 2 },
      { t: T0 + 4_100, alive: 3, ready: 3 },
    ]);
    // A pod that is deleted stops being ready at its delete and stops being up at its removal.
    expect(readySteps([old[0] as PodLane]).map((s) => [s.t, s.alive, s.ready])).toEqual([[0, 1, 0], [1_000, 1, 1], [T0, 1, 0], [T0 + 6_000, 0, 0]]);
  });

  it("formats times relative to the first delete and shortens template hashes", () => {
    expect([relativeTime(T0 + 4_100, T0), relativeTime(T0 - 2_000, T0), relativeTime(T0 + 65_000, T0)]).toEqual(["T+4.1 s", "T−2.0 s", "T+1 m 05 s"]);
    expect([shortRevision("6d4f8c9b7"), shortRevision("12")]).toEqual(["6d4f…", "12"]);
    expect(groupReplacements(fresh.slice(0, 2).concat([pod("n9", "6d4f8c9b7", T0)]), new Set(["n0", "n1", "n9"]), T0)[0]?.detail).toBe("2 of 3 ready (last T+2.5 s)");
  });
});

describe("layoutLanes with an episode's replacements", () => {
  it("collapsed: one summary lane per new revision under the workload, no lane of their pods, then the terminated pods", () => {
    const l = layoutLanes(lanes, [], undefined, { uids, expanded: new Set(), t0: T0 });
    expect(l.rows.filter((r) => r.kind !== "endpoint").map((r) => (r.kind === "pod" ? r.lane.uid : r.kind === "summary" ? `summary ${r.group.key} ${r.expanded}` : r.kind === "workload" || r.kind === "revision" ? `${r.kind} ${r.count}` : r.kind))).toEqual([
      "workload 7", "summary rev:web:6d4f8c9b7 false", "summary rev:web:7 false", "revision 3", "o0", "o1", "o2",
    ]);
    expect(l.podOrder).toEqual(["o0", "o1", "o2"]);
    // Right under the workload header, 34 px each (few pods: roomy rows).
    expect(l.rows.filter((r) => r.kind === "summary").map((r) => [r.y, r.h])).toEqual([
      [ROOMY_ROW_HEIGHT.workload, ROOMY_ROW_HEIGHT.summary],
      [ROOMY_ROW_HEIGHT.workload + ROOMY_ROW_HEIGHT.summary, ROOMY_ROW_HEIGHT.summary],
    ]);
  });

  it("expanded: exactly that revision's pods get lanes (with their sub-lanes) under its summary", () => {
    const l = layoutLanes(lanes, [], undefined, { uids, expanded: new Set(["rev:web:6d4f8c9b7"]), t0: T0 });
    const i = l.rows.findIndex((r) => r.kind === "summary" && r.group.key === "rev:web:6d4f8c9b7");
    expect(l.rows[i]).toMatchObject({ expanded: true });
    expect(l.rows.slice(i + 1, i + 7).map((r) => `${r.kind}${r.kind === "pod" ? ` ${r.lane.uid}` : ""}`)).toEqual(["pod n0", "endpoint", "pod n1", "endpoint", "pod n2", "endpoint"]);
    expect(l.rows[i + 7]).toMatchObject({ kind: "summary", expanded: false });
    expect(l.podOrder).toEqual(["n0", "n1", "n2", "o0", "o1", "o2"]);
  });

  it("a pinned replacement is in the Pinned group, not its summary; without replacements nothing changes", () => {
    const l = layoutLanes(lanes, ["n1"], undefined, { uids, expanded: new Set(), t0: T0 });
    expect(l.podOrder).toEqual(["n1", "o0", "o1", "o2"]); // pinned first; n0 and n2 stay in the collapsed summary
    const s = l.rows.find((r) => r.kind === "summary" && r.group.key === "rev:web:6d4f8c9b7");
    expect(s?.kind === "summary" ? s.group.lanes.map((x) => x.uid) : []).toEqual(["n0", "n2"]);
    expect(layoutLanes(lanes).rows.some((r) => r.kind === "summary")).toBe(false);
    expect(layoutLanes(lanes).podOrder).toHaveLength(7);
  });
});
