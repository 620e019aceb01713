// The view on screen as a selection of one engine result (the real v1.24 rollout: three pods replaced, one
// sigterm-before-deregistration window each), and the pictures of it: lanes, sub-lane labels, chart, metadata.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeRecording } from "../recording/analyze";
import { parseRecording } from "../recording/parse";
import { toAnalysisDocument } from "../report/analysis-json";
import { LIGHT_COLOURS } from "../view/encoding";
import { exportHref, exportQuery } from "./export-query";
import { addPngText, crc32, readPngText } from "./png-text";
import { postmortemMarkdown } from "./markdown";
import { riskWindowsCsv } from "./csv";
import { traceDocument } from "./trace";
import { svgLayout, timelineSvg } from "./svg";
import type { ExportInput } from "./types";
import { viewMetadata, viewMetadataText } from "./view-metadata";
import { selectedLaneUids, selectView, viewLaneUids } from "./view-selection";
import { toViewWindows } from "../view/timeline-doc";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const lines = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"].flatMap((f) => parseRecording(f, readFileSync(join(FIXTURE, f), "utf8")));
const RANGE = { from: Date.parse("2026-11-22T05:41:00Z"), to: Date.parse("2026-11-22T05:42:00Z") };
const { timeline } = analyzeRecording(lines, { cluster: "prod-eu" });
const DOC = { ...toAnalysisDocument(timeline, { allPods: true }), range: RANGE, lanes: timeline.pods, gaps: timeline.gaps, serviceCounts: timeline.services };
const terminated = DOC.lanes.filter((l) => l.keyTimes.deleteRequested);
const F8F44 = DOC.lanes.find((l) => l.name === "web-5984d6875f-f8f44");
if (!F8F44) throw new Error("fixture: no pod web-5984d6875f-f8f44");

const input = (doc: ExportInput["doc"], pinned?: readonly string[]): ExportInput => ({ cluster: "prod-eu", view: { namespace: "default", episode: "e", ...(pinned ? { pinned } : {}) }, doc });

