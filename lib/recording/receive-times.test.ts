import { describe, expect, it } from "vitest";
import { parseRecording } from "./parse";
import { estimateReceiveTimes, numericVersion, orderLines } from "./receive-times";

const podLine = (rv: number, extra: Record<string, unknown> = {}, status: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "MODIFIED", object: { kind: "Pod", metadata: { name: "p", namespace: "d", uid: "u", resourceVersion: String(rv), creationTimestamp: "2026-11-22T05:00:00Z", ...extra }, spec: { containers: [{ name: "c" }] }, status } });
const sliceLine = (rv: number) =>
  JSON.stringify({ type: "MODIFIED", object: { kind: "EndpointSlice", metadata: { name: "s", namespace: "d", uid: "s1", resourceVersion: String(rv) }, endpoints: null } });
const eventLine = (rv: number, last: string) =>
  JSON.stringify({ type: "ADDED", object: { kind: "Event", metadata: { name: "e", namespace: "d", uid: `e${rv}`, resourceVersion: String(rv) }, involvedObject: { kind: "Pod", name: "p", uid: "u" }, reason: "Killing", message: "Stopping container c", lastTimestamp: last } });

describe("receive-time estimation from resourceVersion order", () => {
  it("merges files by resourceVersion and brackets a slice change between the stamps around it", () => {
    const pods = parseRecording("pods", [podLine(10), podLine(20, { deletionTimestamp: "2026-11-22T05:00:36Z", deletionGracePeriodSeconds: 5 })].join("\n"));
    const slices = parseRecording("slices", sliceLine(25));
    const events = parseRecording("events", eventLine(30, "2026-11-22T05:00:32Z"));
    const ordered = orderLines([...slices, ...events, ...pods]);
    expect(ordered.map((l) => l.resourceVersion)).toEqual(["10", "20", "25", "30"]);
    const timed = estimateReceiveTimes(ordered);
    const slice = timed[2]?.receivedAt;
    // After the delete request written at rv 20 (05:00:31, from dT − grace), before the Event stamped 05:00:32 (+2 s slack).
    expect(slice).toEqual({ at: Date.parse("2026-11-22T05:00:31Z"), range: [Date.parse("2026-11-22T05:00:31Z"), Date.parse("2026-11-22T05:00:34Z")], clock: "apiserver", precision: "inferred" });
  });

  it("prefers observedAt, exact on the watcher clock, and orders by it when every line has one", () => {
    const a = parseRecording("a", sliceLine(50).replace('{"type"', '{"observedAt":"2026-11-22T05:00:02.000Z","type"'));
    const b = parseRecording("b", sliceLine(40).replace('{"type"', '{"observedAt":"2026-11-22T05:00:01.500Z","type"'));
    const timed = estimateReceiveTimes(orderLines([...a, ...b]));
    expect(timed.map((t) => [t.line.file, t.receivedAt.at, t.receivedAt.precision])).toEqual([
      ["b", Date.parse("2026-11-22T05:00:01.500Z"), "exact"],
      ["a", Date.parse("2026-11-22T05:00:02.000Z"), "exact"],
    ]);
  });

  it("keeps file order when versions are not integers", () => {
    const lines = parseRecording("x", [sliceLine(2).replace('"2"', '"b"'), sliceLine(1).replace('"1"', '"a"')].join("\n"));
    expect(orderLines(lines).map((l) => l.resourceVersion)).toEqual(["b", "a"]);
  });
});

describe("numericVersion", () => {
  it("reads what /^[0-9]{1,15}$/ accepts, as Number does, and nothing else", () => {
    const cases = ["0", "7", "007", "123456789012345", "1234567890123456", "", "12a", "a12", " 1", "1 ", "1\n", "\n1", "-1", "+1", "1.5", "1e3", "0x1f", "\u0661", "9".repeat(15)];
    for (const rv of cases) expect(numericVersion(rv), JSON.stringify(rv)).toBe(/^[0-9]{1,15}$/.test(rv) ? Number(rv) : undefined);
    expect(numericVersion(undefined)).toBeUndefined();
    expect(numericVersion("000000000000042")).toBe(42);
  });
});
