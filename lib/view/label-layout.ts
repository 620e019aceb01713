/**
 * Where the swimlane may print text, decided before drawing (pure, so a test can check every frame):
 * - risk-band labels (the rule id) and exit-code labels are printed only where the whole text fits inside
 *   its band or row and the plot, and overlaps no label already placed; otherwise they are left to the
 *   tooltip and the risk list (never truncated: "dead-but-…" reads as a different rule);
 * - markers of one pod closer than a few pixels are drawn as one glyph with a count (a delete, Killing,
 *   SIGTERM, exit and removal within 2–3 px pile up otherwise).
 */
import type { EpochMs } from "../model/time";
import type { LaneLayout } from "./lane-layout";
import { visibleRows } from "./lane-layout";
import { podMarkers, type Marker } from "./markers";
import { SEVERITY_DRAW_ORDER } from "./encoding";

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PlacedLabel extends Box {
  readonly id: string;
  readonly text: string;
  /** Where the text starts (left, vertical middle). */
  readonly textX: number;
  readonly textY: number;
}

/** Width of `text` in CSS px in the label font (the canvas measures; tests pass an estimate). */
export type Measure = (text: string) => number;

/** The canvas fonts of the labels: band labels (the rule id) and exit codes. */
export const BAND_FONT = "600 10px ui-sans-serif, system-ui, sans-serif";
export const MARKER_FONT = "600 9px ui-sans-serif, system-ui, sans-serif";

/** The font a placed label is drawn in (the canvas sets it per label). */
export function labelFont(l: Pick<PlacedLabel, "id">): string {
  return l.id.startsWith("exit:") ? MARKER_FONT : BAND_FONT;
}

/** What measures text in the current font (a CanvasRenderingContext2D). */
export interface TextMeasurer {
  font: string;
  measureText(text: string): { readonly width: number };
}

/**
 * The layout's measures on a canvas, each in the font its labels are drawn in. The font is set on every
 * call: measures made while the canvas held another font (the 9 px one after the last assignment) made
 * band labels ~0.4 px a character narrower than drawn, so the next label slid into their tail
 * ("dead-but-route|sigterm-before-deregistration").
 */
export function labelMeasures(ctx: TextMeasurer): { readonly measureBand: Measure; readonly measureMarker: Measure } {
  const measureIn = (font: string) => (t: string) => {
    ctx.font = font;
    return ctx.measureText(t).width;
  };
  return { measureBand: measureIn(BAND_FONT), measureMarker: measureIn(MARKER_FONT) };
}

export const LABEL_H = 12;
const PAD = 2;
/** Markers of one pod nearer than this (px) share one glyph. */
export const CLUSTER_PX = 7;
/** Half the width a glyph (or a cluster's disc) takes, with a pixel of air. */
const GLYPH_HALF_W = 7;

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function inside(a: Box, outer: Box): boolean {
  return a.x >= outer.x && a.y >= outer.y && a.x + a.w <= outer.x + outer.w && a.y + a.h <= outer.y + outer.h;
}

interface Candidate {
  readonly id: string;
  readonly text: string;
  /** Top-left corners to try, in order. */
  readonly at: readonly { readonly x: number; readonly y: number }[];
  /** The label must stay inside this (its band or row, clipped to the plot). */
  readonly within: Box;
  /** May move right past what is in the way (band labels), or only where given (exit codes). */
  readonly slide: boolean;
}

/**
 * Greedy placement, in the order given: for each row of `at` (its y), the given x first, then just right
 * of each box in the way; the first position that fits and overlaps no placed label and no obstacle wins.
 */
function place(cands: readonly Candidate[], measure: Measure, placed: PlacedLabel[], obstacles: readonly Box[]): void {
  for (const c of cands) {
    const w = measure(c.text) + 2 * PAD;
    const hit = (box: Box) => placed.find((q) => overlaps(box, q)) ?? obstacles.find((q) => overlaps(box, q));
    search: for (const p of c.at) {
      let x = p.x;
      // Each step moves right past one box in the way: bounded by the boxes there are.
      for (let step = 0; step <= placed.length + obstacles.length; step++) {
        const box = { x, y: p.y, w, h: LABEL_H };
        if (!inside(box, c.within)) break;
        const blocker = hit(box);
        if (!blocker) {
          placed.push({ id: c.id, text: c.text, ...box, textX: x + PAD, textY: p.y + LABEL_H / 2 });
          break search;
        }
        if (!c.slide) break;
        x = blocker.x + blocker.w + 1;
      }
    }
  }
}

