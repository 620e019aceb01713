import { describe, expect, it } from "vitest";
import type { Timeline } from "../engine/types";
import { CompactTimelineError, decodeCompactTimeline, encodeCompactTimeline } from "./timeline-compact";
import type { TimelineView } from "./timeline-document";
import { testTimelineView } from "../testing/timeline-view";

/** What the browser receives: the encoding after a trip through JSON text. */
const wire = (v: unknown) => JSON.parse(JSON.stringify(encodeCompactTimeline(v as TimelineView))) as unknown;
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

const view = (timeline: Partial<Timeline>): TimelineView => testTimelineView(timeline);

describe("compact timeline encoding", () => {
  it("decodes to exactly what JSON would carry: undefined left out, non-finite numbers as null", () => {
    const v = view({
      gaps: [
        { start: 1, end: 2, resource: "pods", reason: "relist", eventId: "g1" },
        { start: 3, resource: "pods", reason: "down", eventId: "g2" },
        { start: 4, end: undefined, resource: "endpointslices", reason: "x", eventId: "g3" },
      ],
      lint: [{ id: "l", namespace: "ns", workload: "w", check: "c", severity: "info", message: "m", fix: undefined }],
      suggestions: [{ namespace: "ns", workload: "w", measuredPropagationMs: Number.NaN, suggestedPreStopSleepSeconds: Infinity, currentGraceSeconds: 30, suggestedGraceSeconds: 30, needsChange: false, message: "" }],
    });
    const back = decodeCompactTimeline(wire(v));
    expect(back).toEqual(asJson(v));
    expect(back.timeline.gaps[1]).toEqual({ start: 3, resource: "pods", reason: "down", eventId: "g2" });
    expect("end" in (back.timeline.gaps[1] ?? {})).toBe(false);
    expect(back.timeline.suggestions[0]?.measuredPropagationMs).toBeNull();
  });

  it("keeps arrays of mixed items, nested arrays, empty objects and strings that look like tags", () => {
    const long = "a string long enough to be written once";
    const odd = { a: [[0, 1], [-1, "x"], [1, 0], [], {}, { b: null }, { b: 1, c: [true, false, long] }], s: "0", e: {}, n: -0.5, again: [long, long, "short", "short"] };
    const v = { ...view({}), extra: odd };
    expect(decodeCompactTimeline(wire(v))).toEqual(asJson(v));
  });

  it("writes a repeated long string once", () => {
    const uid = "0ld-00000000-4c1e-9a7b-000000000000";
    const text = JSON.stringify(encodeCompactTimeline({ ...view({}), extra: [uid, { uid }, [uid]] } as TimelineView));
    expect(text.split(uid)).toHaveLength(2);
    expect((decodeCompactTimeline(JSON.parse(text)) as unknown as { extra: unknown }).extra).toEqual([uid, { uid }, [uid]]);
  });

  it("writes each key once: a table of same-shaped rows carries no key names", () => {
    const points = Array.from({ length: 100 }, (_, i) => ({ t: 1_767_610_800_000 + i, ready: i, servingTerminating: 0, notServing: 1 }));
    const v = view({ services: [{ namespace: "ns", service: "web", hasSelector: true, points }] });
    const text = JSON.stringify(encodeCompactTimeline(v));
    expect(text.match(/servingTerminating/g)).toHaveLength(1);
    expect(decodeCompactTimeline(JSON.parse(text)).timeline.services[0]?.points).toEqual(points);
  });

  it.each([
    ["not an object", "nope"],
    ["another version", { v: 2, shapes: [], body: [0] }],
    ["an unknown shape", { v: 1, shapes: [], body: [2] }],
    ["a reference to a string not yet written", { v: 1, shapes: [], body: [0, "long enough", [1, 1]] }],
    ["an object of the wrong length", { v: 1, shapes: [["a", "b"]], body: [2, 1] }],
    ["a table of the wrong length", { v: 1, shapes: [["a", "b"]], body: [-1, 1, 2, 3] }],
    ["an array without a tag", { v: 1, shapes: [], body: ["x"] }],
    ["a prototype key", { v: 1, shapes: [["__proto__"]], body: [2, 1] }],
    ["a body that is not a view", { v: 1, shapes: [], body: [0] }],
  ])("rejects %s", (_, raw) => {
    expect(() => decodeCompactTimeline(raw)).toThrow(CompactTimelineError);
  });
});
