// The warm-up computes the first reads once; a request during it joins it, one after it finds it kept.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { timelineBody } from "../http/timeline-body";
import { ENGINE_CACHE_MAX_EVENTS } from "../queries/engine-cache";
import { listEpisodes, NOTHING_LIVE } from "../queries/timeline";
import { openSqliteStore } from "../store/sqlite";
import { syntheticRollout } from "../store/synthetic";
import type { Store } from "../store/types";
import { quietMoment, quietNeededMs, startReadWarmer, warmLatestViews, type WarmSources } from "./read-warmer";
import { engineRuns as runs } from "../queries/engine-runs";

// Count the engine's runs (the part the caches keep); everything else is the real engine.
vi.mock("../../lib/engine/timeline", async (original) => (await import("../queries/engine-runs")).countingEngine(original));

const NOW = Date.UTC(2026, 0, 6);
let store: Store;
let src: WarmSources;

beforeEach(async () => {
  store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), "ds-read-warmer-")), "drainscope.db") });
  await store.append(syntheticRollout({ pods: 20, cluster: "a", namespace: "shop" }));
  await store.append(syntheticRollout({ pods: 10, cluster: "b", namespace: "tea", start: Date.UTC(2026, 0, 4) }));
  src = { store, now: () => NOW, isLive: NOTHING_LIVE, openGaps: () => [], quiet: async () => undefined };
  runs.n = 0;
});
afterEach(async () => {
  await store.close();
});

describe("read warm-up", () => {
  it("warms each cluster's episode list and the page's first timeline, smallest cluster first; then nothing is computed again", async () => {
    expect(await warmLatestViews(src)).toEqual({ clusters: ["b", "a"], skipped: [] });
    expect(runs.n).toBe(4); // per cluster: the list's last day, the latest episode's namespace's last day
    const body = await timelineBody(store, { cluster: "a", namespace: "shop" }, "compact", NOW, [], NOTHING_LIVE);
    await timelineBody(store, { cluster: "b", namespace: "tea" }, "compact", NOW, [], NOTHING_LIVE);
    await listEpisodes(store, { limit: 100 }, NOW);
    expect(runs.n).toBe(4);
    expect((JSON.parse(body.text) as { v: number }).v).toBe(1);
    // Warming again with nothing new: all kept.
    await warmLatestViews(src);
    expect(runs.n).toBe(4);
  });

  it("a request made while the warm-up runs computes nothing twice", async () => {
    const warmer = startReadWarmer(src, () => undefined);
    const body = await timelineBody(store, { cluster: "a", namespace: "shop" }, "compact", NOW, [], NOTHING_LIVE);
    await warmer.idle();
    warmer.stop();
    expect(runs.n).toBe(4);
    expect(await timelineBody(store, { cluster: "a", namespace: "shop" }, "compact", NOW, [], NOTHING_LIVE)).toBe(body);
  });

  it("after writes settle it warms again, once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const lines: string[] = [];
      const debugLines: string[] = [];
      const warmer = startReadWarmer(src, (l) => lines.push(l), 1000, (l) => debugLines.push(l));
      await warmer.idle();
      await store.append(syntheticRollout({ pods: 2, cluster: "a", namespace: "shop" }).map((e) => ({ ...e, id: `x-${e.id}`, ...("podUid" in e ? { podUid: `x-${e.podUid}` } : {}) })));
      warmer.written();
      warmer.written();
      runs.n = 0;
      vi.advanceTimersByTime(999);
      await warmer.idle();
      expect(runs.n).toBe(0);
      vi.advanceTimersByTime(1);
      await warmer.idle();
      expect(runs.n).toBe(2); // cluster a again (b is kept)
      // The start's pass is logged; the passes after writes only at debug.
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^reads warmed in \d+ ms: b, a$/);
      expect(debugLines).toHaveLength(1);
      expect(debugLines[0]).toMatch(/^reads warmed in \d+ ms: b, a$/);
      warmer.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it("warms the page's view before the episode list when the cluster has one namespace", async () => {
    const relabel = (tag: string) => (e: ReturnType<typeof syntheticRollout>[number]) => ({ ...e, id: `${tag}-${e.id}`, ...("podUid" in e ? { podUid: `${tag}-${e.podUid}` } : {}) });
    await store.append(syntheticRollout({ pods: 3, cluster: "c", namespace: "x" }));
    await store.append(syntheticRollout({ pods: 3, cluster: "c", namespace: "y", start: Date.UTC(2026, 0, 5, 14) }).map(relabel("y")));
    const scopes: string[] = [];
    const query = store.query.bind(store);
    const watched = new Proxy(store, { get: (t, k) => (k === "query" ? (q: Parameters<Store["query"]>[0]) => (scopes.push(`${q.cluster}/${q.namespace ?? "*"}`), query(q)) : (Reflect.get(t, k) as unknown) instanceof Function ? (Reflect.get(t, k) as (...a: unknown[]) => unknown).bind(t) : Reflect.get(t, k)) });
    expect(await warmLatestViews({ ...src, store: watched })).toEqual({ clusters: ["c", "b", "a"], skipped: [] });
    // c has two namespaces: its list says which the page opens on; b and a have one: their page's view comes first.
    expect(scopes).toEqual(["c/*", "c/y", "b/tea", "b/*", "a/shop", "a/*"]);
  });

  it("leaves out a cluster whose events would not fit the engine cache beside those warmed", async () => {
    // The same store, reporting cluster a as large as the whole budget.
    const clusters = async () => (await store.clusters()).map((c) => (c.name === "a" ? { ...c, events: ENGINE_CACHE_MAX_EVENTS } : c));
    const big = { ...src, store: new Proxy(store, { get: (t, k) => (k === "clusters" ? clusters : (Reflect.get(t, k) as unknown) instanceof Function ? (Reflect.get(t, k) as (...a: unknown[]) => unknown).bind(t) : Reflect.get(t, k)) }) };
    expect(await warmLatestViews(big)).toEqual({ clusters: ["b"], skipped: ["a"] });
  });

  it("quietMoment resolves on an idle event loop; larger clusters wait for a longer quiet", async () => {
    await expect(quietMoment()).resolves.toBeUndefined();
    expect([quietNeededMs(100), quietNeededMs(13_602), quietNeededMs(136_002), quietNeededMs(10_000_000)]).toEqual([250, 680, 6800, 8000]);
    const asked: number[] = [];
    await warmLatestViews({ ...src, quiet: async (ms) => void asked.push(ms) });
    const events = new Map((await store.clusters()).map((c) => [c.name, c.events]));
    expect(asked).toEqual([quietNeededMs(events.get("b") ?? 0), quietNeededMs(events.get("b") ?? 0), quietNeededMs(events.get("a") ?? 0), quietNeededMs(events.get("a") ?? 0)]);
  });

  it("stops between steps once stopped (shutdown does not wait for the whole pass)", async () => {
    let entered: (release: () => void) => void = () => undefined;
    const inQuiet = new Promise<() => void>((r) => (entered = r));
    const warmer = startReadWarmer({ ...src, quiet: () => new Promise<void>((r) => entered(r)) }, () => undefined);
    const release = await inQuiet; // the pass waits for its first quiet moment
    warmer.stop();
    release();
    await warmer.idle();
    expect(runs.n).toBe(0);
  });
});
