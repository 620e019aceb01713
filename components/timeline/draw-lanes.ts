/**
 * The swimlane renderer. Canvas, because 1,000+ pods with sub-lanes and markers are far past what the DOM
 * or SVG redraws in a frame. Per frame: only rows in the viewport (binary search), boxes culled to the
 * plot, widened to ≥ 1 px, collected per style and filled with one path each; labels only where they fit.
 * Target (issue 5): a zoom/pan frame under 16 ms with 1,000 pods on this machine's Chromium.
 */
import type { EpochMs } from "@/lib/model/time";
import type { LaneLayout, Row } from "@/lib/view/lane-layout";
import { visibleRows } from "@/lib/view/lane-layout";
import { hasWhisker, podMarkers } from "@/lib/view/markers";
import { markerOffset, riskBandAlpha, SEVERITY_DRAW_ORDER, severityRole } from "@/lib/view/encoding";
import { gutterText } from "@/lib/view/gutter-text";
import { labelFont, labelMeasures, layoutLaneText, MARKER_FONT, type LaneText } from "@/lib/view/label-layout";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";
import type { TimeScale, TimeWindow } from "@/lib/view/time-scale";
import type { GapInterval } from "@/lib/engine/types";
import { drawSummaryBand, drawSummaryGutter } from "./draw-summary-lane";
import { drawGlyph } from "./glyphs";
import type { Palette } from "./palette";
import { PatternCache } from "./patterns";

export const GUTTER_PX = 230;
export const RULER_PX = 30;
/** Sub-lane names (9 px text) only on rows tall enough that they do not touch: the roomy layout's 12 px. */
const SUB_LABEL_MIN_H = 11;

export interface LanesFrame {
  readonly ctx: CanvasRenderingContext2D;
  readonly patterns: PatternCache;
  readonly palette: Palette;
  readonly width: number;
  readonly height: number;
  readonly scale: TimeScale; // canvas x = scale.timeToPx(t): the scale's origin is the gutter
  readonly layout: LaneLayout;
  readonly scrollTop: number;
  readonly now: EpochMs;
  readonly risks: readonly ViewRiskWindow[];
  readonly gaps: readonly GapInterval[];
  readonly selectedPod?: string;
  readonly selectedRisk?: string;
  readonly brush?: TimeWindow;
  readonly hoverX?: number;
  /** Grid lines on the ruler's ticks (TimeAxis.tickAnchor: local hours, T+0 offsets). */
  readonly tickAnchor?: EpochMs;
}

type StyleKey = "pending" | "serving" | "unready" | "terminating" | "prestop" | "draining" | "exited" | "ep-ready" | "ep-term" | "ep-not" | "lb-active" | "lb-draining" | "lb-other";

interface Batch {
  readonly rects: number[]; // x, y, w, h quadruples
}

function severityColour(p: Palette, s: string): string {
  return p[severityRole(s)];
}