describe("selectView: the document narrowed to the screen", () => {
  it("without pins or range keeps every lane, window and series", () => {
    const s = selectView(DOC, {});
    expect(s.lanes).toHaveLength(DOC.lanes.length);
    expect(s.riskWindows).toEqual(DOC.riskWindows);
    expect(s.serviceCounts).toEqual(DOC.serviceCounts);
    expect(s.range).toEqual(RANGE);
  });

  it("with one pin keeps exactly that lane and its own risk window, the engine's object unchanged", () => {
    const s = selectView(DOC, { pinned: [F8F44.uid, "not-a-pod-here"] });
    expect(s.lanes.map((l) => l.name)).toEqual(["web-5984d6875f-f8f44"]);
    expect(s.lanes[0]).toBe(F8F44); // narrowed, not recomputed
    expect(s.riskWindows.map((w) => [w.rule, w.pods])).toEqual([["sigterm-before-deregistration", ["web-5984d6875f-f8f44"]]]);
    expect(s.riskWindows[0]).toBe(DOC.riskWindows.find((w) => w.podUids.includes(F8F44.uid)));
    expect(s.pods.map((p) => p.name)).toEqual(["web-5984d6875f-f8f44"]);
    expect(s.summary).toMatchObject({ pods: 1, terminations: 1, riskWindows: { high: 1, critical: 0 } });
    expect(s.serviceCounts?.map((c) => `${c.namespace}/${c.service}`)).toEqual(["default/web"]);
  });

  it("with a range keeps the windows that overlap it, whole (true start and duration)", () => {
    const w = DOC.riskWindows.find((x) => x.podUids.includes(F8F44.uid));
    if (!w) throw new Error("no window");
    // A 1 s view inside the 2 s window: the window is kept with its own start and duration.
    const inside = { from: Date.parse(w.start) + 500, to: Date.parse(w.start) + 1500 };
    const s = selectView(DOC, { range: inside });
    expect(s.range).toEqual(inside);
    expect(s.riskWindows.map((x) => x.id)).toContain(w.id);
    expect(s.riskWindows.find((x) => x.id === w.id)?.durationMs).toBe(2000);
    // A view that ends before any window starts holds none.
    const before = selectView(DOC, { range: { from: RANGE.from, to: RANGE.from + 1000 } });
    expect(before.riskWindows).toEqual([]);
    expect(before.lanes).toHaveLength(DOC.lanes.length);
  });

  it("selectedLaneUids: pinned lanes in document order, or all lanes when no pin matches", () => {
    const uids = terminated.map((l) => ({ uid: l.uid }));
    expect(selectedLaneUids(uids, [terminated[2]?.uid ?? "", terminated[0]?.uid ?? ""])).toEqual([terminated[0]?.uid, terminated[2]?.uid]);
    expect(selectedLaneUids(uids, ["gone"])).toEqual(terminated.map((l) => l.uid));
  });

  it("lane filters: the lanes on screen, then the pins among them (one function for the menu and the server)", () => {
    const risky = DOC.lanes.filter((l) => DOC.riskWindows.some((w) => w.podUids.includes(l.uid))).map((l) => l.name);
    expect(risky).toHaveLength(3);
    expect(DOC.lanes).toHaveLength(6);
    const names = (s: { lanes: readonly { name: string }[] }) => s.lanes.map((l) => l.name);
    expect(names(selectView(DOC, { filter: { riskOnly: true } }))).toEqual(risky);
    const newRevision = DOC.lanes.filter((l) => l.name.includes("b8d86886d")).map((l) => l.name);
    expect(newRevision).toHaveLength(3);
    const searched = selectView(DOC, { filter: { search: "B8D86886D" } });
    expect(names(searched)).toEqual(newRevision);
    expect(searched.riskWindows).toEqual([]); // the new pods left no window
    // A pin the filters hide is not on screen: the shown lanes are exported.
    expect(names(selectView(DOC, { filter: { search: "B8D86886D" }, pinned: [F8F44.uid] }))).toEqual(newRevision);
    expect(names(selectView(DOC, { filter: { riskOnly: true }, pinned: [F8F44.uid] }))).toEqual(["web-5984d6875f-f8f44"]);
    // The menu's count is the same function on the same inputs.
    expect(viewLaneUids(DOC.lanes, DOC.episodes, toViewWindows(DOC.riskWindows), { filter: { riskOnly: true } }, { start: RANGE.from, end: RANGE.to })).toEqual(selectView(DOC, { filter: { riskOnly: true } }).lanes.map((l) => l.uid));
    // The link carries the filters; the selected pod only with idle=hide (it is what keeps it then).
    const state = { cluster: "c", pinned: [], follow: false, search: "web", node: "n1", riskOnly: true as const, hideIdle: true as const, pod: F8F44.uid };
    expect(exportQuery(state, undefined).toString()).toBe(`cluster=c&q=web&node=n1&risky=1&idle=hide&pod=${F8F44.uid}`);
    expect(exportQuery({ ...state, hideIdle: undefined }, undefined).toString()).toBe("cluster=c&q=web&node=n1&risky=1");
  });

  it("the CSV and Markdown of a pinned view list only its windows and pods", () => {
    const s = selectView(DOC, { pinned: [F8F44.uid] });
    const csv = riskWindowsCsv(s.riskWindows).trim().split("\r\n");
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain("web-5984d6875f-f8f44");
    const md = postmortemMarkdown(input(s, [F8F44.uid]));
    expect(md).toContain("| Pods | 1 (1 terminated), the pinned ones |");
    expect(md.split("\n").filter((l) => l.startsWith("| high |"))).toHaveLength(1);
    const trace = traceDocument(input(s, [F8F44.uid]));
    expect(trace.traceEvents.filter((e) => e.name === "thread_name" && e.args?.name !== "risk windows").map((e) => e.args?.name)).toEqual(["web-5984d6875f-f8f44"]);
    expect(trace.traceEvents.filter((e) => e.cat === "risk")).toHaveLength(1);
    expect(trace.metadata).toMatchObject({ "drainscope-origin-ms": RANGE.from, "drainscope-range-to-ms": RANGE.to, "drainscope-pinned": F8F44.uid });
  });
});

