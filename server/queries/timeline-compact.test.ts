// The two wire formats of GET /api/timeline decode to the same timeline, from a real store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCompactTimeline, encodeCompactTimeline } from "../../lib/api/timeline-compact";
import { toTimelineDocument } from "../../lib/api/timeline-document";
import type { Store } from "../store/types";
import { openRolloutAndBenchStore } from "./test-fixture-store";
import { getTimeline, getTimelineView } from "./timeline";

const NOW = Date.parse("2026-11-22T07:00:00Z");
let store: Store;

beforeAll(async () => {
  store = await openRolloutAndBenchStore("ds-compact-");
});
afterAll(async () => {
  await store.close();
});

/** Each format as the browser gets it: JSON text, parsed; the compact one then decoded into the document. */
async function bothFormats(q: Parameters<typeof getTimeline>[1]) {
  const json = JSON.parse(JSON.stringify(await getTimeline(store, q, NOW))) as unknown;
  const compactText = JSON.stringify(encodeCompactTimeline(await getTimelineView(store, q, NOW)));
  const decoded = toTimelineDocument(decodeCompactTimeline(JSON.parse(compactText)));
  return { json, decoded, jsonBytes: JSON.stringify(json).length, compactBytes: compactText.length };
}

describe("timeline wire formats", () => {
  it.each([
    ["a real rollout, one service", { cluster: "prod-eu", namespace: "default", service: "web", from: Date.parse("2026-11-22T05:41:00Z"), to: Date.parse("2026-11-22T05:42:00Z") }],
    ["a real rollout, whole cluster", { cluster: "prod-eu", from: Date.parse("2026-11-22T05:00:00Z"), to: Date.parse("2026-11-22T06:00:00Z") }],
    ["a 40-pod synthetic rollout with LB members", { cluster: "bench", from: Date.UTC(2026, 0, 5, 10), to: Date.UTC(2026, 0, 5, 14) }],
  ])("compact and JSON decode to identical timelines: %s", async (_, q) => {
    const { json, decoded } = await bothFormats(q);
    expect((json as { lanes: unknown[] }).lanes.length).toBeGreaterThan(0);
    expect(decoded).toEqual(json);
  });

  it("the compact format is smaller than the JSON document", async () => {
    const { jsonBytes, compactBytes } = await bothFormats({ cluster: "bench", from: Date.UTC(2026, 0, 5, 10), to: Date.UTC(2026, 0, 5, 14) });
    expect(compactBytes).toBeLessThan(jsonBytes * 0.6);
  });
});
