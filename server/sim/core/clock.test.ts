import { describe, expect, it } from "vitest";
import { createManualClock, createScaledClock, type WallTimers } from "./clock";

/** Host timers under the test's control. */
function fakeWall(): WallTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const immediates = new Map<number, () => void>();
  const runImmediates = (): void => {
    while (immediates.size > 0) {
      const [id, fn] = immediates.entries().next().value ?? [0, () => {}];
      immediates.delete(id);
      fn();
    }
  };
  return {
    now: () => now,
    schedule(fn, ms) {
      const id = seq++;
      timers.set(id, { at: now + Math.max(1, ms), fn });
      return () => timers.delete(id);
    },
    immediate(fn) {
      const id = seq++;
      immediates.set(id, fn);
      return () => immediates.delete(id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        runImmediates();
        const next = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > end) break;
        now = next[1].at;
        timers.delete(next[0]);
        next[1].fn();
      }
      now = end;
      runImmediates();
    },
    pending: () => timers.size + immediates.size,
  };
}

describe("manual clock", () => {
  it("runs timers in due order (FIFO on ties) and stamps callbacks with their due time", () => {
    const c = createManualClock(1000);
    const seen: string[] = [];
    c.setTimer(20, () => seen.push(`b@${c.now()}`));
    c.setTimer(10, () => seen.push(`a@${c.now()}`));
    c.setTimer(20, () => seen.push(`c@${c.now()}`));
    const cancelled = c.setTimer(15, () => seen.push("never"));
    c.clearTimer(cancelled);
    c.setTimerAt(1005, () => seen.push(`at@${c.now()}`));
    c.advance(25);
    expect(seen).toEqual(["at@1005", "a@1010", "b@1020", "c@1020"]);
    expect(c.now()).toBe(1025);
  });

  it("runs timers scheduled by timers, until idle", async () => {
    const c = createManualClock(0);
    let n = 0;
    const tick = (): void => {
      if (++n < 5) c.setTimer(100, tick);
    };
    c.setTimer(100, tick);
    c.runUntilIdle();
    expect(n).toBe(5);
    expect(c.now()).toBe(500);
    expect(c.pending()).toBe(0);
  });
});

describe("scaled clock", () => {
  it("runs virtual time at `speed` × wall time", () => {
    const wall = fakeWall();
    const c = createScaledClock({ startMs: 0, speed: 10, wall });
    const fired: number[] = [];
    c.setTimer(500, () => fired.push(c.now()));
    wall.advance(40);
    expect(fired).toEqual([]);
    expect(c.now()).toBeCloseTo(400);
    wall.advance(20);
    expect(fired).toEqual([500]);
    expect(c.now()).toBeGreaterThanOrEqual(500);
    c.stop();
  });

  it("never lets now() pass a timer that has not run yet, and re-anchors when the host is late", () => {
    let wallNow = 0;
    const wall: WallTimers = { now: () => wallNow, schedule: () => () => {}, immediate: () => () => {} };
    const c = createScaledClock({ startMs: 0, speed: 10, wall });
    c.setTimer(500, () => {});
    wallNow = 200; // 2000 ms virtual by the wall, but the timer at 500 has not been dispatched
    expect(c.now()).toBe(500);
    c.stop();
  });

  it("locked to the wall, a late host does not make virtual time drift behind the wall clock", () => {
    const wall = fakeWall();
    const locked = createScaledClock({ startMs: 0, speed: 1, wall, lockToWall: true });
    const fired: number[] = [];
    for (let t = 100; t <= 1000; t += 100) locked.setTimer(t, () => fired.push(locked.now()));
    wall.advance(1500); // the host wakes up late, all at once
    expect(fired).toHaveLength(10);
    expect(locked.now()).toBe(1500); // still start + wall elapsed: no re-anchoring at the late timers
    locked.stop();
  });

  it("stands still while paused and resumes from the same instant", () => {
    const wall = fakeWall();
    const c = createScaledClock({ startMs: 5000, speed: 100, wall, paused: true });
    const fired: number[] = [];
    c.setTimer(100, () => fired.push(c.now()));
    wall.advance(1000);
    expect(c.now()).toBe(5000);
    expect(fired).toEqual([]);
    c.resume();
    wall.advance(2);
    expect(fired).toEqual([5100]);
    c.stop();
  });

  it("refuses a speed that is not positive", () => {
    expect(() => createScaledClock({ startMs: 0, speed: 0 })).toThrow(/speed/);
  });
});
