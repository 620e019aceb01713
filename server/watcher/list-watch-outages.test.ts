// The list-watch loop in outages, on a simulated clock (LoopEffects): watches the server closes at once,
// a 410 on resume, and a loop resumed from a stored in-sync time. Exact counts, times and gaps.
import { describe, expect, it } from "vitest";
import { newResourceHealth } from "./health";
import { ApiError, type KubeTransport, type WatchLine } from "./kube-transport";
import { DEFAULT_TUNING, runListWatch, type LoopTuning } from "./list-watch";
import { WATCHED_RESOURCES } from "./resources";

const pods = WATCHED_RESOURCES[0]!;
type WatchPlay = (call: number, onLine: (l: WatchLine) => void) => Promise<void> | void;

/** A transport whose lists are empty and whose nth watch plays `watch(n)`; the clock moves only in sleep. */
function loop(watch: WatchPlay, opts: { windowMs: number; tuning?: Partial<LoopTuning>; resume?: { from: number; reason: string }; startAt?: number }) {
  const controller = new AbortController();
  let clock = opts.startAt ?? 0;
  const end = clock + opts.windowMs;
  const requests: string[] = [];
  const gaps: { from: number; to: number; reason: string }[] = [];
  const errors: { retryInMs: number; message: string }[] = [];
  const progress: { at: number; bookmark: boolean }[] = [];
  const objects: { receivedAt: number; changedSince: number | undefined }[] = [];
  let watches = 0;
  const transport: KubeTransport = {
    server: "http://fake",
    async list() {
      requests.push(`list@${clock}`);
      return { items: [], resourceVersion: "5" };
    },
    async watch(_path, _params, { onOpen, onLine }) {
      watches++;
      requests.push(`watch@${clock}`);
      if (watches > 1000) controller.abort(); // a hot loop would never reach the window's end: bound it
      onOpen();
      await watch(watches, onLine);
    },
  };
  const health = newResourceHealth("pods", undefined);
  const run = runListWatch(
    pods,
    undefined,
    transport,
    {
      onObject: (_t, _o, receivedAt, changedSince) => objects.push({ receivedAt, changedSince }),
      onListed: () => undefined,
      onGap: (from, to, reason) => gaps.push({ from, to, reason }),
      onError: (err, _verb, retryInMs) => errors.push({ retryInMs, message: err instanceof Error ? err.message : String(err) }),
      onProgress: (at, bookmark) => progress.push({ at, bookmark }),
    },
    health,
    {
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
        if (clock >= end) controller.abort();
      },
      random: () => 1,
    },
    controller.signal,
    { ...DEFAULT_TUNING, stallMs: 60_000, backoffInitialMs: 500, backoffMaxMs: 30_000, ...opts.tuning },
    opts.resume,
  );
  return { run, requests, gaps, errors, health, progress, objects, now: () => clock };
}