export interface MarkerCluster {
  /** Where the glyph is drawn: the first marker's x. */
  readonly x: number;
  readonly markers: readonly Marker[];
}

/** Markers (sorted by x) grouped when each is within `gapPx` of the first of its group. */
export function clusterMarkers(markers: readonly { readonly m: Marker; readonly x: number }[], gapPx = CLUSTER_PX): MarkerCluster[] {
  const sorted = [...markers].sort((a, b) => a.x - b.x);
  const out: { x: number; markers: Marker[] }[] = [];
  for (const { m, x } of sorted) {
    const last = out[out.length - 1];
    if (last && x - last.x < gapPx) last.markers.push(m);
    else out.push({ x, markers: [m] });
  }
  return out;
}

export interface BandSpan {
  readonly x0: number;
  readonly x1: number;
  readonly top: number;
  readonly bottom: number;
}

export interface LaneTextInput {
  readonly layout: LaneLayout;
  readonly risks: readonly { readonly id: string; readonly rule: string; readonly severity: string; readonly podUids: readonly string[]; readonly startMs: EpochMs; readonly endMs?: EpochMs }[];
  /** Plot x of a time (gutter included). */
  readonly x: (t: EpochMs) => number;
  /** The plot: right of the gutter, the canvas's height. */
  readonly plot: Box;
  readonly scrollTop: number;
  readonly now: EpochMs;
  readonly measureBand: Measure;
  readonly measureMarker: Measure;
}

export interface LaneText {
  /** Per visible pod row (by row index): its marker clusters, in plot x. */
  readonly clusters: ReadonlyMap<number, readonly MarkerCluster[]>;
  /** Every label to print: band labels (id = window id) and exit codes (id = `exit:<uid>`). */
  readonly labels: readonly PlacedLabel[];
  /** Band rectangles of each window in view (id → spans), the same ones the renderer fills. */
  readonly bands: ReadonlyMap<string, readonly BandSpan[]>;
}

/** The rectangles a window covers on screen: its pods' spans, or the whole height for a service window. */
export function bandSpans(w: LaneTextInput["risks"][number], i: LaneTextInput): BandSpan[] {
  const { plot, layout, scrollTop } = i;
  const x0 = Math.max(plot.x, i.x(w.startMs));
  const x1 = Math.min(plot.x + plot.w, Math.max(i.x(w.endMs ?? i.now), i.x(w.startMs) + 2));
  if (x1 <= plot.x || x0 >= plot.x + plot.w) return [];
  const out: BandSpan[] = [];
  for (const uid of w.podUids) {
    const s = layout.podSpans.get(uid);
    if (s && s.bottom - scrollTop >= plot.y && s.top - scrollTop <= plot.y + plot.h) out.push({ x0, x1, top: s.top - scrollTop, bottom: s.bottom - scrollTop });
  }
  if (w.podUids.length === 0) out.push({ x0, x1, top: plot.y, bottom: plot.y + plot.h });
  return out;
}

type LaneRisk = LaneTextInput["risks"][number];
const worstFirstOrder = new WeakMap<readonly LaneRisk[], readonly LaneRisk[]>();

/** The windows worst first (then by start), sorted once per list rather than per frame (10,000 pods: 5,000 windows). */
function worstFirst(risks: readonly LaneRisk[]): readonly LaneRisk[] {
  let order = worstFirstOrder.get(risks);
  if (!order) {
    order = [...risks].sort((a, b) => (SEVERITY_DRAW_ORDER[b.severity] ?? 0) - (SEVERITY_DRAW_ORDER[a.severity] ?? 0) || a.startMs - b.startMs);
    worstFirstOrder.set(risks, order);
  }
  return order;
}

interface RiskIndex {
  /** Position in the worst-first order. */
  readonly rank: ReadonlyMap<LaneRisk, number>;
  /** The windows naming each pod. */
  readonly byPod: ReadonlyMap<string, readonly LaneRisk[]>;
  /** Service windows (no pod): the whole plot height, on screen whatever rows are. */
  readonly podless: readonly LaneRisk[];
}
const riskIndexes = new WeakMap<readonly LaneRisk[], RiskIndex>();