export function drawLanes(f: LanesFrame): void {
  const { ctx, palette: p, width, height, scale, layout, scrollTop } = f;
  const plotW = width - GUTTER_PX;
  const x = (t: EpochMs) => scale.timeToPx(t);
  ctx.save();
  ctx.fillStyle = p.surface;
  ctx.fillRect(0, 0, width, height);

  // Tick grid.
  ctx.strokeStyle = p.line;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const tick of scale.ticks(90, f.tickAnchor)) {
    const tx = Math.round(tick.px) + 0.5;
    ctx.moveTo(tx, 0);
    ctx.lineTo(tx, height);
  }
  ctx.stroke();

  const { from, to } = visibleRows(layout.rows, scrollTop, height);
  const batches = new Map<StyleKey, Batch>();
  const add = (key: StyleKey, t0: EpochMs, t1: EpochMs, y: number, h: number) => {
    let x0 = x(t0);
    let x1 = x(t1);
    if (x1 < GUTTER_PX || x0 > width) return; // cull
    x0 = Math.max(GUTTER_PX, x0);
    x1 = Math.min(width, x1);
    if (x1 - x0 < 1) x1 = x0 + 1; // ≥ 1 px
    let b = batches.get(key);
    if (!b) {
      b = { rects: [] };
      batches.set(key, b);
    }
    b.rects.push(x0, y, x1 - x0, h);
  };
  const openEnds: { x: number; y: number; h: number }[] = [];

  // Selection highlight and group headers first, bars on top.
  for (let i = from; i < to; i++) {
    const row = layout.rows[i];
    if (!row) continue;
    const y = row.y - scrollTop;
    if (row.kind === "pod" && row.lane.uid === f.selectedPod) {
      const span = layout.podSpans.get(row.lane.uid);
      ctx.fillStyle = p.accent;
      ctx.globalAlpha = 0.12;
      ctx.fillRect(0, y - 1, width, (span ? span.bottom - span.top : row.h) + 2);
      ctx.globalAlpha = 1;
    }
    if (row.kind === "workload" || row.kind === "revision") {
      ctx.fillStyle = p.sunken;
      ctx.fillRect(0, y, width, row.h);
    }
    if (row.kind === "summary") drawSummaryBand(ctx, p, row, y, x, GUTTER_PX, width, f.now);
  }

  for (let i = from; i < to; i++) {
    const row = layout.rows[i];
    if (!row) continue;
    collectRow(row, row.y - scrollTop, f.now, add, openEnds, x);
  }

  // Where text and marker clusters go, decided once for the frame (lib/view/label-layout.ts).
  const { measureBand, measureMarker } = labelMeasures(ctx);
  const text = layoutLaneText({ layout, risks: f.risks, x, plot: { x: GUTTER_PX, y: 0, w: plotW, h: height }, scrollTop, now: f.now, measureBand, measureMarker });
  // Risk bands under the bars: the bars keep their legend colours (a tint over LB green read as olive);
  // the band shows around them and by its outline, drawn over them.
  drawRiskBands(f, text, "fill");

  // One fill per style.
  const fills: [StyleKey, () => void][] = [
    ["pending", () => fillBatch(ctx, batches.get("pending"), p.gap, 0.5)],
    ["unready", () => fillBatch(ctx, batches.get("unready"), p.muted, 0.45)],
    ["serving", () => fillBatch(ctx, batches.get("serving"), p.serving)],
    ["terminating", () => fillBatch(ctx, batches.get("terminating"), f.patterns.get("stripes", p.prestop), 0.6)],
    ["prestop", () => fillBatch(ctx, batches.get("prestop"), f.patterns.get("stripes", p.prestop))],
    ["draining", () => fillBatch(ctx, batches.get("draining"), f.patterns.get("dots", p.draining))],
    ["exited", () => strokeBatch(ctx, batches.get("exited"), p.exited)],
    ["ep-ready", () => fillBatch(ctx, batches.get("ep-ready"), p.serving)],
    ["ep-term", () => fillBatch(ctx, batches.get("ep-term"), f.patterns.get("hatch", p.draining))],
    ["ep-not", () => fillBatch(ctx, batches.get("ep-not"), p.gap)],
    ["lb-active", () => fillBatch(ctx, batches.get("lb-active"), p.ok)],
    ["lb-draining", () => fillBatch(ctx, batches.get("lb-draining"), f.patterns.get("hatch", p.ok))],
    ["lb-other", () => fillBatch(ctx, batches.get("lb-other"), p.gap)],
  ];
  for (const [, fill] of fills) fill();
  // Pattern bars get a thin border in their hue so their extent reads clearly.
  strokeBatch(ctx, batches.get("prestop"), p.prestop);
  strokeBatch(ctx, batches.get("draining"), p.draining);
  strokeBatch(ctx, batches.get("ep-term"), p.draining);
  strokeBatch(ctx, batches.get("lb-draining"), p.ok);

  // Open phases end at "now" with an arrow head: still in progress.
  ctx.fillStyle = p.fg;
  ctx.beginPath();
  for (const o of openEnds) {
    if (o.x < GUTTER_PX || o.x > width) continue;
    ctx.moveTo(o.x, o.y);
    ctx.lineTo(o.x + 5, o.y + o.h / 2);
    ctx.lineTo(o.x, o.y + o.h);
    ctx.closePath();
  }
  ctx.fill();

  // Watcher gaps: grey cross-hatch over every lane.
  for (const g of f.gaps) {
    const x0 = Math.max(GUTTER_PX, x(g.start));
    const x1 = Math.min(width, x(g.end ?? f.now));
    if (x1 <= GUTTER_PX || x0 >= width) continue;
    ctx.fillStyle = f.patterns.get("cross", p.gap);
    ctx.fillRect(x0, 0, Math.max(1, x1 - x0), height);
  }

  drawRiskBands(f, text, "outline");
  drawMarkers(f, from, to, x, text);
  drawLabels(f, text);
  drawGutter(f, from, to);

  // "now" line.
  const nx = x(f.now);
  if (nx >= GUTTER_PX && nx <= width) {
    ctx.strokeStyle = p.accent;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(Math.round(nx) + 0.5, 0);
    ctx.lineTo(Math.round(nx) + 0.5, height);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  if (f.brush) {
    const b0 = Math.max(GUTTER_PX, x(f.brush.start));
    const b1 = Math.min(width, x(f.brush.end));
    if (b1 > b0) {
      ctx.fillStyle = p.accent;
      ctx.globalAlpha = 0.12;
      ctx.fillRect(b0, 0, b1 - b0, height);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = p.accent;
      ctx.strokeRect(Math.round(b0) + 0.5, -1, Math.round(b1 - b0), height + 2);
    }
  }
  if (f.hoverX !== undefined && f.hoverX > GUTTER_PX && plotW > 0) {
    ctx.strokeStyle = p.muted;
    ctx.globalAlpha = 0.6;
    ctx.beginPath();
    ctx.moveTo(Math.round(f.hoverX) + 0.5, 0);
    ctx.lineTo(Math.round(f.hoverX) + 0.5, height);
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
  ctx.restore();
}

function collectRow(
  row: Row,
  y: number,
  now: EpochMs,
  add: (k: StyleKey, t0: EpochMs, t1: EpochMs, y: number, h: number) => void,
  openEnds: { x: number; y: number; h: number }[],
  x: (t: EpochMs) => number,
): void {
  switch (row.kind) {
    case "workload":
    case "revision":
    case "summary": // drawn whole by drawSummaryBand
      return;
    case "pod": {
      const barY = y + 3;
      const barH = row.h - 6;
      for (const ph of row.lane.phases) {
        const end = ph.end ?? now;
        switch (ph.kind) {
          case "pending":
            add("pending", ph.start, end, barY + barH / 2 - 1.5, 3);
            break;
          case "unready": // running but not ready: a low grey bar, not routable
            add("unready", ph.start, end, barY + barH / 2 - 2.5, 5);
            break;
          case "serving":
          case "terminating":
          case "prestop":
          case "draining":
          case "exited":
            add(ph.kind, ph.start, end, barY, barH);
            break;
        }
        if (ph.end === undefined) openEnds.push({ x: x(now), y: barY, h: barH });
      }
      return;
    }
    case "endpoint": {
      const lane = row.lane.endpoints[row.index];
      if (!lane) return;
      for (const iv of lane.intervals) {
        const end = iv.end ?? now;
        if (iv.state === "ready") add("ep-ready", iv.start, end, y + 1, row.h - 2);
        else if (iv.state === "serving-terminating") add("ep-term", iv.start, end, y + 1, row.h - 2);
        else add("ep-not", iv.start, end, y + row.h / 2 - 0.5, 1);
      }
      return;
    }
    case "lb": {
      const lane = row.lane.lbMembers[row.index];
      if (!lane) return;
      for (const iv of lane.intervals) {
        const end = iv.end ?? now;
        if (iv.state === "active") add("lb-active", iv.start, end, y + 1, row.h - 2);
        else if (iv.state === "draining") add("lb-draining", iv.start, end, y + 1, row.h - 2);
        else add("lb-other", iv.start, end, y + row.h / 2 - 0.5, 1);
      }
      return;
    }
  }
}

function fillBatch(ctx: CanvasRenderingContext2D, b: Batch | undefined, style: string | CanvasPattern, alpha = 1): void {
  if (!b || b.rects.length === 0) return;
  ctx.fillStyle = style;
  ctx.globalAlpha = alpha;
  ctx.beginPath();
  const r = b.rects;
  for (let i = 0; i < r.length; i += 4) ctx.rect(r[i] ?? 0, r[i + 1] ?? 0, r[i + 2] ?? 0, r[i + 3] ?? 0);
  ctx.fill();
  ctx.globalAlpha = 1;
}

function strokeBatch(ctx: CanvasRenderingContext2D, b: Batch | undefined, colour: string): void {
  if (!b || b.rects.length === 0) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const r = b.rects;
  for (let i = 0; i < r.length; i += 4) ctx.rect(Math.round(r[i] ?? 0) + 0.5, Math.round(r[i + 1] ?? 0) + 0.5, Math.max(0, Math.round(r[i + 2] ?? 0) - 1), Math.max(0, Math.round(r[i + 3] ?? 0) - 1));
  ctx.stroke();
}

const paintOrder = new WeakMap<readonly ViewRiskWindow[], ReadonlyMap<string, { readonly w: ViewRiskWindow; readonly at: number }>>();

/** Each window's place when painted least severe first (a stable sort), by id: built once per list. */
function paintRanks(risks: readonly ViewRiskWindow[]): ReadonlyMap<string, { readonly w: ViewRiskWindow; readonly at: number }> {
  let ranks = paintOrder.get(risks);
  if (!ranks) {
    const order = [...risks].sort((a, b) => (SEVERITY_DRAW_ORDER[a.severity] ?? 0) - (SEVERITY_DRAW_ORDER[b.severity] ?? 0));
    const m = new Map<string, { w: ViewRiskWindow; at: number }>();
    order.forEach((w, at) => {
      if (!m.has(w.id)) m.set(w.id, { w, at });
    });
    ranks = m;
    paintOrder.set(risks, ranks);
  }
  return ranks;
}

/** The windows with a band in this frame, least severe first: those in view only (10,000 pods: 5,000 windows, ~20 in view). */
function bandsLeastSevereFirst(risks: readonly ViewRiskWindow[], text: LaneText): ViewRiskWindow[] {
  const ranks = paintRanks(risks);
  const shown: { readonly w: ViewRiskWindow; readonly at: number }[] = [];
  for (const id of text.bands.keys()) {
    const r = ranks.get(id);
    if (r) shown.push(r);
  }
  return shown.sort((a, b) => a.at - b.at).map((r) => r.w);
}

function drawRiskBands(f: LanesFrame, text: LaneText, part: "fill" | "outline"): void {
  const { ctx, palette: p } = f;
  // Least severe first: the worst window is painted on top.
  for (const w of bandsLeastSevereFirst(f.risks, text)) {
    const spans = text.bands.get(w.id);
    if (!spans) continue;
    const colour = severityColour(p, w.severity);
    const selected = w.id === f.selectedRisk;
    for (const s of spans) {
      if (part === "fill") {
        ctx.fillStyle = colour;
        ctx.globalAlpha = riskBandAlpha(p.dark, selected);
        ctx.fillRect(s.x0, s.top, s.x1 - s.x0, s.bottom - s.top);
        ctx.globalAlpha = 1;
        continue;
      }
      ctx.strokeStyle = colour;
      ctx.lineWidth = selected ? 2 : 1;
      ctx.strokeRect(Math.round(s.x0) + 0.5, Math.round(s.top) + 0.5, Math.max(1, Math.round(s.x1 - s.x0) - 1), Math.round(s.bottom - s.top) - 1);
    }
  }
}

/** Labels placed by the frame's layout: whole words on a plate, never truncated, never overlapping. */
function drawLabels(f: LanesFrame, text: LaneText): void {
  const { ctx, palette: p } = f;
  ctx.textBaseline = "middle";
  for (const l of text.labels) {
    const band = !l.id.startsWith("exit:");
    ctx.font = labelFont(l);
    if (band) {
      ctx.fillStyle = p.surface;
      ctx.globalAlpha = 0.85;
      ctx.fillRect(l.x, l.y, l.w, l.h);
      ctx.globalAlpha = 1;
    }
    ctx.fillStyle = p.fg;
    ctx.fillText(l.text, l.textX, l.textY);
  }
}

function drawMarkers(f: LanesFrame, from: number, to: number, x: (t: EpochMs) => number, text: LaneText): void {
  const { ctx, palette: p, width, layout, scrollTop } = f;
  for (let i = from; i < to; i++) {
    const row = layout.rows[i];
    if (!row || row.kind !== "pod") continue;
    const cy = row.y - scrollTop + row.h / 2;
    for (const m of podMarkers(row.lane)) {
      const lo = x(m.range[0]);
      const hi = x(m.range[1]);
      if (hi < GUTTER_PX - 8 || lo > width + 8) continue;
      // Uncertainty: whisker (|—|) or, for an estimated SIGTERM, a bracket ([ ]) over the range.
      if (hasWhisker(m) && hi - lo >= 2) {
        ctx.strokeStyle = p.fg;
        ctx.lineWidth = 1;
        ctx.beginPath();
        if (m.bracket) {
          const top = cy - 7;
          const bot = cy + 7;
          ctx.moveTo(lo + 3, top);
          ctx.lineTo(lo, top);
          ctx.lineTo(lo, bot);
          ctx.lineTo(lo + 3, bot);
          ctx.moveTo(hi - 3, top);
          ctx.lineTo(hi, top);
          ctx.lineTo(hi, bot);
          ctx.lineTo(hi - 3, bot);
        } else {
          ctx.moveTo(lo, cy + 6);
          ctx.lineTo(hi, cy + 6);
          ctx.moveTo(lo, cy + 4);
          ctx.lineTo(lo, cy + 8);
          ctx.moveTo(hi, cy + 4);
          ctx.lineTo(hi, cy + 8);
        }
        ctx.stroke();
      }
    }
    const r = row.h >= 24 ? 5 : 4;
    for (const c of text.clusters.get(i) ?? []) {
      const only = c.markers.length === 1 ? c.markers[0] : undefined;
      if (only) {
        // API-side marks ride high, SIGTERM low, the kubelet's in the middle (encoding.markerOffset).
        drawGlyph(ctx, only.kind, c.x, cy + markerOffset(only.kind) * row.h, r, only.kind === "sigkill" ? p.critical : p.fg, p.surface);
        continue;
      }
      // Markers within a few px: one disc with their count (the tooltip and zoom show each).
      const sigkill = c.markers.some((m) => m.kind === "sigkill");
      ctx.fillStyle = sigkill ? p.critical : p.fg;
      ctx.beginPath();
      ctx.arc(c.x, cy, r + 2, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = p.surface;
      ctx.font = MARKER_FONT;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(String(c.markers.length), c.x, cy + 0.5);
      ctx.textAlign = "start";
    }
  }
}

function drawGutter(f: LanesFrame, from: number, to: number): void {
  const { ctx, palette: p, height, layout, scrollTop } = f;
  ctx.fillStyle = p.sunken;
  ctx.fillRect(0, 0, GUTTER_PX, height);
  ctx.strokeStyle = p.line;
  ctx.beginPath();
  ctx.moveTo(GUTTER_PX - 0.5, 0);
  ctx.lineTo(GUTTER_PX - 0.5, height);
  ctx.stroke();
  ctx.textBaseline = "middle";
  for (let i = from; i < to; i++) {
    const row = layout.rows[i];
    if (!row) continue;
    const y = row.y - scrollTop;
    const cy = y + row.h / 2;
    // Text shortened where it says least (lib/view/gutter-text.ts); the hover tooltip has it whole.
    const measure = (t: string) => ctx.measureText(t).width;
    switch (row.kind) {
      case "workload": {
        ctx.font = "700 12px ui-sans-serif, system-ui, sans-serif";
        ctx.fillStyle = p.fg;
        const t = gutterText(row, GUTTER_PX - 12, measure);
        if (t) ctx.fillText(t, 6, cy);
        break;
      }
      case "revision": {
        ctx.font = "600 11px ui-sans-serif, system-ui, sans-serif";
        ctx.fillStyle = p.muted;
        const t = gutterText(row, GUTTER_PX - 22, measure);
        if (t) ctx.fillText(t, 16, cy);
        break;
      }
      case "summary":
        drawSummaryGutter(ctx, p, row, y, GUTTER_PX);
        break;
      case "pod": {
        if (row.lane.uid === f.selectedPod) {
          ctx.fillStyle = p.accent;
          ctx.fillRect(0, y, 3, row.h);
        }
        ctx.font = `${row.lane.uid === f.selectedPod ? "700" : "400"} 11px ui-monospace, Menlo, monospace`;
        ctx.fillStyle = p.fg;
        const t = gutterText(row, GUTTER_PX - 32, measure);
        if (t) ctx.fillText(t, 26, cy);
        break;
      }
      case "endpoint":
      case "lb": {
        if (row.h < SUB_LABEL_MIN_H) break;
        ctx.font = "9px ui-sans-serif, system-ui, sans-serif";
        ctx.fillStyle = p.muted;
        const t = gutterText(row, GUTTER_PX - 48, measure);
        if (t) ctx.fillText(t, 40, cy);
        break;
      }
    }
  }
}
