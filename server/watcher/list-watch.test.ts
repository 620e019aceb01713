// The list-watch loop against a scripted transport: each list/watch call plays the next step.
import { describe, expect, it } from "vitest";
import { newResourceHealth } from "./health";
import { ApiError, MalformedLineError, type KubeTransport, type ListPage, type WatchLine } from "./kube-transport";
import { runListWatch, type LoopTuning } from "./list-watch";
import { WATCHED_RESOURCES } from "./resources";

const pods = WATCHED_RESOURCES[0]!;
const pod = (uid: string, rv: string) => ({ metadata: { name: uid, namespace: "d", uid, resourceVersion: rv }, spec: { containers: [{ name: "c" }] } });

type WatchStep = { lines: WatchLine[]; then: "end" | Error | "stall"; refused?: boolean };
type Step = { list: ListPage } | { watch: WatchStep } | { list: "hang" | Error };

function scripted(steps: Step[], controller: AbortController) {
  const calls: string[] = [];
  const next = <K extends "list" | "watch">(kind: K) => {
    const s = steps.shift();
    if (!s) {
      controller.abort();
      throw new Error("script finished");
    }
    if (!(kind in s)) throw new Error(`expected ${kind}, script has ${Object.keys(s)[0]}`);
    return s;
  };
  const transport: KubeTransport = {
    server: "http://fake",
    async list(path, params, signal) {
      const step = (next("list") as { list: ListPage | "hang" | Error }).list;
      calls.push(`list ${path} ${params.continue ?? ""}`.trim());
      if (step instanceof Error) throw step;
      if (step === "hang") {
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
        throw new Error("The operation was aborted.");
      }
      return step;
    },
    async watch(path, params, { onOpen, onLine }, signal) {
      const step = (next("watch") as { watch: WatchStep }).watch;
      calls.push(`watch rv=${params.resourceVersion} bookmarks=${params.allowWatchBookmarks} timeout=${params.timeoutSeconds}`);
      if (step.refused) throw step.then;
      onOpen();
      for (const l of step.lines) onLine(l);
      if (step.then === "end") return;
      if (step.then === "stall") {
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
        throw new Error("aborted");
      }
      throw step.then;
    },
  };
  return { transport, calls };
}

function harness(steps: Step[], tuning: Partial<LoopTuning> = {}) {
  const controller = new AbortController();
  const { transport, calls } = scripted(steps, controller);
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const objects: string[] = [];
  const listed: { uids: string[]; gapFrom: number | undefined }[] = [];
  const gaps: { from: number; to: number; reason: string }[] = [];
  const errors: { verb: string; retryInMs: number; message: string; openGapFrom: number | undefined }[] = [];
  let inSync = 0;
  const health = newResourceHealth("pods", undefined);
  const run = runListWatch(
    pods,
    undefined,
    transport,
    {
      onObject: (type, o) => {
        clock += 10;
        objects.push(`${type} ${(o.metadata as { uid: string }).uid}`);
      },
      onListed: (uids, gapFrom) => listed.push({ uids: [...uids].sort(), gapFrom }),
      onGap: (from, to, reason) => gaps.push({ from, to, reason }),
      onError: (err, verb, retryInMs) => errors.push({ verb, retryInMs, message: err instanceof Error ? err.message : String(err), openGapFrom: health.openGap?.from }),
      onInSync: () => inSync++,
    },
    health,
    {
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(Math.round(ms));
        clock += ms;
      },
      random: () => 0.5,
    },
    controller.signal,
    { stallMs: 50, backoffInitialMs: 500, backoffMaxMs: 4000, watchTimeoutSeconds: [300, 600], listPageSize: 2, listTimeoutMs: 60_000, minWatchMs: 0, emptyWatchLimit: 3, ...tuning },
  );
  return { run, calls, sleeps, objects, listed, gaps, health, errors, inSync: () => inSync };
}

const line = (type: string, object: Record<string, unknown>): WatchLine => ({ type, object });

