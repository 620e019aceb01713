// Scheduled faults (drainscope simulate --faults, DRAINSCOPE_SIM_FAULTS): parsing, and injection in turn.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Faults, parseFaultSchedule, startFaultSchedule, type FaultTarget } from "./faults";

afterEach(() => {
  vi.useRealTimers();
});

describe("parseFaultSchedule", () => {
  it("maps names to requests with visible presets, and the period to ms", () => {
    expect(parseFaultSchedule("drop-watches, fail-next,restart", "12")).toEqual({
      faults: [{ fault: "drop-watches" }, { fault: "fail-next", count: 20, code: 503 }, { fault: "restart", downtimeMs: 10_000, rvJump: 1000 }],
      everyMs: 12_000,
    });
    expect(parseFaultSchedule("", undefined)).toEqual({ faults: [], everyMs: 30_000 });
  });

  it("refuses an unknown name or period, naming the known faults", () => {
    expect(() => parseFaultSchedule("drop-watches,meteor", undefined)).toThrow('unknown fault "meteor" (known: drop-watches, expire-next, fail-next, malformed-line, stall-watches, restart, forbid, empty-watches, huge-line)');
    expect(() => parseFaultSchedule("restart", "0")).toThrow('fault period must be 1–86400 seconds, got "0"');
  });
});

describe("startFaultSchedule", () => {
  it("injects the faults in turn, one per period, until stopped", async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const target: FaultTarget = {
      dropWatches: () => (calls.push("drop"), 4),
      stallWatches: () => (calls.push("stall"), 0),
      writeMalformedLine: () => (calls.push("malformed"), 0),
      writeHugeLine: () => (calls.push("huge"), 0),
      dropWatchesOf: () => 0,
      restart: async () => void calls.push("restart"),
      watchCounts: () => ({ open: 0, stalled: 0 }),
    };
    const faults = new Faults(target);
    const logs: string[] = [];
    const stop = startFaultSchedule(faults, parseFaultSchedule("drop-watches,fail-next", "10"), (l) => logs.push(l));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(30_001);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toEqual(["drop", "drop"]);
    expect(faults.state()).toMatchObject({ failNext: 40, failCode: 503 });
    expect(logs).toEqual(["fault injected: drop-watches (4 streams)", "fault injected: fail-next", "fault injected: drop-watches (4 streams)", "fault injected: fail-next"]);
  });
});
