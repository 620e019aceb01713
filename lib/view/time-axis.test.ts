import { describe, expect, it } from "vitest";
import type { PodLane } from "../engine/types";
import { createTimeAxis, formatRelative, formatRelativeTick, relativeZero } from "./time-axis";
import { createTimeScale } from "./time-scale";

const T0 = Date.parse("2026-11-22T05:41:31.000Z");

describe("relative tick labels", () => {
  it("print only the digits the step needs, with a real minus", () => {
    expect(formatRelativeTick(0, 500)).toBe("T+0");
    expect(formatRelativeTick(1_500, 500)).toBe("T+1.5 s");
    expect(formatRelativeTick(-200, 200)).toBe("T−200 ms");
    expect(formatRelativeTick(3_000, 1_000)).toBe("T+3 s");
    expect(formatRelativeTick(1_000, 500)).toBe("T+1 s");
    expect(formatRelativeTick(1_250, 50)).toBe("T+1.25 s");
    expect(formatRelativeTick(90_000, 30_000)).toBe("T+1 m 30 s");
    expect(formatRelativeTick(-120_000, 60_000)).toBe("T−2 m");
    expect(formatRelativeTick(7_200_000, 3_600_000)).toBe("T+2 h");
  });

  it("stamps offsets at the duration's precision", () => {
    expect(formatRelative(0)).toBe("T+0");
    expect(formatRelative(2_000)).toBe("T+2.00 s");
    expect(formatRelative(-850)).toBe("T−850 ms");
  });
});

describe("the T+0 axis", () => {
  const axis = createTimeAxis("t0", "UTC", T0);
  it("puts ticks on round offsets from T+0, not on round clock times", () => {
    // T+0 at .000 of a second, but 0.3 s into the window: 10 s over 1000 px, 90 px apart → 1 s steps from T0.
    const w = { start: T0 - 2_300, end: T0 + 7_700 };
    const scale = createTimeScale(w, 1000, 230);
    const ticks = scale.ticks(90, axis.tickAnchor(w));
    expect(ticks.map((t) => axis.tickLabel(t.t, 1_000))).toEqual(["T−2 s", "T−1 s", "T+0", "T+1 s", "T+2 s", "T+3 s", "T+4 s", "T+5 s", "T+6 s", "T+7 s"]);
    expect(ticks[2]?.px).toBe(230 + 230); // T0 is 2.3 s = 230 px into the plot
  });

  it("shows both the clock and the offset in tooltips", () => {
    expect(axis.stamp(T0 + 1_520)).toBe("2026-11-22 05:41:32.520Z · T+1.52 s");
    expect(createTimeAxis("t0", "Asia/Shanghai", T0).stamp(T0 - 200)).toBe("2026-11-22 13:41:30.800+08:00 · T−200 ms");
    expect(axis.gutterLines({ start: T0, end: T0 + 69_000 })).toEqual(["T+0 = 05:41:31.000 UTC", "span 1 m 09 s"]);
  });

  it("falls back to the clock when there is no T+0", () => {
    expect(createTimeAxis("t0", "UTC", undefined).mode).toBe("utc");
  });
});

describe("the clock axis in a zone", () => {
  it("labels ticks in the zone, on the zone's round hours", () => {
    const kolkata = createTimeAxis("utc", "Asia/Kolkata"); // +05:30
    const w = { start: Date.parse("2026-11-22T00:00:00Z"), end: Date.parse("2026-11-22T06:00:00Z") };
    const scale = createTimeScale(w, 600);
    const first = scale.ticks(90, kolkata.tickAnchor(w))[0];
    // 6 h over 600 px: 90 px = 54 min → 1 h steps, on local hours: 00:30Z is 06:00 in Kolkata.
    expect(first?.t).toBe(Date.parse("2026-11-22T00:30:00Z"));
    expect(kolkata.tickLabel(first?.t ?? 0, 3_600_000)).toBe("06:00:00");
    expect(kolkata.gutterLines(w)[0]).toBe("2026-11-22 UTC+05:30");
  });

  it("keeps UTC as it was", () => {
    const utc = createTimeAxis("utc");
    expect(utc.tickLabel(T0, 1_000)).toBe("05:41:31");
    expect(utc.stamp(T0)).toBe("2026-11-22 05:41:31.000Z");
    expect(utc.gutterLines({ start: T0, end: T0 + 1_000 })[0]).toBe("2026-11-22 UTC");
  });
});

describe("relativeZero", () => {
  const lane = (uid: string, deleteAt?: number) =>
    ({ uid, keyTimes: { killedBySigkill: false, killedAtDeadline: false, ...(deleteAt !== undefined ? { deleteRequested: { at: deleteAt } } : {}) } }) as unknown as PodLane;
  const lanes = [lane("a", 3_000), lane("b", 1_000), lane("c")];
  it("is the episode's first delete, else the selected pod's", () => {
    expect(relativeZero(lanes, true, "a")).toBe(1_000);
    expect(relativeZero(lanes, false, "a")).toBe(3_000);
    expect(relativeZero(lanes, false, "c")).toBeUndefined();
    expect(relativeZero(lanes, false, undefined)).toBeUndefined();
  });
});
