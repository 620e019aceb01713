// The page fetches `?format=compact` and decodes it (lib/view/timeline-doc.ts): the view model it draws
// must be the one the JSON document gives, for the real fixtures and a 1,000-pod rollout, and the live
// patches (lib/view/live-patch.ts) must act on it alike.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCompactTimeline } from "../../lib/api/timeline-compact";
import { toTimelineDocument, viewModelOfDocument, type TimelineDocument } from "../../lib/api/timeline-document";
import type { TimelineQuery } from "../../lib/api/contracts";
import type { LifecycleEvent } from "../../lib/model/events";
import { applyObservations } from "../../lib/view/live-patch";
import { timelineViewModelFromCompact, toViewWindows, type TimelineDoc } from "../../lib/view/timeline-doc";
import { recordingToEvents } from "../../lib/recording/analyze";
import { parseRecording } from "../../lib/recording/parse";
import { openSqliteStore } from "../store/sqlite";
import { syntheticRollout } from "../store/synthetic";
import type { Store } from "../store/types";
import { getTimelineView } from "./timeline";

const FIXTURES = join(__dirname, "../../../shared/fixtures");
const NOW = Date.parse("2026-11-22T07:00:00Z");
const LARGE = syntheticRollout({ pods: 1000, cluster: "large-rollout" });
let store: Store;

beforeAll(async () => {
  store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), "ds-view-model-")), "drainscope.db") });
  // As the e2e store is seeded (server/dev/seed.ts).
  for (const [dir, cluster] of [["real-v1.24-rollout", "fixture-rollout"], ["real-v1.24-clean-rollout", "fixture-clean"]] as const) {
    const files = readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith(".jsonl") && f !== "kubelet-truth.jsonl");
    await store.append(recordingToEvents(files.flatMap((f) => parseRecording(f, readFileSync(join(FIXTURES, dir, f), "utf8"))), cluster));
  }
  for (let i = 0; i < LARGE.length; i += 2000) await store.append(LARGE.slice(i, i + 2000));
}, 60_000);
afterAll(async () => {
  await store.close();
});

/** What the page gets from each format: the JSON document as parsed (but its `pods` list), and the compact one as decoded. */
async function both(q: TimelineQuery): Promise<{ json: TimelineDoc; compact: TimelineDoc; document: TimelineDocument }> {
  const view = await getTimelineView(store, q, NOW);
  const document = JSON.parse(JSON.stringify(toTimelineDocument(view))) as TimelineDocument;
  return { json: viewModelOfDocument(document), compact: timelineViewModelFromCompact(JSON.parse(JSON.stringify(encodeCompactTimeline(view)))), document };
}

const LARGE_EPISODE = "rollout:shop:web:1767614400000";

describe("the page's view model: compact decoded == JSON parsed", () => {
  it.each<[string, TimelineQuery, number]>([
    ["fixture-rollout, no range (its latest episode)", { cluster: "fixture-rollout" }, 6],
    ["fixture-clean, one service, a range", { cluster: "fixture-clean", namespace: "clean-rollout", service: "web", from: Date.parse("2026-11-22T05:50:00Z"), to: Date.parse("2026-11-22T06:30:00Z") }, 6],
    ["large-rollout, no range", { cluster: "large-rollout", namespace: "shop" }, 1000],
    ["large-rollout, a bucket window", { cluster: "large-rollout", namespace: "shop", from: Date.UTC(2026, 0, 5, 11, 50), to: Date.UTC(2026, 0, 5, 12, 10) }, 1000],
  ])("%s", async (_, q, lanes) => {
    const { json, compact, document } = await both(q);
    expect(json.lanes).toHaveLength(lanes);
    expect(document.pods.map((p) => p.uid)).toEqual(json.lanes.map((l) => l.uid)); // left out of the view model: the lanes carry them
    expect("pods" in compact).toBe(false);
    expect(compact).toEqual(json);
    expect(toViewWindows(compact.riskWindows, Date.parse(compact.generatedFor.now))).toEqual(toViewWindows(json.riskWindows, Date.parse(json.generatedFor.now)));
  });

  it("the large rollout's episode (every window and lane the drawer and list show)", async () => {
    const { json, compact } = await both({ cluster: "large-rollout", namespace: "shop", episode: LARGE_EPISODE });
    expect(json.riskWindows.length).toBeGreaterThan(0);
    expect(compact).toEqual(json);
  });

  it("live patches act on both alike: a pod's delete and removal markers", async () => {
    const { json, compact } = await both({ cluster: "large-rollout", namespace: "shop" });
    const alive = json.lanes.find((l) => !l.keyTimes.deleteRequested);
    if (!alive) throw new Error("every pod of the rollout is deleted: no lane to patch");
    const at = Date.UTC(2026, 0, 5, 13);
    const base = { cluster: "large-rollout", namespace: "shop", source: "watcher", at, range: [at, at], clock: "watcher", precision: "exact", pod: alive.name, podUid: alive.uid } as const;
    const events = [
      { ...base, type: "delete-requested", id: "live:del", graceSeconds: 30, force: false },
      { ...base, type: "pod-removed", id: "live:rm", at: at + 1000, range: [at + 1000, at + 1000], via: "watch" },
    ] as unknown as LifecycleEvent[];
    const a = applyObservations(json, events, { cluster: "large-rollout", namespace: "shop" });
    const b = applyObservations(compact, events, { cluster: "large-rollout", namespace: "shop" });
    expect(a.applied).toBe(2);
    expect(b).toEqual(a);
    expect(b.doc.lanes.find((l) => l.uid === alive.uid)?.keyTimes.removed?.at).toBe(at + 1000);
  });
});
