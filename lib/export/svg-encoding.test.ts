// The SVG export draws from lib/view/encoding.ts like the canvas: the same legend entries, each phase's
// height/opacity/pattern/border, and counts with plural(). On the real v1.24 rollout recording.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LifecyclePhase, PodLane } from "../engine/types";
import { analyzeRecording } from "../recording/analyze";
import { parseRecording } from "../recording/parse";
import { toAnalysisDocument } from "../report/analysis-json";
import { LEGEND_ITEMS, LEGEND_MARKS, LIGHT_COLOURS, markLegendLabel, RISK_SEVERITIES } from "../view/encoding";
import { timelineSvg } from "./svg";
import type { ExportInput } from "./types";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const lines = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"].flatMap((f) => parseRecording(f, readFileSync(join(FIXTURE, f), "utf8")));
const RANGE = { from: Date.parse("2026-11-22T05:41:00Z"), to: Date.parse("2026-11-22T05:42:00Z") };
const { timeline } = analyzeRecording(lines, { cluster: "prod-eu" });

function input(lanes: readonly PodLane[], live = false): ExportInput {
  return { cluster: "prod-eu", view: { namespace: "default", service: "web", ...RANGE }, doc: { ...toAnalysisDocument(timeline, { allPods: true }), range: RANGE, lanes, gaps: [], live } };
}

function escXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

describe("SVG export: the dashboard's encoding", () => {
  it("has exactly the legend entries of LEGEND_ITEMS + LEGEND_MARKS, then the risk severities", () => {
    for (const live of [false, true]) {
      const svg = timelineSvg(input(timeline.pods, live));
      const labels = [...svg.matchAll(/<g data-legend="([^"]*)">/g)].map((m) => m[1]);
      const expected = [...LEGEND_ITEMS.map(([l]) => l), ...LEGEND_MARKS.map((k) => markLegendLabel(k, live)), ...RISK_SEVERITIES].map(escXml);
      expect(labels).toEqual(expected);
      expect(labels).toContain(live ? "now" : "data ends");
      expect(labels).toContain("time uncertainty");
      expect(labels).toContain("SIGTERM estimated within");
    }
  });

  it("draws legend swatches with their height, opacity and border", () => {
    const svg = timelineSvg(input(timeline.pods));
    const entry = (label: string) => svg.match(new RegExp(`<g data-legend="${label}">.*?</g>`))?.[0] ?? "";
    // pending: a 3 px grey line at 0.5; running, not ready: 5 px muted at 0.45.
    expect(entry("pending")).toMatch(new RegExp(`height="3" fill="${LIGHT_COLOURS.gap}" fill-opacity="0.5"/>`));
    expect(entry("running, not ready")).toMatch(new RegExp(`height="5" fill="${LIGHT_COLOURS.muted}" fill-opacity="0.45"/>`));
    // terminating: preStop stripes at 0.6, no border; preStop: full stripes with a border.
    expect(entry("terminating")).toMatch(/fill="url\(#ds-stripes-prestop\)" fill-opacity="0.6"\/>/);
    expect(entry("terminating")).not.toContain("stroke=");
    expect(entry("preStop")).toMatch(/fill="url\(#ds-stripes-prestop\)"\/>/);
    expect(entry("preStop")).toContain(`stroke="${LIGHT_COLOURS.prestop}"`);
    // The marks: dashed line in the accent colour, bracket and whisker paths, the numbered disc.
    expect(entry("data ends")).toContain(`stroke="${LIGHT_COLOURS.accent}" stroke-dasharray="4 3"`);
    expect(entry("N markers \\(hover to expand\\)")).toMatch(/<circle [^>]*r="6"/);
    // Risk swatches at the band opacity.
    expect(entry("high")).toContain(`fill="${LIGHT_COLOURS.high}" fill-opacity="0.3"`);
  });

  it("draws terminating and not-ready phases with their encoding, as the canvas does", () => {
    const base = timeline.pods[0];
    if (!base) throw new Error("fixture has no pods");
    const t0 = RANGE.from;
    const phases: LifecyclePhase[] = [
      { kind: "pending", start: t0 + 1000, end: t0 + 5000 },
      { kind: "unready", start: t0 + 5000, end: t0 + 10_000 },
      { kind: "serving", start: t0 + 10_000, end: t0 + 20_000 },
      { kind: "terminating", start: t0 + 20_000, end: t0 + 25_000 },
      { kind: "prestop", start: t0 + 25_000, end: t0 + 30_000 },
    ];
    const svg = timelineSvg(input([{ ...base, phases }]));
    const bar = (kind: string) => svg.match(new RegExp(`<rect [^>]*data-phase="${kind}"/>`))?.[0] ?? "";
    // The pod bar: 3 px below the row top, 18 px tall; the thin phases are centred on it.
    const prestop = bar("prestop");
    const barY = Number(prestop.match(/ y="([\d.]+)"/)?.[1]);
    expect(prestop).toMatch(/height="18.0" fill="url\(#ds-stripes-prestop\)" stroke="#56b4e9" stroke-width="1"/);
    // terminating: the same stripes and height, at 0.6 and without the border.
    expect(bar("terminating")).toMatch(new RegExp(`y="${barY.toFixed(1)}" width="[\\d.]+" height="18.0" fill="url\\(#ds-stripes-prestop\\)" fill-opacity="0.6" data-phase`));
    // not ready: a 5 px muted bar centred on the row at 0.45; pending a 3 px grey one at 0.5.
    expect(bar("unready")).toMatch(new RegExp(`y="${(barY + 9 - 2.5).toFixed(1)}" width="[\\d.]+" height="5.0" fill="${LIGHT_COLOURS.muted}" fill-opacity="0.45" data-phase`));
    expect(bar("pending")).toMatch(new RegExp(`y="${(barY + 9 - 1.5).toFixed(1)}" width="[\\d.]+" height="3.0" fill="${LIGHT_COLOURS.gap}" fill-opacity="0.5" data-phase`));
  });

  it("counts with plural(): '1 pod', '3 pods'", () => {
    expect(timeline.pods.length).toBeGreaterThanOrEqual(3);
    const one = timelineSvg(input(timeline.pods.slice(0, 1)));
    const three = timelineSvg(input(timeline.pods.slice(0, 3)));
    expect(one).toMatch(/ · 1 pod · \d+ risk windows?</);
    expect(three).toMatch(/ · 3 pods · /);
    for (const svg of [one, three]) expect(svg).not.toContain("(s)");
    expect(one).toMatch(/ · 1 pod<\/text>/); // the workload header row
  });

  it("draws the dashed 'data ends' line where the data ends", () => {
    const svg = timelineSvg(input(timeline.pods));
    expect(svg).toMatch(/<path d="M[\d.]+ 0L[\d.]+ [\d.]+" stroke="#0b63b6" stroke-dasharray="4 3" fill="none" data-mark="now"><title>data ends<\/title>/);
  });
});
