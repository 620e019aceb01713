import { describe, expect, it } from "vitest";
import { parseRecording, RecordingError } from "./parse";

const pod = (extra = "") =>
  `{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","namespace":"d","uid":"u1","resourceVersion":"5"${extra}},"spec":{"containers":[{"name":"c"}]}}}`;

function errorOf(text: string): string {
  try {
    parseRecording("rec.jsonl", text);
  } catch (e) {
    if (e instanceof RecordingError) return e.message;
    throw e;
  }
  return "(no error)";
}

describe("parseRecording", () => {
  it("accepts watch lines, skips BOOKMARKs and blank lines, keeps ERROR lines and observedAt", () => {
    const text = [
      pod(),
      "",
      '{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}',
      '{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 5 (9)"}}',
      pod().replace('{"type":"ADDED"', '{"type":"MODIFIED","observedAt":"2026-11-22T05:00:01.250Z"'),
    ].join("\r\n");
    const lines = parseRecording("rec.jsonl", text + "\n");
    expect(lines.map((l) => [l.line, l.watchType, l.object?.kind, l.resourceVersion, l.observedAt, l.errorMessage])).toEqual([
      [1, "ADDED", "Pod", "5", undefined, undefined],
      [4, "ERROR", undefined, undefined, undefined, "too old resource version: 5 (9) (410)"],
      [5, "MODIFIED", "Pod", "5", Date.parse("2026-11-22T05:00:01.250Z"), undefined],
    ]);
  });

  it("accepts observedAt as epoch milliseconds", () => {
    const [line] = parseRecording("r", pod().replace('{"type":"ADDED"', '{"type":"ADDED","observedAt":1795000000123'));
    expect(line?.observedAt).toBe(1795000000123);
  });

  it.each([
    ["not JSON", `${pod()}\nhello\n${pod()}`, 'rec.jsonl:2: not valid JSON: Unexpected token'],
    ["a truncated last line", `${pod()}\n${pod().slice(0, 60)}`, "rec.jsonl:2: truncated line: the file ends mid-object after 60 characters."],
    ["a JSON array", "[1,2]", 'rec.jsonl:1: expected a JSON object {"type":…,"object":…}'],
    ["a bare object without watch type", '{"kind":"Pod","metadata":{}}', 'rec.jsonl:1: missing field "type" (ADDED, MODIFIED, DELETED, BOOKMARK or ERROR) (this looks like a bare Pod object: record with --output-watch-events)'],
    ["an unknown watch type", '{"type":"UPDATED","object":{}}', 'rec.jsonl:1: unknown watch event type "UPDATED" (expected ADDED, MODIFIED, DELETED, BOOKMARK or ERROR)'],
    ["no object", '{"type":"ADDED"}', 'rec.jsonl:1: missing field "object"'],
    ["an unknown kind", '{"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"x","uid":"y"}}}', 'rec.jsonl:1: unknown kind "ConfigMap" (expected one of Pod, EndpointSlice, Event, ReplicaSet, Deployment, Service, LoadBalancerMember)'],
    ["a pod without uid", '{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"x"}}}', "rec.jsonl:1: missing field metadata.uid"],
    ["a slice endpoint with a wrong condition type", '{"type":"ADDED","object":{"kind":"EndpointSlice","metadata":{"name":"s","uid":"u"},"endpoints":[{"conditions":{"ready":"yes"}}]}}', "rec.jsonl:1: endpoints.0.conditions.ready: Invalid input: expected boolean, received string"],
    ["a bad observedAt", pod().replace('{"type":"ADDED"', '{"type":"ADDED","observedAt":"yesterday"'), 'rec.jsonl:1: "observedAt" must be an RFC 3339 time or epoch milliseconds, got "yesterday"'],
  ])("rejects %s with the file and line", (_name, text, message) => {
    expect(errorOf(text)).toContain(message);
  });
});
