// parseTimestamp's whole-second fast path must read every string exactly as Date.parse does.
import { describe, expect, it } from "vitest";
import { parseTimestamp } from "./time";

const viaDate = (v: string): number | undefined => {
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
};

describe("parseTimestamp", () => {
  it("reads Kubernetes' whole-second UTC times as Date.parse does, every day of several years", () => {
    let n = 0;
    for (let t = Date.UTC(1999, 11, 25); t < Date.UTC(2031, 0, 3); t += 86_400_000 + 3_601_000) {
      const v = new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
      expect(parseTimestamp(v)).toBe(viaDate(v));
      expect(parseTimestamp(v)).toBe(t - (t % 1000));
      n++;
    }
    expect(n).toBeGreaterThan(10_000);
  });

  it("agrees with Date.parse on edge and malformed strings", () => {
    const cases = [
      "2026-02-29T00:00:00Z", "2024-02-29T23:59:59Z", "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-31T23:59:59Z",
      "2026-01-05T24:00:00Z", "2026-01-05T23:60:00Z", "2026-01-05T23:59:60Z", "2026-00-05T00:00:00Z", "2026-13-05T00:00:00Z",
      "2026-01-00T00:00:00Z", "0099-01-05T00:00:00Z", "0100-01-05T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-28T23:59:59Z",
      "2026-01-05t00:00:00Z", "2026-01-05T00:00:00z", "2026-01-05 00:00:00Z", "2026-01-05T00:00:0aZ", "2026-1-05T00:00:00Z",
      "2026-01-05T00:00:00+01:00", "2026-01-05T00:00:00.123Z", "2026-01-05T00:00:00.123456Z", "2026-01-05", "x", "+02026-01-05T00:00:00Z",
      "２026-01-05T00:00:00Z", "2026-01-05T00:00:00ZZ",
    ];
    for (const v of cases) expect({ v, ms: parseTimestamp(v) }).toEqual({ v, ms: viaDate(v) });
    expect(parseTimestamp("")).toBeUndefined();
    expect(parseTimestamp(null)).toBeUndefined();
  });
});