describe("runListWatch", () => {
  it("lists in pages, watches with bookmarks and a 300–600 s timeout, resumes from the last version after a clean end", async () => {
    const h = harness([
      { list: { items: [pod("a", "1"), pod("b", "2")], resourceVersion: "5", continueToken: "t1" } },
      { list: { items: [pod("c", "3")], resourceVersion: "5" } },
      { watch: { lines: [line("MODIFIED", pod("a", "6")), line("BOOKMARK", { metadata: { resourceVersion: "9" } })], then: "end" } },
      { watch: { lines: [], then: "end" } },
    ]);
    await h.run;
    expect(h.calls).toEqual([
      "list /api/v1/pods",
      "list /api/v1/pods t1",
      "watch rv=5 bookmarks=true timeout=450",
      "watch rv=9 bookmarks=true timeout=450",
    ]);
    expect(h.objects).toEqual(["ADDED a", "ADDED b", "ADDED c", "MODIFIED a"]);
    expect(h.listed).toEqual([{ uids: ["a", "b", "c"], gapFrom: undefined }]);
    expect(h.gaps).toEqual([]);
  });

  it("relists on an in-stream 410 and reports the gap and the objects present", async () => {
    const h = harness([
      { list: { items: [pod("a", "1"), pod("b", "2")], resourceVersion: "5" } },
      { watch: { lines: [line("ERROR", { kind: "Status", code: 410, reason: "Expired", message: "too old resource version" })], then: "end" } },
      { list: { items: [pod("a", "7")], resourceVersion: "20" } },
      { watch: { lines: [], then: "end" } },
    ]);
    await h.run;
    expect(h.calls.filter((c) => c.startsWith("list"))).toHaveLength(2);
    expect(h.calls.at(-1)).toBe("watch rv=20 bookmarks=true timeout=450");
    expect(h.listed[1]?.uids).toEqual(["a"]); // b is gone: the caller infers its removal
    expect(h.listed[1]?.gapFrom).toBeDefined();
    expect(h.gaps).toHaveLength(1);
    expect(h.gaps[0]?.reason).toBe("410 Expired: too old resource version");
    expect(h.health).toMatchObject({ relists: 1, reconnects: 0 });
    expect(h.sleeps).toEqual([]); // no backoff before a relist
  });

  it("backs off exponentially (capped, with jitter) on errors and resumes from the same version", async () => {
    const h = harness([
      { list: { items: [], resourceVersion: "5" } },
      { watch: { lines: [], then: new ApiError("500: etcd unavailable", 500) } },
      { watch: { lines: [], then: new Error("connect ECONNREFUSED"), refused: true } },
      { watch: { lines: [], then: new Error("connect ECONNREFUSED"), refused: true } },
      { watch: { lines: [], then: new Error("connect ECONNREFUSED"), refused: true } },
      { watch: { lines: [], then: new Error("connect ECONNREFUSED"), refused: true } },
      { watch: { lines: [], then: new Error("socket hang up") } },
      { watch: { lines: [], then: "end" } },
    ]);
    await h.run;
    // 500 ms · 2^attempt, capped at 4 s, times the jitter factor 0.5 + random/2 = 0.75; a successful open resets it.
    expect(h.sleeps).toEqual([375, 750, 1500, 3000, 3000, 375]);
    expect(h.calls.slice(1).every((c) => c.startsWith("watch rv=5"))).toBe(true);
    expect(h.health.reconnects).toBe(6);
    // One gap per outage: it opens at the first failure and closes when a watch opens again.
    expect(h.gaps.map((g) => g.reason)).toEqual(["500: etcd unavailable", "socket hang up"]);
  });

  it("relists after a malformed line, since an event was lost", async () => {
    const h = harness([
      { list: { items: [pod("a", "1")], resourceVersion: "5" } },
      { watch: { lines: [], then: new MalformedLineError("malformed watch line: {oops") } },
      { list: { items: [pod("a", "1")], resourceVersion: "8" } },
      { watch: { lines: [], then: "end" } },
    ]);
    await h.run;
    expect(h.calls.map((c) => c.split(" ")[0])).toEqual(["list", "watch", "list", "watch"]);
    expect(h.gaps.map((g) => g.reason)).toEqual(["malformed watch line: {oops"]);
  });

  it("treats a silent stream as stalled and reconnects", async () => {
    const h = harness([
      { list: { items: [], resourceVersion: "5" } },
      { watch: { lines: [], then: "stall" } },
      { watch: { lines: [], then: "end" } },
    ]);
    await h.run;
    expect(h.gaps.map((g) => g.reason)).toEqual(["no data for 0 s: stream stalled"]);
    expect(h.calls.filter((c) => c.startsWith("watch"))).toHaveLength(2);
  });

  it("a refused first list: the open gap from the start, each failure with its verb and delay, then the closed gap", async () => {
    const h = harness([
      { list: new ApiError('403: pods is forbidden: User "x" cannot list resource "pods"', 403) },
      { list: new ApiError('403: pods is forbidden: User "x" cannot list resource "pods"', 403) },
      { list: { items: [pod("a", "1")], resourceVersion: "5" } },
      { watch: { lines: [], then: new ApiError('403: pods is forbidden: User "x" cannot watch resource "pods"', 403), refused: true } },
      { watch: { lines: [], then: "end" } },
    ]);
    await h.run;
    // The loop started at 1,000,000: that is where the gap opens; the first list's answer and each sleep move the clock.
    expect(h.errors).toEqual([
      { verb: "list", retryInMs: 375, message: '403: pods is forbidden: User "x" cannot list resource "pods"', openGapFrom: 1_000_000 },
      { verb: "list", retryInMs: 750, message: '403: pods is forbidden: User "x" cannot list resource "pods"', openGapFrom: 1_000_000 },
      // A list that works while the watch is refused is still the same outage: the backoff keeps growing.
      { verb: "watch", retryInMs: 1500, message: '403: pods is forbidden: User "x" cannot watch resource "pods"', openGapFrom: 1_001_135 },
    ]);
    expect(h.gaps).toEqual([
      { from: 1_000_000, to: 1_001_135, reason: '403: pods is forbidden: User "x" cannot list resource "pods"' },
      { from: 1_001_135, to: 1_002_635, reason: '403: pods is forbidden: User "x" cannot watch resource "pods"' },
    ]);
    expect(h.health.openGap).toBeUndefined();
    expect(h.inSync()).toBeGreaterThanOrEqual(2);
  });

  it("a list that never answers fails after listTimeoutMs instead of hanging the loop", async () => {
    const h = harness([{ list: "hang" }, { list: { items: [], resourceVersion: "5" } }, { watch: { lines: [], then: "end" } }], { listTimeoutMs: 20 });
    await h.run;
    expect(h.errors.map((e) => [e.verb, e.message])).toEqual([["list", "list /api/v1/pods: no answer within 0 s"]]);
    expect(h.gaps.map((g) => g.reason)).toEqual(["list /api/v1/pods: no answer within 0 s"]);
  });
});
