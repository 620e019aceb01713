// The verdict of a whole export: a risk window decides; otherwise the least known episode; never CLEAN
// for a view in which nothing terminated.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Episode, Verdict } from "../engine/types";
import { analyzeRecording } from "../recording/analyze";
import { parseRecording } from "../recording/parse";
import { toAnalysisDocument, type AnalysisWindow } from "../report/analysis-json";
import { postmortemMarkdown } from "./markdown";
import { overallVerdict, type ExportDocument } from "./types";

function episode(verdict: Verdict, verdictReason?: string): ExportDocument["episodes"][number] {
  const counts: Episode["counts"] = { critical: 0, high: 0, medium: 0, info: 0 };
  return { id: `e-${verdict}`, kind: "rollout", namespace: "default", workload: "web", services: ["web"], podUids: ["u1"], verdict, ...(verdictReason ? { verdictReason } : {}), summary: "", counts, start: "2026-11-22T05:41:31.000Z", end: null };
}

function window(severity: AnalysisWindow["severity"]): AnalysisWindow {
  return { id: `w-${severity}`, rule: "unobserved", severity, start: "2026-11-22T05:41:31.000Z", end: null, durationMs: null, namespace: "default", service: null, lb: null, pods: [], podUids: [], confidence: "certain", explanation: "", fix: null, evidence: [] };
}

function doc(episodes: ExportDocument["episodes"], riskWindows: readonly AnalysisWindow[] = []): ExportDocument {
  return { generatedFor: { now: "2026-11-22T06:00:00.000Z" }, range: { from: 0, to: 1 }, lanes: [], riskWindows, episodes, suggestions: [], gaps: [] };
}

describe("overallVerdict", () => {
  it.each([
    { name: "no termination at all", d: doc([]), want: { verdict: "incomplete", reason: "no pod termination in this range" } },
    { name: "only a watcher gap (info)", d: doc([], [window("info")]), want: { verdict: "incomplete", reason: "no pod termination in this range" } },
    { name: "a high window without an episode", d: doc([], [window("high")]), want: { verdict: "risky" } },
    { name: "clean episodes", d: doc([episode("clean"), episode("clean")]), want: { verdict: "clean" } },
    { name: "in progress beats clean", d: doc([episode("clean"), episode("in-progress", "1 of 2 pods not finished yet")]), want: { verdict: "in-progress", reason: "1 of 2 pods not finished yet" } },
    {
      name: "incomplete beats in progress",
      d: doc([episode("in-progress", "this pod not finished yet"), episode("incomplete", "no EndpointSlice data for these pods")]),
      want: { verdict: "incomplete", reason: "no EndpointSlice data for these pods" },
    },
    { name: "a warning beats incomplete", d: doc([episode("incomplete", "no EndpointSlice data for these pods"), episode("warning")]), want: { verdict: "warning" } },
    { name: "critical beats everything", d: doc([episode("risky")], [window("critical")]), want: { verdict: "critical" } },
  ])("$name", ({ d, want }) => expect(overallVerdict(d)).toEqual(want));
});

describe("Markdown of a view whose data cannot show it is clean", () => {
  it("pods.jsonl alone (no EndpointSlices): INCOMPLETE with the reason, and no claim that pods left routing", () => {
    const lines = parseRecording("pods.jsonl", readFileSync(join(__dirname, "../../../shared/fixtures/real-v1.24-rollout/pods.jsonl"), "utf8"));
    const { timeline: t } = analyzeRecording(lines, { cluster: "prod-eu" });
    const range = { from: Date.parse("2026-11-22T05:41:00Z"), to: Date.parse("2026-11-22T05:42:00Z") };
    const md = postmortemMarkdown({ cluster: "prod-eu", view: { namespace: "default", ...range }, doc: { ...toAnalysisDocument(t, { allPods: true }), range, lanes: t.pods, gaps: t.gaps } });
    expect(md).toContain("| Verdict | **INCOMPLETE**: no EndpointSlice data for these pods |");
    expect(md).toContain("- **rollout** default/web from 2026-11-22T05:41:31.000Z: INCOMPLETE: no EndpointSlice data for these pods — No risk window seen among 3 pods, but too little data to call it clean.");
    expect(md).toContain("## Risk windows\n\nNone observed; the verdict above says what the data cannot show.");
    expect(md).not.toContain("CLEAN");
  });

  it("an open window of stored history is open when the data ends, measured to its last observation", () => {
    const w: AnalysisWindow = { ...window("high"), rule: "killed-at-grace-deadline", start: "2026-11-22T05:41:31.000Z" };
    const md = postmortemMarkdown({ cluster: "c", view: {}, doc: { ...doc([episode("risky")], [w]), generatedFor: { now: "2026-11-22T05:41:40.000Z" } } });
    expect(md).toContain("| high | `killed-at-grace-deadline` | 05:41:31.000 | open when the data ends, ≥ 9.00 s |");
    const live = postmortemMarkdown({ cluster: "c", view: {}, doc: { ...doc([episode("risky")], [w]), generatedFor: { now: "2026-11-22T05:41:40.000Z" }, live: true } });
    expect(live).toContain("| still open, 9.00 s so far |");
  });
});
