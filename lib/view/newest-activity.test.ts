import { describe, expect, it } from "vitest";
import type { PodLane } from "../engine/types";
import { newestActivePod } from "./newest-activity";

const T0 = Date.UTC(2026, 10, 22, 6, 0, 0);
const at = (t: number) => ({ at: T0 + t, range: [T0 + t, T0 + t], clock: "apiserver", precision: "exact" });
const lane = (uid: string, phases: { kind: string; start: number; end?: number }[], keyTimes: Record<string, unknown> = {}) =>
  ({ uid, phases: phases.map((p) => ({ ...p, start: T0 + p.start, ...(p.end !== undefined ? { end: T0 + p.end } : {}) })), keyTimes: { killedBySigkill: false, killedAtDeadline: false, ...keyTimes } }) as unknown as PodLane;

describe("newestActivePod", () => {
  it("the pod with the latest observed moment: a fresh delete beats an older creation", () => {
    const old = lane("old", [{ kind: "serving", start: 0 }], { created: at(0), deleteRequested: at(50_000) });
    const fresh = lane("fresh", [{ kind: "serving", start: 40_000 }], { created: at(39_000) });
    expect(newestActivePod([fresh, old])).toBe("old");
    const newer = lane("newer", [{ kind: "pending", start: 60_000 }], { created: at(60_000) });
    expect(newestActivePod([fresh, old, newer])).toBe("newer");
  });
  it("no lanes: none", () => {
    expect(newestActivePod([])).toBeUndefined();
  });
});
