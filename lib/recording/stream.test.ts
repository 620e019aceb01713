// Analyze while parsing (stream.ts, RecordingFiles): the same events and timeline as the whole-set path
// (parseRecording + analyzeRecording), byte for byte, whichever way each recording goes — streamed, left
// waiting for its first time bound, read again as a whole set because it is not in stream order, or
// because an open range top reached an event by value — and the same first error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readKubeObject } from "../k8s/parse";
import { analyzeRecording, lastEventTime, RecordingFiles } from "./analyze";
import { eachRecordedLine, parseRecording, RecordingError } from "./parse";
import { NotInStreamOrder, RecordingStream } from "./stream";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const read = (name: string) => readFileSync(join(FIXTURE, name), "utf8");
const PODS = read("pods.jsonl");
const SLICES = read("endpointslices.jsonl");
const EVENTS = read("events.jsonl");

type File = { name: string; text: string };

function whole(files: File[]): string {
  const lines = files.flatMap((f) => parseRecording(f.name, f.text));
  const r = analyzeRecording(lines, { cluster: "c" });
  return JSON.stringify({ events: r.events, timeline: r.timeline, lines: lines.length });
}

function viaFiles(files: File[], stream = true): string {
  const rf = new RecordingFiles("c", { stream });
  for (const f of files) rf.add(f.name, f.text);
  const r = rf.analyze();
  return JSON.stringify({ events: r.events, timeline: r.timeline, lines: r.lines });
}

/** What the stream alone makes of the files: "streamed", "open top" (finish() declined) or "not in order". */
function streamVerdict(files: File[]): string {
  const s = new RecordingStream("c");
  try {
    for (const f of files) eachRecordedLine(f.name, f.text, (l) => s.push(l), readKubeObject);
  } catch (e) {
    if (e instanceof NotInStreamOrder) return "not in order";
    throw e;
  }
  return s.finish() ? "streamed" : "open top";
}

const withObservedAt = (text: string, at: (i: number) => number) =>
  text
    .split("\n")
    .filter((l) => l)
    .map((l, i) => JSON.stringify({ ...(JSON.parse(l) as object), observedAt: new Date(at(i)).toISOString() }))
    .join("\n") + "\n";

const T0 = Date.UTC(2026, 10, 22, 5, 41, 0);

describe("RecordingFiles: analyze while parsing, exactly as the whole set", () => {
  const cases: [string, File[], string][] = [
    ["one kubectl -w file (resourceVersion order, stamps only)", [{ name: "pods.jsonl", text: PODS }], "streamed"],
    ["Events alone", [{ name: "events.jsonl", text: EVENTS }], "streamed"],
    ["with ascending receive times", [{ name: "pods.jsonl", text: withObservedAt(PODS, (i) => T0 + i * 700) }], "streamed"],
    // A broken watch before any stamp: it waits for the first time bound, which is its estimate too.
    ["an ERROR line first", [{ name: "pods.jsonl", text: `{"type":"ERROR","object":{"message":"too old resource version","code":410}}\n${PODS}` }], "streamed"],
    ["three files by kind (not in one stream order)", [{ name: "pods.jsonl", text: PODS }, { name: "endpointslices.jsonl", text: SLICES }, { name: "events.jsonl", text: EVENTS }], "not in order"],
    ["receive times out of order", [{ name: "pods.jsonl", text: withObservedAt(PODS, (i) => T0 + ((i * 7919) % 36) * 1000) }], "not in order"],
    // ContainerStatusUnknown: an exit with no time takes the line's range, top included, by value.
    ["a container exit with no finishedAt", [{ name: "pods.jsonl", text: PODS.replace(/"finishedAt":"[^"]*",/, "") }], "open top"],
  ];

  it.each(cases)("%s", (_name, files, verdict) => {
    expect(streamVerdict(files)).toBe(verdict);
    expect(viaFiles(files)).toBe(whole(files));
    expect(viaFiles(files, false)).toBe(whole(files));
  });

  it("finish() also gives the latest range top, as lastEventTime does (the engine's `now` when none is given)", () => {
    const recordings = [PODS, EVENTS, withObservedAt(PODS, (i) => T0 + i * 700)];
    for (const text of recordings) {
      const s = new RecordingStream("c");
      eachRecordedLine("r.jsonl", text, (l) => s.push(l), readKubeObject);
      const events = s.finish() ?? [];
      expect(events.length).toBeGreaterThan(0);
      expect(s.lastTime).toBe(lastEventTime(events));
    }
  });

  it("a bad line after the point where the files leave stream order: the same RecordingError as parseRecording", () => {
    const broken = SLICES.split("\n");
    broken[5] = '{"type":"MODIFIED","object":{"kind":"EndpointSlice"}}';
    const files = [{ name: "pods.jsonl", text: PODS }, { name: "endpointslices.jsonl", text: broken.join("\n") }];
    const expected = (() => {
      try {
        files.forEach((f) => parseRecording(f.name, f.text));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(expected).toBeInstanceOf(RecordingError);
    const rf = new RecordingFiles("c");
    rf.add(files[0]?.name ?? "", files[0]?.text ?? "");
    expect(() => rf.add(files[1]?.name ?? "", files[1]?.text ?? "")).toThrow((expected as Error).message);
    expect((expected as RecordingError).line).toBe(6);
  });

  it("a bad line in stream order: the same RecordingError", () => {
    const broken = PODS.split("\n");
    broken[20] = '{"type":"MODIFIED","object":{"kind":"Pod","metadata":{}}}';
    const text = broken.join("\n");
    expect(() => parseRecording("pods.jsonl", text)).toThrow(RecordingError);
    const message = (() => {
      try {
        parseRecording("pods.jsonl", text);
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(() => new RecordingFiles("c").add("pods.jsonl", text)).toThrow(message);
    expect(message).toMatch(/^pods\.jsonl:21: /);
  });
});
