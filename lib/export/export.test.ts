// The pure renderers, on the real v1.24 rollout (three pods replaced, three risk windows).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Timeline } from "../engine/types";
import { analyzeRecording } from "../recording/analyze";
import { parseRecording } from "../recording/parse";
import { toAnalysisDocument } from "../report/analysis-json";
import { canonicalJson } from "./canonical-json";
import { csvField, riskWindowsCsv } from "./csv";
import { postmortemMarkdown } from "./markdown";
import { svgLayout, timelineSvg } from "./svg";
import { LIGHT_COLOURS } from "../view/encoding";
import { traceDocument } from "./trace";
import type { ExportInput } from "./types";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const lines = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"].flatMap((f) => parseRecording(f, readFileSync(join(FIXTURE, f), "utf8")));
const RANGE = { from: Date.parse("2026-11-22T05:41:00Z"), to: Date.parse("2026-11-22T05:42:00Z") };

function input(t: Timeline, cluster = "prod-eu"): ExportInput {
  return { cluster, view: { namespace: "default", service: "web", ...RANGE }, doc: { ...toAnalysisDocument(t, { allPods: true }), range: RANGE, lanes: t.pods, gaps: t.gaps } };
}
const { timeline } = analyzeRecording(lines, { cluster: "prod-eu" });
const INPUT = input(timeline);