/** Built once per list: a frame then looks at the windows of the pods in view, not at all of them. */
function riskIndex(risks: readonly LaneRisk[]): RiskIndex {
  let index = riskIndexes.get(risks);
  if (!index) {
    const rank = new Map<LaneRisk, number>();
    const byPod = new Map<string, LaneRisk[]>();
    const podless: LaneRisk[] = [];
    worstFirst(risks).forEach((w, i) => {
      rank.set(w, i);
      if (w.podUids.length === 0) podless.push(w);
      for (const uid of w.podUids) {
        const list = byPod.get(uid);
        if (list) list.push(w);
        else byPod.set(uid, [w]);
      }
    });
    index = { rank, byPod, podless };
    riskIndexes.set(risks, index);
  }
  return index;
}

/**
 * The windows that can have a band in the plot, worst first: the service windows and those of the pods
 * with a row in view (a pixel of margin: bandSpans counts a pod whose span touches the plot's edge).
 * Every other window has no pod span in view, so bandSpans would return nothing for it. A 10,000-pod
 * rollout has 5,000 windows and about 20 pods in view.
 */
export function windowsInView(i: Pick<LaneTextInput, "layout" | "risks" | "plot" | "scrollTop">): LaneRisk[] {
  const { byPod, podless, rank } = riskIndex(i.risks);
  const found = new Set<LaneRisk>(podless);
  const { from, to } = visibleRows(i.layout.rows, i.scrollTop + i.plot.y - 1, i.plot.h + 2);
  for (let r = from; r < to; r++) {
    const row = i.layout.rows[r];
    if (row && "lane" in row) for (const w of byPod.get(row.lane.uid) ?? []) found.add(w);
  }
  return [...found].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
}

/** Everything textual the swimlane draws in its plot for one frame. */
export function layoutLaneText(i: LaneTextInput): LaneText {
  const { layout, plot, scrollTop } = i;
  const placed: PlacedLabel[] = [];
  const clip = (b: Box): Box => {
    const x = Math.max(b.x, plot.x);
    const y = Math.max(b.y, plot.y);
    return { x, y, w: Math.max(0, Math.min(b.x + b.w, plot.x + plot.w) - x), h: Math.max(0, Math.min(b.y + b.h, plot.y + plot.h) - y) };
  };

  // Marker clusters first: labels keep clear of the glyphs (and their whiskers).
  const clusters = new Map<number, MarkerCluster[]>();
  const glyphs: Box[] = [];
  const exitCands: Candidate[] = [];
  const { from, to } = visibleRows(layout.rows, scrollTop, plot.h);
  for (let r = from; r < to; r++) {
    const row = layout.rows[r];
    if (!row || row.kind !== "pod") continue;
    const shown = podMarkers(row.lane)
      .map((m) => ({ m, x: i.x(m.at) }))
      .filter((p) => p.x >= plot.x && p.x <= plot.x + plot.w);
    if (shown.length === 0) continue;
    const cs = clusterMarkers(shown);
    clusters.set(r, cs);
    const y = row.y - scrollTop;
    for (const c of cs) {
      glyphs.push({ x: c.x - GLYPH_HALF_W, y, w: 2 * GLYPH_HALF_W, h: row.h });
      const only = c.markers.length === 1 ? c.markers[0] : undefined;
      if (!only || (only.kind !== "exit" && only.kind !== "sigkill") || !only.label) continue;
      exitCands.push({ id: `exit:${row.lane.uid}`, text: only.label, at: [{ x: c.x + GLYPH_HALF_W + 1, y: y + row.h / 2 - LABEL_H / 2 }], within: clip({ x: plot.x, y, w: plot.w, h: row.h }), slide: false });
    }
  }

  // Bands, worst first so the most severe window gets its label.
  const bands = new Map<string, BandSpan[]>();
  const order = windowsInView(i);
  const bandCands: Candidate[] = [];
  for (const w of order) {
    const spans = bandSpans(w, i);
    if (spans.length === 0) continue;
    bands.set(w.id, spans);
    for (const s of spans) {
      // Top row of the band first, then lower rows while the band is tall enough.
      const at: { x: number; y: number }[] = [];
      for (let y = s.top + 1; y + LABEL_H <= s.bottom; y += LABEL_H + 1) at.push({ x: s.x0 + 2, y });
      bandCands.push({ id: w.id, text: w.rule, at, within: clip({ x: s.x0, y: s.top, w: s.x1 - s.x0, h: s.bottom - s.top }), slide: true });
    }
  }
  place(bandCands, i.measureBand, placed, glyphs);
  // Exit codes just right of their glyph, or not at all (a code far from its glyph would mislead).
  place(exitCands, i.measureMarker, placed, glyphs);
  return { clusters, labels: placed, bands };
}
