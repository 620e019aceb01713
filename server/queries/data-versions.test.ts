// Kept engine results are per cluster: a write to one cluster keeps the others'; a computation in flight is joined.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { toTimelineDocument } from "../../lib/api/timeline-document";
import { syntheticRollout } from "../store/synthetic";
import type { Store } from "../store/types";
import { scopedDataVersion } from "./data-versions";
import { openRolloutAndBenchStore } from "./test-fixture-store";
import { getTimelineView, listEpisodes } from "./timeline";
import { engineRuns as runs } from "./engine-runs";

// Count the engine's runs (the part the caches keep); everything else is the real engine.
vi.mock("../../lib/engine/timeline", async (original) => (await import("./engine-runs")).countingEngine(original));

const NOW = Date.parse("2026-11-22T07:00:00Z");
let store: Store;

beforeAll(async () => {
  store = await openRolloutAndBenchStore("ds-data-versions-");
});
afterAll(async () => {
  await store.close();
});
beforeEach(() => {
  runs.n = 0;
});

const doc = async (q: Parameters<typeof getTimelineView>[1]) => toTimelineDocument(await getTimelineView(store, q, NOW));
/** A few more pods for `cluster` (new ids, so they are stored). */
const more = (cluster: string, tag: string) => syntheticRollout({ pods: 2, cluster }).map((e) => ({ ...e, id: `${tag}-${e.id}`, ...("podUid" in e ? { podUid: `${tag}-${e.podUid}` } : {}) }));

describe("data versions per cluster", () => {
  it("a write to cluster B keeps cluster A's kept result (and answer); a write to A does not", async () => {
    const a = await doc({ cluster: "prod-eu" });
    const b = await doc({ cluster: "bench" });
    expect(runs.n).toBe(2);
    const versionA = await scopedDataVersion(store, "prod-eu");
    await store.append(more("bench", "b1"));
    expect(await scopedDataVersion(store, "prod-eu")).toBe(versionA);
    expect(await doc({ cluster: "prod-eu" })).toEqual(a);
    expect(runs.n).toBe(2);
    const b2 = await doc({ cluster: "bench" });
    expect(runs.n).toBe(3);
    expect(b2.eventCount).toBeGreaterThan(b.eventCount);
    await store.append(more("prod-eu", "a1"));
    expect(await scopedDataVersion(store, "prod-eu")).not.toBe(versionA);
    await doc({ cluster: "prod-eu" });
    expect(runs.n).toBe(4);
  });

  it("a new cluster, a deleted cluster and a view of every cluster", async () => {
    await doc({ cluster: "prod-eu" });
    const all = await scopedDataVersion(store, undefined);
    runs.n = 0;
    await store.append(more("fresh", "f1"));
    await doc({ cluster: "prod-eu" });
    expect(runs.n).toBe(0);
    expect(await scopedDataVersion(store, undefined)).not.toBe(all); // no cluster named: every write counts
    const fresh = await scopedDataVersion(store, "fresh");
    await store.deleteCluster("fresh");
    expect(await scopedDataVersion(store, "fresh")).not.toBe(fresh);
    await doc({ cluster: "prod-eu" });
    expect(runs.n).toBe(0);
  });

  it("requests for a result being computed join it: the engine runs once", async () => {
    await store.append(more("bench", "b2"));
    const [x, y] = await Promise.all([doc({ cluster: "bench" }), doc({ cluster: "bench" })]);
    expect(runs.n).toBe(1);
    expect(y).toEqual(x);
    runs.n = 0;
    const [e1, e2] = await Promise.all([listEpisodes(store, { cluster: "bench", limit: 5 }, NOW), listEpisodes(store, { cluster: "bench", limit: 5 }, NOW)]);
    expect(runs.n).toBe(1);
    expect(e2).toEqual(e1);
    expect(e1.length).toBeGreaterThan(0);
  });

  it("another copy of the modules (Next compiles each route as its own module graph) finds the same kept result", async () => {
    await doc({ cluster: "bench" });
    runs.n = 0;
    vi.resetModules();
    const other = await import("./timeline");
    expect(other.getTimelineView).not.toBe(getTimelineView);
    await other.getTimelineView(store, { cluster: "bench" }, NOW);
    expect(runs.n).toBe(0);
  });
});