/** A small RFC 4180 reader, to check the writer against. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

describe("CSV of risk windows", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r", '"cr\r"'],
    ["", ""],
  ])("quotes %j as %j", (value, expected) => expect(csvField(value)).toBe(expected));

  it("has a header and one CRLF row per window that reads back field for field", () => {
    const csv = riskWindowsCsv(INPUT.doc.riskWindows);
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(["id", "rule", "severity", "confidence", "start", "end", "duration_ms", "namespace", "service", "lb", "pods", "pod_uids", "explanation", "fix"]);
    expect(rows).toHaveLength(4);
    const w = INPUT.doc.riskWindows[0];
    expect(rows[1]).toEqual([w?.id, "sigterm-before-deregistration", "high", "possible", "2026-11-22T05:41:31.000Z", "2026-11-22T05:41:33.000Z", "2000", "default", "web", "", "web-5984d6875f-f8f44", w?.podUids[0], w?.explanation, w?.fix]);
  });
});

describe("Markdown postmortem", () => {
  const md = postmortemMarkdown(INPUT, { pngFile: "drainscope-prod-eu.png" });
  it("has the summary, the risk-window table with durations and explanations, key times, fixes and the picture", () => {
    expect(md).toContain("# Pod termination postmortem: prod-eu / default / service web");
    expect(md).toContain("| Verdict | **RISKY** |");
    expect(md).toContain("| Time range (UTC) | 2026-11-22 05:41:00.000Z → 2026-11-22 05:42:00.000Z (1 m 00 s) |");
    expect(md).toContain("| Severity | Rule | Start (UTC) | Duration | Confidence | Pods | Service | Explanation |\n| --- | --- | --- | --- | --- | --- | --- | --- |");
    const rows = md.split("\n").filter((l) => l.startsWith("| high | `sigterm-before-deregistration` |"));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain("| 05:41:31.000 | 2.00 s | possible | web-5984d6875f-f8f44 | web | Pod web-5984d6875f-f8f44 got SIGTERM");
    expect(md).toContain("| default/web-5984d6875f-f8f44 | 05:41:31 ±1s | 5 s | 05:41:31 ±1s | 05:41:31 ±1s | 05:41:36 ±1s (0) | 05:41:36 ~ |");
    expect(md).toContain("## Suggested fixes\n\n- Add a preStop sleep");
    expect(md).toContain("![Timeline of prod-eu / default / service web](drainscope-prod-eu.png)");
  });

  it("escapes cluster data so it can neither break a table nor inject HTML", () => {
    const hostile = postmortemMarkdown(input(timeline, "a|b<script>alert(1)</script>"));
    expect(hostile).not.toContain("<script>");
    expect(hostile).toContain("| Cluster | a\\|b&lt;script&gt;alert(1)&lt;/script&gt; |");
  });
});

describe("trace-event JSON", () => {
  const trace = JSON.parse(JSON.stringify(traceDocument(INPUT))) as { traceEvents: { name: string; ph: string; pid: number; tid: number; ts?: number; dur?: number; cat?: string; args?: Record<string, unknown> }[]; displayTimeUnit: string };
  it("is in the trace-event format", () => {
    expect(Array.isArray(trace.traceEvents)).toBe(true);
    for (const e of trace.traceEvents) {
      expect(["X", "i", "M"]).toContain(e.ph);
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
      if (e.ph !== "M") expect(Number.isFinite(e.ts)).toBe(true);
      if (e.ph === "X") expect(e.dur).toBeGreaterThanOrEqual(0);
    }
  });

  it("has one named track per pod, under one process per workload, and the risk windows on their own track", () => {
    const threads = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name");
    const processes = new Map(trace.traceEvents.filter((e) => e.ph === "M" && e.name === "process_name").map((e) => [e.pid, String(e.args?.name)]));
    const podThreads = threads.filter((t) => processes.get(t.pid) === "default/web");
    expect(podThreads.map((t) => t.args?.name).sort()).toEqual(INPUT.doc.lanes.map((l) => l.name).sort());
    expect(new Set(podThreads.map((t) => `${t.pid}:${t.tid}`)).size).toBe(INPUT.doc.lanes.length);
    const f8f44 = podThreads.find((t) => t.args?.name === "web-5984d6875f-f8f44");
    const onTrack = trace.traceEvents.filter((e) => e.pid === f8f44?.pid && e.tid === f8f44.tid && e.ph !== "M");
    expect(onTrack.filter((e) => e.ph === "X").map((e) => e.name)).toContain("serving");
    expect(onTrack.filter((e) => e.ph === "i").map((e) => e.name)).toEqual(expect.arrayContaining(["delete requested", "SIGTERM", "exit 0"]));
    const risks = trace.traceEvents.filter((e) => e.cat === "risk");
    expect(risks.map((r) => r.name)).toEqual(["sigterm-before-deregistration (high)", "sigterm-before-deregistration (high)", "sigterm-before-deregistration (high)"]);
    expect(processes.get(risks[0]?.pid ?? -1)).toBe("Risk windows");
    const sigterm = onTrack.find((e) => e.name === "SIGTERM");
    expect(sigterm?.ts).toBe((Date.parse("2026-11-22T05:41:31Z") - RANGE.from) * 1000);
  });
});

describe("SVG", () => {
  it("has the expected size, title, axis, legend, risk labels and table", () => {
    const svg = timelineSvg(INPUT);
    const { width, height } = svgLayout(INPUT);
    expect(svg).toMatch(new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"`));
    expect(svg).toContain("Drainscope — prod-eu / default / service web");
    expect(svg).toContain(">05:41:30<");
    expect(svg).toContain(">ep serving+terminating<");
    expect(svg.match(/>sigterm-before-deregistration</g)?.length).toBeGreaterThanOrEqual(3); // table rows (+ band labels that fit)
    expect(svg.match(/<title>high: sigterm-before-deregistration<\/title>/g)?.length).toBe(3); // one band per window
    expect(svg).toContain(">Risk windows<");
    expect(svg.split("<text").length).toBe(svg.split("</text>").length);
  });

  it("uses the dashboard's encoding: colours, patterns and marker glyphs of lib/view/encoding", () => {
    const svg = timelineSvg(INPUT);
    // The legend lists the design's glyphs, each with its meaning, and the pattern swatches.
    for (const [glyph, name] of [["✕", "delete"], ["▼", "Killing"], ["⚡", "SIGTERM"], ["■", "exit"], ["☠", "SIGKILL"], ["○", "removed"]]) {
      expect(svg).toContain(`<title>${glyph} ${name}</title>`);
      expect(svg).toContain(`>${name}</text>`);
    }
    expect(svg).not.toMatch(/>[◆|]</);
    for (const id of ["ds-stripes-prestop", "ds-dots-draining", "ds-hatch-draining", "ds-hatch-ok", "ds-cross-gap"]) expect(svg).toContain(`<pattern id="${id}"`);
    // A serving bar is solid in the serving colour; draining is dotted and serving+terminating hatched.
    expect(svg).toMatch(new RegExp(`<rect [^>]*height="18.0" fill="${LIGHT_COLOURS.serving}" data-phase="serving"/>`));
    expect(svg).toMatch(/<rect [^>]*height="18.0" fill="url\(#ds-dots-draining\)"/);
    expect(svg).toMatch(/<rect [^>]*fill="url\(#ds-hatch-draining\)"/);
    expect(svg).not.toContain("#16a34a");
    // Markers: SIGTERM and exit drawn on the lanes, exit labelled with its code; bands in the high colour.
    expect(svg).toMatch(/<g data-marker="sigterm"><title>⚡ SIGTERM/);
    expect(svg).toMatch(/<g data-marker="exit"><title>■ exit 0 /);
    expect(svg).toMatch(new RegExp(`fill="${LIGHT_COLOURS.high}" fill-opacity="0.3"`));
  });

  it("escapes every piece of cluster text", () => {
    const { timeline: t } = analyzeRecording(
      lines.map((l) => (l.object?.kind === "Pod" ? { ...l, object: { ...l.object, value: { ...l.object.value, metadata: { ...l.object.value.metadata, name: `<script>alert("x")</script>${l.object.value.metadata.name ?? ""}` } } } } : l)),
      { cluster: "c&<b>" },
    );
    const svg = timelineSvg(input(t, 'c&<b>"'));
    expect(svg).not.toMatch(/<script|<b>/);
    expect(svg).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(svg).toContain("c&amp;&lt;b&gt;&quot;");
  });
});

describe("canonical JSON", () => {
  it("sorts keys and drops undefined, so equal values give equal bytes", () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: "x" }] })).toBe('{"a":[1,{"c":"x"}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
