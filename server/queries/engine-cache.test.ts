// Engine results are computed once per (data version, scope, range, open gaps, live) and reused.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { WatcherGap } from "../../lib/model/events";
import { toTimelineDocument } from "../../lib/api/timeline-document";
import { syntheticRollout } from "../store/synthetic";
import type { Store } from "../store/types";
import { ENGINE_CACHE_MAX_ENTRIES, engineCacheSize } from "./engine-cache";
import { openRolloutAndBenchStore } from "./test-fixture-store";
import { getTimelineView } from "./timeline";
import { engineRuns as runs } from "./engine-runs";

// Count the engine's runs (the part the caches keep); everything else is the real engine.
vi.mock("../../lib/engine/timeline", async (original) => (await import("./engine-runs")).countingEngine(original));

const NOW = Date.parse("2026-11-22T07:00:00Z");
const BENCH_RANGE = { cluster: "bench", from: Date.UTC(2026, 0, 5, 10), to: Date.UTC(2026, 0, 5, 14) };
let store: Store;

beforeAll(async () => {
  store = await openRolloutAndBenchStore("ds-engine-cache-");
});
afterAll(async () => {
  await store.close();
});
beforeEach(() => {
  runs.n = 0;
});

const doc = async (q: Parameters<typeof getTimelineView>[1], now = NOW, gaps: readonly WatcherGap[] = [], live = false) =>
  toTimelineDocument(await getTimelineView(store, q, now, gaps, () => live));

describe("engine result cache", () => {
  it("a second identical request does not run the engine, and answers the same", async () => {
    const first = await doc(BENCH_RANGE);
    expect(runs.n).toBe(1);
    const second = await doc(BENCH_RANGE);
    expect(runs.n).toBe(1);
    expect(second).toEqual(first);
    expect(first.lanes).toHaveLength(40);
  });

  it("a new event runs it again, and the answer shows the event", async () => {
    const before = await doc(BENCH_RANGE);
    runs.n = 0;
    const lane = before.lanes[0];
    if (!lane) throw new Error("no lane");
    await store.append([{ type: "pod-seen-removed-marker-test", id: "x" } as never]); // rejected by the store: no write
    await doc(BENCH_RANGE);
    expect(runs.n).toBe(0);
    const extra = syntheticRollout({ pods: 1, cluster: "bench" }).map((e) => ({ ...e, id: `extra-${e.id}`, ...("podUid" in e ? { podUid: `extra-${e.podUid}` } : {}) }));
    await store.append(extra);
    const after = await doc(BENCH_RANGE);
    expect(runs.n).toBe(1);
    expect(after.lanes.length).toBeGreaterThan(before.lanes.length);
    expect(after.eventCount).toBe(before.eventCount + extra.length);
  });

  it("a live view's moving clock does not run it again; the answer is as of each request's now", async () => {
    const q = { ...BENCH_RANGE, to: BENCH_RANGE.to + 1 };
    const a = await doc(q, NOW, [], true);
    const b = await doc(q, NOW + 1000, [], true);
    expect(runs.n).toBe(1);
    expect([a.generatedFor.now, b.generatedFor.now]).toEqual([new Date(NOW).toISOString(), new Date(NOW + 1000).toISOString()]);
    expect(b.lanes).toEqual(a.lanes);
    // Live or not is part of the key: a stored history's episode is "incomplete", a live one "in progress".
    await doc(q, NOW, [], false);
    expect(runs.n).toBe(2);
  });

  it("an open watcher gap in scope is part of the key", async () => {
    const q = { ...BENCH_RANGE, to: BENCH_RANGE.to + 2 };
    await doc(q);
    const gap: WatcherGap = { type: "watcher-gap", id: "gap:1", cluster: "bench", namespace: "", source: "watcher", at: BENCH_RANGE.from + 60_000, range: [BENCH_RANGE.from + 60_000, BENCH_RANGE.from + 60_000], clock: "watcher", precision: "exact", from: BENCH_RANGE.from + 60_000, resource: "pods", reason: "test" } as WatcherGap;
    const withGap = await doc(q, NOW, [gap]);
    expect(runs.n).toBe(2);
    expect(withGap.gaps.map((g) => g.eventId)).toEqual(["gap:1"]);
    await doc(q, NOW, [gap]);
    expect(runs.n).toBe(2);
  });

  it.each(["prod-eu", "bench"])("without a range, the engine runs once (the latest episode's view is cut from the last day's result): %s", async (cluster) => {
    const q = { cluster };
    const cut = await doc(q);
    expect(runs.n).toBe(1);
    await doc(q);
    expect(runs.n).toBe(1);
    // The same range asked for by name computes over that range: the same lanes and windows.
    const named = await doc({ ...q, from: cut.range.from, to: cut.range.to });
    expect(runs.n).toBe(2);
    expect(cut.lanes.map((l) => l.uid)).toEqual(named.lanes.map((l) => l.uid));
    expect(cut.lanes).toEqual(named.lanes);
    expect(cut.riskWindows).toEqual(named.riskWindows);
    expect(cut.episodes).toEqual(named.episodes);
    expect(cut.riskWindows.length).toBeGreaterThan(0);
  });

  it("keeps at most ENGINE_CACHE_MAX_ENTRIES results, least recently used going first", async () => {
    for (let i = 0; i < ENGINE_CACHE_MAX_ENTRIES + 4; i++) await doc({ ...BENCH_RANGE, from: BENCH_RANGE.from - i - 10 });
    expect(engineCacheSize(store)).toBe(ENGINE_CACHE_MAX_ENTRIES);
    runs.n = 0;
    await doc({ ...BENCH_RANGE, from: BENCH_RANGE.from - (ENGINE_CACHE_MAX_ENTRIES + 3) - 10 }); // the newest: kept
    expect(runs.n).toBe(0);
    await doc({ ...BENCH_RANGE, from: BENCH_RANGE.from - 10 }); // the oldest: gone
    expect(runs.n).toBe(1);
  });
});
