import { describe, expect, it } from "vitest";
import type { PodLane } from "../engine/types";
import { hitTest } from "./hit-test";
import { layoutLanes, rowAt } from "./lane-layout";
import { createTimeScale } from "./time-scale";

const pod: PodLane = {
  uid: "a",
  name: "web-a",
  namespace: "ns",
  workload: "web",
  workloadKind: "Deployment",
  revision: "1",
  phases: [{ kind: "serving", start: 0, end: 1_000 }, { kind: "draining", start: 1_000 }],
  keyTimes: {
    killedBySigkill: false,
    killedAtDeadline: false,
    deleteRequested: { at: 100, range: [100, 1_099], clock: "apiserver", precision: "second", graceSeconds: 30, force: false, eventId: "d" },
  },
  endpoints: [],
  lbMembers: [],
  restarts: [],
  services: ["web"],
};

describe("hitTest on a scale that owns the gutter", () => {
  // 0.1 px/ms drawn right of a 230 px gutter: canvas x 240 is t = 100 (the delete), x 280 is t = 500.
  const scale = createTimeScale({ start: 0, end: 2_000 }, 200, 230);
  const layout = layoutLanes([pod]);
  const row = layout.rows.find((r) => r.kind === "pod");

  it("takes canvas x as is (no caller subtracts the gutter)", () => {
    expect(row).toBeDefined();
    expect(hitTest(rowAt(layout.rows, row?.y ?? 0), 240 + 4, scale)).toMatchObject({ kind: "marker", marker: { kind: "delete", at: 100 } });
    expect(hitTest(row, 280, scale)).toMatchObject({ kind: "phase", phase: "serving", start: 0, end: 1_000 });
    expect(hitTest(row, 230 + 150, scale)).toMatchObject({ kind: "phase", phase: "draining", start: 1_000 });
  });
});