describe("a watch that returns 200 and closes at once", () => {
  it("backs off instead of looping hot: 1 list and 5 watches in 10 s, then a gap and a reported failure", async () => {
    let snapshot: { connected: boolean; openGapFrom: number | undefined } | undefined;
    const l = loop(
      (n) => {
        if (n === 5) snapshot = { connected: l.health.connected, openGapFrom: l.health.openGap?.from };
      },
      { windowMs: 10_000 },
    );
    await l.run;
    // Backoff 500, 1000, 2000, 4000, 8000 ms (random 1 = no jitter): watches at 0, 0.5, 1.5, 3.5, 7.5 s.
    expect(l.requests).toEqual(["list@0", "watch@0", "watch@500", "watch@1500", "watch@3500", "watch@7500"]);
    // The third empty watch in a row opens the gap (from the last in-sync moment) and reports the failure.
    expect(l.errors.map((e) => e.retryInMs)).toEqual([2000, 4000, 8000]);
    expect(l.errors[0]?.message).toBe("watch ended after 0 ms without an event (the server closes it at once); 3 in a row");
    expect(snapshot).toEqual({ connected: false, openGapFrom: 0 });
    expect(l.health.failure).toBeUndefined(); // (set by the cluster watcher from onError, not by the loop)
    expect(l.health.reconnects).toBe(5);
    // Stopped at 15.5 s with the gap still open: it is recorded, closed at the stop.
    expect(l.gaps).toEqual([{ from: 0, to: 15_500, reason: "watch ended after 0 ms without an event (the server closes it at once); 3 in a row (watcher stopped)" }]);
  });

  it("a change replayed after one or two empty watches (no gap yet) is time-ranged back to the last in-sync moment", async () => {
    const l = loop(
      async (n, onLine) => {
        if (n === 3) onLine({ type: "MODIFIED", object: { kind: "Pod", metadata: { uid: "a", resourceVersion: "7" } } });
      },
      { windowMs: 2000 },
    );
    await l.run;
    expect(l.requests.slice(0, 4)).toEqual(["list@0", "watch@0", "watch@500", "watch@1500"]);
    expect(l.gaps).toEqual([]);
    // Received at 1.5 s, but it may have happened any time after 0 (the list), while the watches came back empty.
    expect(l.objects).toEqual([{ receivedAt: 1500, changedSince: 0 }]);
  });

  it("an empty end after a full-length watch is normal; a line after empty ones closes the gap, and backoff resets", async () => {
    const l = loop(
      async (n, onLine) => {
        if (n === 5) onLine({ type: "BOOKMARK", object: { metadata: { resourceVersion: "9" } } });
      },
      { windowMs: 20_000 },
    );
    await l.run;
    expect(l.requests.slice(0, 7)).toEqual(["list@0", "watch@0", "watch@500", "watch@1500", "watch@3500", "watch@7500", "watch@7500"]);
    // Watch 5 carried a bookmark: the gap [0, 7.5 s] is recorded then, and watch 6 starts the backoff over.
    expect(l.gaps[0]).toEqual({ from: 0, to: 7500, reason: "watch ended after 0 ms without an event (the server closes it at once); 3 in a row" });
    expect(l.progress[1]).toEqual({ at: 7500, bookmark: true });
    expect(l.requests[7]).toBe("watch@8000");
  });
});

describe("outages across a restart or a 410", () => {
  it("a loop resumed from a stored in-sync time starts with that gap open and records it once in sync", async () => {
    const l = loop(() => undefined, { windowMs: 1, startAt: 1_000_000, resume: { from: 955_000, reason: "Drainscope was not watching (restart or crash)" } });
    const openAtList = l.health.openGap?.from;
    await l.run;
    expect(openAtList).toBe(955_000);
    expect(l.gaps[0]).toEqual({ from: 955_000, to: 1_000_000, reason: "Drainscope was not watching (restart or crash)" });
    expect(l.gaps).toHaveLength(1);
  });

  it("a dropped watch whose resume answers 410 is one gap, not two", async () => {
    const controller = new AbortController();
    let clock = 0;
    let watches = 0;
    const requests: string[] = [];
    const gaps: { from: number; to: number }[] = [];
    const transport: KubeTransport = {
      server: "http://fake",
      async list() {
        requests.push(`list@${clock}`);
        return { items: [], resourceVersion: "5" };
      },
      async watch(_p, _q, { onOpen, onLine }) {
        watches++;
        requests.push(`watch@${clock}`);
        if (watches === 1) {
          onOpen();
          onLine({ type: "BOOKMARK", object: { metadata: { resourceVersion: "6" } } });
          clock += 1000;
          throw new Error("socket hang up");
        }
        if (watches === 2) throw new ApiError("410: too old resource version", 410);
        onOpen();
        clock += 60_000;
        controller.abort();
      },
    };
    await runListWatch(
      pods,
      undefined,
      transport,
      { onObject: () => undefined, onListed: () => undefined, onGap: (from, to) => gaps.push({ from, to }) },
      newResourceHealth("pods", undefined),
      { now: () => clock, sleep: async (ms) => void (clock += ms), random: () => 1 },
      controller.signal,
      { ...DEFAULT_TUNING, backoffInitialMs: 500, minWatchMs: 0 },
    );
    expect(requests).toEqual(["list@0", "watch@0", "watch@1500", "list@1500", "watch@1500"]);
    // One outage: from the bookmark at 0 (last in sync) to the relist at 1.5 s.
    expect(gaps).toEqual([{ from: 0, to: 1500 }]);
  });
});
