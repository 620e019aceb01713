import { describe, expect, it } from "vitest";
import { formatClock, formatDateTime, formatOffset, formatTick, plural, zoneLabel, zoneOffsetMs } from "./format";

const T = Date.parse("2026-11-22T05:41:31.250Z");

describe("time formatting in a zone", () => {
  it("is UTC by default, as before", () => {
    expect(formatDateTime(T)).toBe("2026-11-22 05:41:31.250Z");
    expect(formatClock(T, false)).toBe("05:41:31");
    expect(formatTick(T, 100)).toBe("41:31.250");
  });

  it("shifts to the zone and names its offset", () => {
    expect(formatDateTime(T, "Asia/Shanghai")).toBe("2026-11-22 13:41:31.250+08:00");
    expect(formatDateTime(T, "America/New_York")).toBe("2026-11-22 00:41:31.250-05:00");
    expect(formatDateTime(Date.parse("2026-07-01T02:00:00Z"), "America/New_York")).toBe("2026-06-30 22:00:00.000-04:00"); // daylight time
    expect(formatTick(Date.parse("2026-11-22T20:00:00Z"), 86_400_000, "Asia/Shanghai")).toBe("2026-11-23");
    expect(zoneLabel(T, "Asia/Kolkata")).toBe("UTC+05:30");
    expect(zoneLabel(T)).toBe("UTC");
  });

  it("handles instants before 1970 and unknown zones", () => {
    expect(zoneOffsetMs(-1_500, "Asia/Shanghai")).toBe(8 * 3_600_000);
    expect(formatDateTime(T, "Not/AZone")).toBe("2026-11-22 05:41:31.250+00:00");
    expect(formatOffset(-12_600_000)).toBe("-03:30");
  });
});

describe("plural", () => {
  it("is singular for exactly one and groups thousands", () => {
    expect(plural(1, "pod")).toBe("1 pod");
    expect(plural(0, "pod")).toBe("0 pods");
    expect(plural(2, "event")).toBe("2 events");
    expect(plural(1000, "pod")).toBe("1,000 pods");
    expect(plural(1, "lane")).toBe("1 lane");
    expect(plural(3, "repair", "repairs")).toBe("3 repairs");
  });
});