describe("export links", () => {
  const state = { cluster: "c", namespace: "n", episode: "rollout:n:web:1", service: "ignored", pinned: ["u-1", "u-2"], follow: false } as const;
  it("carry the episode, the visible range (whole ms) and the pins", () => {
    expect(exportQuery(state, { start: 1000.4, end: 3130.2 }).toString()).toBe("cluster=c&namespace=n&episode=rollout%3An%3Aweb%3A1&from=1000&to=3131&pin=u-1%2Cu-2");
    expect(exportHref({ ...state, episode: undefined, pinned: [] }, { start: 5, end: 9 }, "svg")).toBe("/api/export?format=svg&cluster=c&namespace=n&service=ignored&from=5&to=9");
  });
});

describe("SVG of a view: the swimlane's rows, sub-lane labels and service chart", () => {
  const s = selectView(DOC, { range: RANGE, pinned: [F8F44.uid] });
  const pinnedSvg = timelineSvg(input(s, [F8F44.uid]));
  const allSvg = timelineSvg(input(DOC));

  it("holds exactly the selected lanes, in the swimlane's order, with the range as data", () => {
    const lanesOf = (svg: string) => [...svg.matchAll(/<g data-pod-uid="([^"]+)"/g)].map((m) => m[1]);
    expect(lanesOf(pinnedSvg)).toEqual([F8F44.uid]);
    expect(pinnedSvg).toMatch(new RegExp(`^<svg [^>]*data-range-from="${RANGE.from}" data-range-to="${RANGE.to}" data-lanes="${F8F44.uid}" data-pinned="${F8F44.uid}">`));
    expect(lanesOf(allSvg)).toHaveLength(DOC.lanes.length);
    expect(allSvg).toMatch(/data-pinned="">/);
    // Group headers as the swimlane's: the pinned group, else workload → revision.
    expect(pinnedSvg).toContain('data-row="workload">Pinned · 1 pod</text>');
    expect(allSvg).toMatch(/data-row="workload">default\/web \(Deployment\) · \d+ pods<\/text>/);
    expect(allSvg).toMatch(/data-row="revision">revision \d+/);
    expect(pinnedSvg).toContain(">★ web-5984d6875f-f8f44</text>");
    expect(allSvg).not.toContain("★");
  });

  it("labels every endpoint and LB sub-lane as the gutter does", () => {
    const eps = F8F44.endpoints.map((e) => `ep ${e.slice}`);
    expect(eps.length).toBeGreaterThan(0);
    for (const l of eps) expect(pinnedSvg).toContain(`data-row="endpoint">${l}</text>`);
    const count = (svg: string, kind: string) => svg.split(`data-row="${kind}"`).length - 1;
    expect(count(allSvg, "endpoint")).toBe(DOC.lanes.reduce((n, l) => n + l.endpoints.length, 0));
    expect(count(allSvg, "lb")).toBe(DOC.lanes.reduce((n, l) => n + l.lbMembers.length, 0));
  });

  it("draws the per-service chart from the engine's series: ready area, terminating hatch, y-axis, counts", () => {
    const series = DOC.serviceCounts.find((c) => c.service === "web");
    expect(series).toBeDefined();
    expect(pinnedSvg).toContain('<g data-service="default/web" data-no-ready="0">');
    expect(pinnedSvg).toContain(">svc default/web</text>");
    expect(pinnedSvg).toMatch(new RegExp(`<path d="M[^"]+Z" fill="${LIGHT_COLOURS.serving}" fill-opacity="0.7"[^>]*data-series="ready"/>`));
    expect(pinnedSvg).toMatch(/<path d="M[^"]+Z" fill="url\(#ds-hatch-draining\)"[^>]*data-series="serving-terminating"\/>/);
    const max = Math.max(...(series?.points ?? []).map((p) => p.ready + p.servingTerminating));
    expect(pinnedSvg).toMatch(new RegExp(`text-anchor="end" fill="${LIGHT_COLOURS.muted}" font-size="10">${max}</text>`));
    // The picture grows by the chart.
    const noChart = svgLayout(input({ ...s, serviceCounts: [] }, [F8F44.uid]));
    expect(svgLayout(input(s, [F8F44.uid])).height - noChart.height).toBe(4 + 68 * (s.serviceCounts?.length ?? 0));
  });

  it("draws a no-ready-endpoints window as a band on its own Service's chart only", () => {
    const w = { ...(DOC.riskWindows[0] as (typeof DOC.riskWindows)[number]), id: "nr", rule: "no-ready-endpoints" as const, severity: "critical" as const, podUids: [], pods: [], service: "web", namespace: "default" };
    const other = { ...w, id: "nr2", namespace: "elsewhere" };
    const svg = timelineSvg(input({ ...DOC, riskWindows: [w, other] }));
    expect(svg).toContain('<g data-service="default/web" data-no-ready="1">');
    expect(svg.split('data-band="no-ready"').length - 1).toBe(1);
  });

  it("places band labels and marker clusters as the swimlane does (lib/view/label-layout): whole labels or none, piles as one disc", () => {
    // A minute over 924 px: each pod's delete/Killing/SIGTERM fall within a few px (a disc of 3), its exit and
    // removal too (a disc of 2); the 2 s bands (31 px) are too narrow for the rule id.
    expect(allSvg.match(/data-marker-cluster="3"/g)).toHaveLength(3);
    expect(allSvg.match(/data-marker-cluster="2"/g)).toHaveLength(3);
    const bandLabels = (svg: string) => [...svg.matchAll(/<text [^>]*data-label="band">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(bandLabels(allSvg)).toEqual([]);
    // Zoomed to 4 s around one window: its label is printed once, whole.
    const w = s.riskWindows[0];
    const start = Date.parse(w?.start ?? "");
    const zoomed = selectView(DOC, { range: { from: start - 1000, to: start + 3000 }, pinned: [F8F44.uid] });
    expect(bandLabels(timelineSvg(input(zoomed, [F8F44.uid])))).toEqual(["sigterm-before-deregistration"]);
  });

  it("escapes cluster text in the rows, labels, chart and metadata", () => {
    const evil = '<b>"x"&';
    const lane = { ...F8F44, name: evil, endpoints: F8F44.endpoints.map((e) => ({ ...e, slice: evil })) };
    const svg = timelineSvg(input({ ...DOC, lanes: [lane], serviceCounts: DOC.serviceCounts.map((c) => ({ ...c, service: evil })) }));
    expect(svg).not.toContain("<b>");
    expect(svg).toContain("&lt;b&gt;&quot;x&quot;&amp;");
  });

  it("view metadata: the same range and lanes as the SVG's attributes, as ASCII JSON", () => {
    const meta = viewMetadata(input(s, [F8F44.uid]));
    expect(meta).toMatchObject({ from: RANGE.from, to: RANGE.to, pinned: [F8F44.uid], lanes: [{ uid: F8F44.uid, name: "web-5984d6875f-f8f44" }], riskWindows: 1, episode: "e" });
    expect(JSON.parse(viewMetadataText(input(s, [F8F44.uid])))).toEqual(meta);
    expect(viewMetadataText(input(s, [F8F44.uid]))).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("PNG tEXt chunk", () => {
  // The smallest valid PNG: 1×1 grey, IHDR + IDAT + IEND.
  const PNG = Uint8Array.from(Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010800000000376ef9240000000a49444154789c636000000002000154a24f5d0000000049454e44ae426082", "hex"));

  it("CRC-32 as the PNG spec computes it", () => {
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
  });

  it("inserts a tEXt chunk after IHDR that reads back; the image data is untouched", () => {
    const out = addPngText(PNG, "drainscope:view", '{"from":1,"to":2}');
    expect(readPngText(out)).toEqual({ "drainscope:view": '{"from":1,"to":2}' });
    expect(Buffer.from(out.subarray(0, 33))).toEqual(Buffer.from(PNG.subarray(0, 33)));
    expect(Buffer.from(out.subarray(out.length - (PNG.length - 33)))).toEqual(Buffer.from(PNG.subarray(33)));
    expect(readPngText(PNG)).toEqual({});
  });

  it("refuses text a tEXt chunk cannot hold", () => {
    expect(() => addPngText(PNG, "k", "snow ☃")).toThrow("Latin-1");
    expect(() => addPngText(new Uint8Array(40), "k", "v")).toThrow("not a PNG");
  });
});
