import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, progressLine } from "./progress-text";

describe("import progress line", () => {
  it("shows the bar, percent, bytes of the total, lines/s and the time left", () => {
    expect(progressLine({ bytes: 1_250_000_000, totalBytes: 5_000_000_000, lines: 600_000, elapsedMs: 20_000 })).toBe(
      "[######..................]  25% 1.3 GB / 5.0 GB · 30,000 lines/s · ETA 1m00s",
    );
    expect(progressLine({ bytes: 5_000_000_000, totalBytes: 5_000_000_000, lines: 2_400_000, elapsedMs: 80_000 })).toBe(
      "[########################] 100% 5.0 GB / 5.0 GB · 30,000 lines/s · ETA 0s",
    );
  });

  it("without a total (a pipe) says what was read, and nothing divides by zero at the start", () => {
    expect(progressLine({ bytes: 999, lines: 3, elapsedMs: 0 })).toBe("999 B read · 3 lines · 0 lines/s");
    expect(progressLine({ bytes: 0, totalBytes: 10, lines: 0, elapsedMs: 0 })).toBe("[........................]   0% 0 B / 10 B · 0 lines/s · ETA …");
  });

  it("formats sizes and durations", () => {
    expect([formatBytes(0), formatBytes(1500), formatBytes(279_000_000)]).toEqual(["0 B", "1.5 KB", "279.0 MB"]);
    expect([formatDuration(400), formatDuration(59_600), formatDuration(3_725_000)]).toEqual(["0s", "1m00s", "1h02m"]);
  });
});
