import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import { gapObservation } from "../watcher/cluster-watcher";
import { chunkPayloads, gapReportPayload } from "./live-relay";

const event = (i: number, padding = 0) => ({ id: `e${i}`, type: "k8s-event", cluster: "prod", message: "x".repeat(padding) }) as unknown as LifecycleEvent;

describe("live relay payloads", () => {
  it("splits a batch into NOTIFY payloads under the limit, in order, each a parseable envelope", () => {
    const events = Array.from({ length: 50 }, (_, i) => event(i, 100));
    const { payloads, skipped } = chunkPayloads("replica-a", events, 1000);
    expect(skipped).toBe(0);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(1000);
    const back = payloads.flatMap((p) => (JSON.parse(p) as { o: string; e: { id: string }[] }).e.map((e) => e.id));
    expect(back).toEqual(events.map((_, i) => `e${i}`));
    expect((JSON.parse(payloads[0] ?? "{}") as { o: string }).o).toBe("replica-a");
  });
  it("skips an event too large for any payload", () => {
    const { payloads, skipped } = chunkPayloads("a", [event(1), event(2, 5000), event(3)], 1000);
    expect(skipped).toBe(1);
    expect(payloads.flatMap((p) => (JSON.parse(p) as { e: { id: string }[] }).e.map((e) => e.id))).toEqual(["e1", "e3"]);
  });
});

describe("open-gap reports", () => {
  it("fit one payload, oldest gaps first", () => {
    const gaps = Array.from({ length: 40 }, (_, i) => gapObservation("prod", `r${i}`, undefined, 1000 - i, undefined, "x".repeat(100), 0));
    const payload = gapReportPayload("a", gaps, 2000);
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(2000);
    const back = (JSON.parse(payload) as { o: string; g: { from: number }[] }).g.map((g) => g.from);
    expect(back.length).toBeGreaterThan(3);
    expect(back).toEqual([...back].sort((x, y) => x - y));
    expect(back[0]).toBe(961);
    expect(JSON.parse(gapReportPayload("a", []))).toEqual({ o: "a", g: [] });
  });
});
