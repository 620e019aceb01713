import { describe, expect, it } from "vitest";
import type { Timeline } from "../engine/types";
import { encodeCompactTimeline } from "./timeline-compact";
import { writeCompactTimeline } from "./timeline-compact-writer";
import type { TimelineView } from "./timeline-document";
import { testTimelineView } from "../testing/timeline-view";

/** The reference: the encoder's arrays through JSON.stringify, as UTF-8. */
const reference = (v: unknown) => new TextEncoder().encode(JSON.stringify(encodeCompactTimeline(v as TimelineView)));
const written = (v: unknown, sizeHint?: number) => writeCompactTimeline(v as TimelineView, sizeHint);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
/** Byte for byte (the text first, for a readable difference). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(text(actual)).toBe(text(expected));
  expect(Buffer.from(actual).equals(expected)).toBe(true);
}

const view = testTimelineView;

describe("compact timeline writer", () => {
  it("writes the reference's bytes: numbers of every kind, undefined and non-finite values, odd keys", () => {
    const v = view(
      {
        gaps: [
          { start: 1, end: 2, resource: "pods", reason: "relist", eventId: "g1" },
          { start: 3, resource: "pods", reason: "down", eventId: "g2" },
          { start: 4, end: undefined, resource: "endpointslices", reason: "x", eventId: "g3" },
        ],
        suggestions: [{ namespace: "ns", workload: "w", measuredPropagationMs: Number.NaN, suggestedPreStopSleepSeconds: Infinity, currentGraceSeconds: 30, suggestedGraceSeconds: 30, needsChange: false, message: "" }],
      },
      {
        numbers: [0, -0, 7, 10, 999_999_999, 1e9, 1_000_000_007, 1_767_610_800_123, 2 ** 53 - 1, 2 ** 53, 1e21, 123e-9, -5, -1_767_610_800_123, 0.1 + 0.2, -Infinity, Number.MIN_VALUE, 5e-324],
        keys: { "": 1, 'a"b': 2, "ü": 3, "\n": 4, 0: "zero", fn: () => 1, sym: Symbol("s"), u: undefined },
        nothing: [undefined, null, () => 1, true, false],
      },
    );
    expectSameBytes(written(v), reference(v));
  });

  it("writes strings as JSON does: escapes, non-ASCII, surrogate pairs and lone surrogates, long strings once", () => {
    const long = "a string long enough to be written once";
    const strings = ["", "plain", 'quote " and \\ backslash', "tab\tnew\nline\u0000\u001f\u007f", "héllo wörld ünïcödé", "emoji 😀 in a long string", "lone \ud800 high", "lone \udc00 low", "€€€€€€€€€", long, long, "short", "short", "😀😀😀😀😀"];
    const v = view({}, { strings, again: [{ s: long }, [long]], odd: "lone \ud800 high" });
    expectSameBytes(written(v), reference(v));
    expect(text(written(v)).split(long)).toHaveLength(2);
  });

  it("numbers shapes and tables as the reference does: mixed arrays, a table's odd row, empty objects, nested arrays", () => {
    const odd = { a: [[0, 1], [-1, "x"], [1, 0], [], {}, { b: null }, { b: 1, c: [true, false] }], s: "0", e: {}, n: -0.5 };
    // The second item's shape is met while checking for a table, before the first item's children.
    const mixed = [{ x: { deep: 1 } }, { y: { deeper: 2 } }, { x: { deep: 3 } }];
    const emptyRows = [{}, {}, {}];
    const rowsWithUndefined = [{ a: 1, b: undefined }, { a: 2 }, { a: 3, b: 4 }];
    const sameKeysOtherOrder = [{ a: 1, b: 2 }, { b: 3, a: 4 }];
    const firstKeyShared = [{ a: 1 }, { a: 1, b: 2 }, { a: 1, c: 3 }, { a: 1, b: 2 }, { a: 2 }];
    const notPlain = [{ a: 1 }, [1], { a: 2 }, null, new Date(0), new Map()];
    const v = view({}, { odd, mixed, emptyRows, rowsWithUndefined, sameKeysOtherOrder, firstKeyShared, notPlain, inherited: Object.assign(Object.create({ hidden: 1 }) as object, { own: 2 }) });
    expectSameBytes(written(v), reference(v));
  });

  it("grows its buffer from any first size", () => {
    const points = Array.from({ length: 5000 }, (_, i) => ({ t: 1_767_610_800_000 + i, ready: i, label: `pod-${i % 700}-with-a-long-name` }));
    const v = view({ services: [{ namespace: "ns", service: "web", hasSelector: true, points }] } as unknown as Partial<Timeline>);
    const expected = reference(v);
    for (const hint of [1, 16, 1000, expected.length, expected.length * 4]) expectSameBytes(written(v, hint), expected);
  });

  it("writes a head of many shapes (more than the room kept before the body)", () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ [`a key long enough to fill the head ${i}`]: i }));
    const v = view({}, { many, filler: Array.from({ length: 5000 }, (_, i) => i) });
    const expected = reference(v);
    const headBytes = text(expected).indexOf('"body":') + '"body":'.length;
    expect(headBytes).toBeGreaterThan(8192);
    // The body's exact size fills the buffer: only the head does not fit.
    for (const hint of [16, expected.length, expected.length - headBytes]) expectSameBytes(written(v, hint), expected);
  });
});
