// The compact text the server sends (written straight into bytes) is the reference encoder's, byte for byte, on real data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCompactTimeline } from "../../lib/api/timeline-compact";
import { writeCompactTimeline } from "../../lib/api/timeline-compact-writer";
import type { Store } from "../store/types";
import { openRolloutAndBenchStore } from "./test-fixture-store";
import { getTimelineView } from "./timeline";

const NOW = Date.parse("2026-11-22T07:00:00Z");
let store: Store;

beforeAll(async () => {
  store = await openRolloutAndBenchStore("ds-compact-writer-");
});
afterAll(async () => {
  await store.close();
});

describe("compact timeline bytes", () => {
  it.each([
    ["the real rollout, no range (the page's first view)", { cluster: "prod-eu" }],
    ["the real rollout, one service", { cluster: "prod-eu", namespace: "default", service: "web", from: Date.parse("2026-11-22T05:41:00Z"), to: Date.parse("2026-11-22T05:42:00Z") }],
    ["the real rollout, whole cluster", { cluster: "prod-eu", from: Date.parse("2026-11-22T05:00:00Z"), to: Date.parse("2026-11-22T06:00:00Z") }],
    ["a 40-pod synthetic rollout with LB members", { cluster: "bench", from: Date.UTC(2026, 0, 5, 10), to: Date.UTC(2026, 0, 5, 14) }],
    ["every cluster", {}],
  ])("are the reference encoder's JSON text: %s", async (_, q) => {
    const view = await getTimelineView(store, q, NOW);
    expect(view.timeline.pods.length).toBeGreaterThan(0);
    const reference = Buffer.from(JSON.stringify(encodeCompactTimeline(view)));
    expect(Buffer.from(writeCompactTimeline(view)).equals(reference)).toBe(true);
  });
});
