/**
 * The timeline as a self-contained SVG string: title, time axis, the swimlane's rows (group headers, one
 * lane per pod with its phase bar and key-time markers, labelled endpoint and LB sub-lanes underneath),
 * watcher gaps, risk bands labelled with their rule, the per-service endpoint charts, a legend and the
 * risk-window table. Rows come from the swimlane's own layout (lib/view/lane-layout), in its order. Colours, patterns and marker shapes are the dashboard's own
 * (lib/view/encoding.ts, design §6.5), drawn with the same geometry as the canvas swimlane. Every piece of
 * cluster text goes through `esc`; nothing from the cluster is ever raw markup. The PNG export is this SVG
 * rendered by a headless browser, so both show the same picture.
 */
import type { PodLane } from "../engine/types";
import type { EpochMs } from "../model/time";
import {
  ENDPOINT_STYLES,
  GAP_STYLE,
  LB_STYLES,
  LEGEND_ITEMS,
  LEGEND_MARKS,
  LIGHT_COLOURS as C,
  MARK_ROLES,
  markLegendLabel,
  MARKER_GLYPHS,
  MARKER_NAMES_SHORT,
  nowLineLabel,
  PHASE_STYLES,
  riskBandAlpha,
  RISK_SEVERITIES,
  markerOffset,
  markerRole,
  PATTERN_TILES,
  severityRole,
  SEVERITY_DRAW_ORDER,
  type BarStyle,
  type ColourRole,
  type MarkKind,
  type PatternKind,
  type Swatch,
} from "../view/encoding";
import { createTimeScale } from "../view/time-scale";
import { formatDateTime, formatDuration, formatTick, plural } from "../view/format";
import { hasWhisker, podMarkers, type MarkerKind } from "../view/markers";
import { formatVerdict } from "../engine/verdict";
import { layoutLaneText, type MarkerCluster } from "../view/label-layout";
import { layoutLanes, type LaneLayout, type Row } from "../view/lane-layout";
import { toViewWindows } from "../view/timeline-doc";
import { fittedTitle } from "./svg-title";
import { overallVerdict, type ExportInput } from "./types";
import { CHART_GAP, CHART_H, serviceChartSvg } from "./svg-chart";
import { viewMetadata } from "./view-metadata";
import { esc } from "./xml-escape";

export const SVG_WIDTH = 1200;
const LABEL_W = 260;
const PAD = 16;
const LANES_TOP = 120;
const POD_H = 24; // pod row: bar, markers
const SUB_H = 12; // one endpoint or LB sub-lane, tall enough for its 9 px label
const MIN_LANE_H = 26;
const GROUP_H = { workload: 20, revision: 16 } as const;
const ROW_H = 18;
const LEGEND_ROW_H = 18;
const CHAR_W = 6.5; // rough width of an 11 px DejaVu Sans character, for layout only
const BAND_CHAR_W = 6.6; // bold 10 px, the band labels' font (wide side, so a placed label always fits)
const MARKER_CHAR_W = 6; // bold 9 px, exit codes

export { esc };

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function text(x: number, y: number, s: string, attrs = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs ? ` ${attrs}` : ""}>${esc(s)}</text>`;
}

function n(v: number): string {
  return v.toFixed(1);
}

const TITLE_CHAR_W = 11; // bold 16 px DejaVu Sans, wide side (digits are 11.1 px), so a fitted title never runs off
const TITLE_MAX_CHARS = Math.floor((SVG_WIDTH - 2 * PAD) / TITLE_CHAR_W);

/** The headline, shortened in the middle to fit the width; when shortened, the full line is its tooltip. */
function titleSvg(input: ExportInput): string {
  const { shown, full } = fittedTitle(input, TITLE_MAX_CHARS);
  const tip = shown === full ? "" : `<title>${esc(full)}</title>`;
  return `<text x="${PAD.toFixed(1)}" y="${(26).toFixed(1)}" font-size="16" font-weight="bold" fill="${C.fg}">${tip}${esc(shown)}</text>`;
}

export interface SvgLayout {
  readonly width: number;
  readonly height: number;
}

function laneHeight(lane: PodLane): number {
  return Math.max(MIN_LANE_H, POD_H + (lane.endpoints.length + lane.lbMembers.length) * SUB_H + 2);
}

/** A row of the picture: a group header of the swimlane's layout, or a pod lane with its sub-lanes. */
type SvgRow =
  | { readonly kind: "workload" | "revision"; readonly top: number; readonly h: number; readonly label: string }
  | { readonly kind: "pod"; readonly top: number; readonly h: number; readonly lane: PodLane; readonly pinned: boolean };

/**
 * The swimlane's rows (pinned group first, then workload → revision → pod), at the picture's heights, and
 * the same rows as a LaneLayout so lib/view/label-layout places labels and marker clusters as on screen.
 */
function svgRows(input: ExportInput): { rows: SvgRow[]; bottom: number; layout: LaneLayout } {
  const top = 0;
  const rows: SvgRow[] = [];
  const layoutRows: Row[] = [];
  const podSpans = new Map<string, { top: number; bottom: number; row: number }>();
  const podOrder: string[] = [];
  let y = top;
  for (const r of layoutLanes(input.doc.lanes, input.view.pinned ?? []).rows) {
    if (r.kind === "workload" || r.kind === "revision") {
      const label = r.kind === "workload" ? `${r.label} · ${plural(r.count, "pod")}` : `${r.label} · ${r.count}`;
      rows.push({ kind: r.kind, top: y, h: GROUP_H[r.kind], label });
      layoutRows.push({ ...r, y, h: GROUP_H[r.kind] });
      y += GROUP_H[r.kind];
    } else if (r.kind === "pod") {
      const h = laneHeight(r.lane);
      rows.push({ kind: "pod", top: y, h, lane: r.lane, pinned: r.pinned });
      podSpans.set(r.lane.uid, { top: y, bottom: y + h, row: layoutRows.length });
      podOrder.push(r.lane.uid);
      layoutRows.push({ ...r, y, h: POD_H });
      let sy = y + POD_H;
      for (const [index] of r.lane.endpoints.entries()) layoutRows.push({ kind: "endpoint", y: (sy += SUB_H) - SUB_H, h: SUB_H, lane: r.lane, index });
      for (const [index] of r.lane.lbMembers.entries()) layoutRows.push({ kind: "lb", y: (sy += SUB_H) - SUB_H, h: SUB_H, lane: r.lane, index });
      y += h;
    }
  }
  const bottom = rows.length === 0 ? top + MIN_LANE_H : y;
  return { rows, bottom, layout: { rows: layoutRows, height: bottom, podSpans, podOrder } };
}

function chartsHeight(input: ExportInput): number {
  const n = input.doc.serviceCounts?.length ?? 0;
  return n === 0 ? 0 : CHART_GAP + n * (CHART_H + CHART_GAP);
}

interface LegendEntry {
  readonly x: number;
  readonly y: number; // text baseline
  readonly label: string;
  readonly swatch: Swatch | { readonly kind: "risk"; readonly colour: ColourRole } | { readonly kind: "mark"; readonly mark: MarkKind };
}

/**
 * Legend entries in the dashboard's order (components/timeline/legend.tsx: LEGEND_ITEMS, then LEGEND_MARKS,
 * then the risk severities), wrapped to the picture's width. `live` names the dashed line ("now" / "data ends").
 */
function legendLayout(top: number, live: boolean): { entries: LegendEntry[]; height: number } {
  const items: [string, LegendEntry["swatch"]][] = [
    ...LEGEND_ITEMS.map(([l, s]): [string, LegendEntry["swatch"]] => [l, s]),
    ...LEGEND_MARKS.map((k): [string, LegendEntry["swatch"]] => [markLegendLabel(k, live), { kind: "mark", mark: k }]),
    ...RISK_SEVERITIES.map((s): [string, LegendEntry["swatch"]] => [s, { kind: "risk", colour: severityRole(s) }]),
  ];
  const entries: LegendEntry[] = [];
  let x = PAD;
  let y = top + 12;
  for (const [label, swatch] of items) {
    const w = 18 + 4 + label.length * CHAR_W + 14;
    if (x + w > SVG_WIDTH - PAD && x > PAD) {
      x = PAD;
      y += LEGEND_ROW_H;
    }
    entries.push({ x, y, label, swatch });
    x += w;
  }
  return { entries, height: y - top + 8 };
}

/** The picture's size for a document, so a PNG can be rendered at exactly this size. */
export function svgLayout(input: ExportInput): SvgLayout {
  const lanesBottom = LANES_TOP + svgRows(input).bottom;
  const legend = legendLayout(0, input.doc.live === true).height;
  const table = input.doc.riskWindows.length;
  return { width: SVG_WIDTH, height: Math.ceil(lanesBottom + chartsHeight(input) + 16 + legend + 34 + (table + 1) * ROW_H + PAD) };
}

// ---- patterns (encoding.PATTERN_TILES: the same path data the canvas fills with) ----

function patternId(kind: PatternKind, colour: ColourRole): string {
  return `ds-${kind}-${colour}`;
}

function patternDef(kind: PatternKind, colour: ColourRole): string {
  const t = PATTERN_TILES[kind];
  const c = C[colour];
  const body = t.paint === "fill" ? `<path d="${t.path}" fill="${c}"/>` : `<path d="${t.path}" stroke="${c}" stroke-width="${t.width}" fill="none"/>`;
  return `<pattern id="${patternId(kind, colour)}" width="${t.size}" height="${t.size}" patternUnits="userSpaceOnUse">${body}</pattern>`;
}

function fillOf(style: { readonly colour: ColourRole; readonly pattern?: PatternKind }): string {
  return style.pattern ? `url(#${patternId(style.pattern, style.colour)})` : C[style.colour];
}

/** One interval of a bar or sub-lane in row [y, y + h), as the canvas draws it. */
function barSvg(style: BarStyle, x0: number, x1: number, y: number, h: number, attrs = ""): string {
  const w = Math.max(1, x1 - x0);
  const alpha = style.alpha !== undefined ? ` fill-opacity="${style.alpha}"` : "";
  if (style.outline) return `<rect x="${n(x0 + 0.5)}" y="${n(y + 0.5)}" width="${n(Math.max(0, w - 1))}" height="${n(h - 1)}" fill="none" stroke="${C[style.colour]}"${attrs}/>`;
  const hh = style.height ?? h;
  const yy = style.height !== undefined ? y + h / 2 - hh / 2 : y;
  const border = style.border ? ` stroke="${C[style.colour]}" stroke-width="1"` : "";
  return `<rect x="${n(x0)}" y="${n(yy)}" width="${n(w)}" height="${n(hh)}" fill="${fillOf(style)}"${alpha}${border}${attrs}/>`;
}

// ---- marker glyphs (the paths of components/timeline/glyphs.ts) ----

function glyphSvg(kind: MarkerKind, x: number, cy: number, r: number): string {
  const colour = C[markerRole(kind)];
  const bg = C.surface;
  switch (kind) {
    case "delete":
      return `<path d="M${n(x - r)} ${n(cy - r)}L${n(x + r)} ${n(cy + r)}M${n(x + r)} ${n(cy - r)}L${n(x - r)} ${n(cy + r)}" stroke="${colour}" stroke-width="1.6" fill="none"/>`;
    case "killing":
      return `<path d="M${n(x - r)} ${n(cy - r)}L${n(x + r)} ${n(cy - r)}L${n(x)} ${n(cy + r)}Z" fill="${colour}"/>`;
    case "sigterm": {
      const pts: [number, number][] = [
        [0.4, -1.2],
        [-0.7, 0.1],
        [0.1, 0.1],
        [-0.4, 1.2],
        [0.8, -0.2],
        [0, -0.2],
      ];
      return `<path d="${pts.map(([dx, dy], i) => `${i === 0 ? "M" : "L"}${n(x + r * dx)} ${n(cy + r * dy)}`).join("")}Z" fill="${colour}"/>`;
    }
    case "exit":
      return `<rect x="${n(x - r * 0.8)}" y="${n(cy - r * 0.8)}" width="${n(r * 1.6)}" height="${n(r * 1.6)}" fill="${colour}"/>`;
    case "sigkill":
      return [
        `<circle cx="${n(x)}" cy="${n(cy - r * 0.2)}" r="${n(r * 0.9)}" fill="${colour}"/>`,
        `<rect x="${n(x - r * 0.5)}" y="${n(cy + r * 0.4)}" width="${n(r)}" height="${n(r * 0.6)}" fill="${colour}"/>`,
        `<circle cx="${n(x - r * 0.35)}" cy="${n(cy - r * 0.25)}" r="${n(r * 0.25)}" fill="${bg}"/>`,
        `<circle cx="${n(x + r * 0.35)}" cy="${n(cy - r * 0.25)}" r="${n(r * 0.25)}" fill="${bg}"/>`,
      ].join("");
    case "removal":
      return `<circle cx="${n(x)}" cy="${n(cy)}" r="${n(r * 0.85)}" fill="${bg}" stroke="${colour}" stroke-width="1.6"/>`;
  }
}

export function timelineSvg(input: ExportInput): string {
  const { doc } = input;
  const { width, height } = svgLayout(input);
  const plotW = width - LABEL_W - PAD;
  const from = doc.range.from;
  const to = doc.range.to > from ? doc.range.to : from + 1000;
  const generated = Date.parse(doc.generatedFor.now);
  const now = Number.isFinite(generated) ? Math.min(generated, to) : to; // open intervals end here
  const scale = createTimeScale({ start: from, end: to }, plotW, LABEL_W); // the scale owns the label column offset
  const x = (t: number) => Math.min(LABEL_W + plotW, Math.max(LABEL_W, scale.timeToPx(t)));
  const lanesTop = LANES_TOP;
  // The lanes are drawn in their own coordinates (y from 0, like the swimlane's content), translated below the axis.
  const { rows, bottom: lanesH, layout } = svgRows(input);
  const lanesBottom = lanesTop + lanesH;
  const chartsBottom = lanesBottom + chartsHeight(input);
  const meta = viewMetadata(input);
  const out: string[] = [];
  // The view it shows, as data (view-metadata.ts): range in epoch ms, lanes top to bottom.
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="11" data-range-from="${meta.from}" data-range-to="${meta.to}" data-lanes="${esc(meta.lanes.map((l) => l.uid).join(","))}" data-pinned="${esc(meta.pinned.join(","))}">`,
  );
  out.push(`<metadata id="drainscope-view">${esc(JSON.stringify(meta))}</metadata>`);
  const patterns: [PatternKind, ColourRole][] = [];
  for (const s of [...Object.values(PHASE_STYLES), ...Object.values(ENDPOINT_STYLES), ...Object.values(LB_STYLES), GAP_STYLE, ...LEGEND_ITEMS.map(([, s]) => s)]) {
    if ("pattern" in s && s.pattern && "colour" in s && !patterns.some(([k, c]) => k === s.pattern && c === s.colour)) patterns.push([s.pattern, s.colour]);
  }
  out.push(`<defs>${patterns.map(([k, c]) => patternDef(k, c)).join("")}</defs>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${C.surface}"/>`);
  const verdict = overallVerdict(doc);
  out.push(titleSvg(input));
  out.push(text(PAD, 46, `${formatDateTime(from)} → ${formatDateTime(to)} (${formatDuration(to - from)}) · verdict ${formatVerdict(verdict.verdict, verdict.reason)} · ${plural(doc.lanes.length, meta.pinned.length > 0 ? "pinned pod" : "pod")} · ${plural(doc.riskWindows.length, "risk window")}`, `fill="${C.muted}"`));

  // Time axis and tick grid.
  const axisY = lanesTop - 8;
  out.push(`<line x1="${LABEL_W}" y1="${axisY}" x2="${LABEL_W + plotW}" y2="${axisY}" stroke="${C.muted}"/>`);
  const step = scale.tickStep(90);
  for (const tick of scale.ticks(90)) {
    const tx = tick.px;
    out.push(`<line x1="${n(tx)}" y1="${axisY - 4}" x2="${n(tx)}" y2="${chartsBottom}" stroke="${C.line}"${tick.major ? "" : ' stroke-opacity="0.6"'}/>`);
    const anchor = tx > LABEL_W + plotW - 30 ? "end" : tx < LABEL_W + 30 ? "start" : "middle";
    out.push(text(tx, axisY - 7, formatTick(tick.t, step), `text-anchor="${anchor}" fill="${C.muted}" font-size="10"`));
  }
  out.push(text(PAD, axisY - 7, "UTC", `fill="${C.muted}" font-size="10"`));

  // Rows: group headers, then each pod's label, bar and labelled sub-lanes.
  out.push(`<g transform="translate(0 ${lanesTop})" data-lanes-area="">`);
  for (const r of rows) out.push(r.kind === "pod" ? laneBarsSvg(r.lane, r.top, x, now, r.pinned) : groupRowSvg(r));
  if (doc.lanes.length === 0) out.push(text(LABEL_W, 17, "No pods in this view.", `fill="${C.muted}"`));

  // Watcher gaps: grey cross-hatch over every lane.
  for (const g of doc.gaps) {
    const g0 = x(g.start);
    const g1 = x(g.end ?? now);
    if (g1 <= LABEL_W || g0 >= LABEL_W + plotW) continue;
    out.push(`<rect x="${n(g0)}" y="0" width="${n(Math.max(1, g1 - g0))}" height="${lanesH}" fill="${fillOf(GAP_STYLE)}"><title>${esc(`watcher gap: ${g.resource} — ${g.reason}`)}</title></rect>`);
  }

  // Risk bands, band labels and marker clusters where the swimlane puts them (lib/view/label-layout): a
  // label only where its whole text fits, markers a few px apart as one disc with their count.
  const plot = { x: LABEL_W, y: 0, w: plotW, h: lanesH };
  const placed = layoutLaneText({
    layout,
    risks: toViewWindows(doc.riskWindows, now),
    x,
    plot,
    scrollTop: 0,
    now,
    measureBand: (t) => t.length * BAND_CHAR_W,
    measureMarker: (t) => t.length * MARKER_CHAR_W,
  });
  const byId = new Map(doc.riskWindows.map((w) => [w.id, w]));
  // Painted least severe first, so the worst window is on top (the canvas's order: SEVERITY_DRAW_ORDER).
  const bandOrder = [...placed.bands.keys()].sort((a, b) => (SEVERITY_DRAW_ORDER[byId.get(a)?.severity ?? ""] ?? 0) - (SEVERITY_DRAW_ORDER[byId.get(b)?.severity ?? ""] ?? 0));
  for (const id of bandOrder) {
    const w = byId.get(id);
    if (!w) continue;
    const colour = C[severityRole(w.severity)];
    for (const sp of placed.bands.get(id) ?? []) {
      out.push(`<rect x="${n(sp.x0)}" y="${n(sp.top)}" width="${n(sp.x1 - sp.x0)}" height="${n(sp.bottom - sp.top)}" fill="${colour}" fill-opacity="${riskBandAlpha(false)}" stroke="${colour}"><title>${esc(`${w.severity}: ${w.rule}`)}</title></rect>`);
    }
  }

  // Markers on top: whiskers and titles for each, one glyph per cluster.
  layout.rows.forEach((r, i) => {
    if (r.kind === "pod") out.push(laneMarkersSvg(r.lane, r.y, x, LABEL_W + plotW, placed.clusters.get(i) ?? []));
  });

  // Labels last, on plates: band rule ids and exit codes.
  for (const l of placed.labels) {
    const band = !l.id.startsWith("exit:");
    if (band) out.push(`<rect x="${n(l.x)}" y="${n(l.y)}" width="${n(l.w)}" height="${n(l.h)}" fill="${C.surface}" fill-opacity="0.85"/>`);
    out.push(text(l.textX, l.textY + 3.5, l.text, `fill="${C.fg}" font-size="${band ? 10 : 9}" font-weight="bold" data-label="${band ? "band" : "exit"}"`));
  }
  // The dashed line at the document's clock ("now" live, "data ends" for a recording), as the swimlane draws it.
  const nowX = scale.timeToPx(now);
  if (nowX >= LABEL_W && nowX <= LABEL_W + plotW) {
    out.push(`<path d="M${n(Math.round(nowX) + 0.5)} 0L${n(Math.round(nowX) + 0.5)} ${lanesH}" stroke="${C[MARK_ROLES.now]}" stroke-dasharray="4 3" fill="none" data-mark="now"><title>${esc(nowLineLabel(doc.live === true))}</title></path>`);
  }
  out.push(`</g>`);

  // Per-service endpoint charts on the same time axis, as the dashboard's chart strip draws them.
  let cy = lanesBottom + CHART_GAP;
  for (const series of doc.serviceCounts ?? []) {
    out.push(serviceChartSvg(series, { top: cy, left: LABEL_W, width: plotW, labelX: PAD, labelW: LABEL_W - PAD - 40 }, { from, to, now }, doc.riskWindows, x));
    cy += CHART_H + CHART_GAP;
  }

  // Legend: the dashboard's.
  const legendTop = chartsBottom + 16;
  const legend = legendLayout(legendTop, doc.live === true);
  out.push(`<g>`);
  for (const en of legend.entries) out.push(legendEntrySvg(en));
  out.push(`</g>`);

  // Risk-window table.
  let ty = legendTop + legend.height + 34;
  out.push(text(PAD, ty, "Risk windows", `font-size="13" font-weight="bold" fill="${C.fg}"`));
  ty += ROW_H;
  const cols = [PAD, PAD + 70, PAD + 290, PAD + 390, PAD + 470, PAD + 560];
  const head = ["SEVERITY", "RULE", "START (UTC)", "DURATION", "CONFIDENCE", "PODS / EXPLANATION"];
  head.forEach((h, c) => out.push(text(cols[c] ?? PAD, ty, h, `fill="${C.muted}" font-size="10" font-weight="bold"`)));
  if (doc.riskWindows.length === 0) {
    const clean = overallVerdict(doc).verdict === "clean";
    out.push(text(PAD, ty + ROW_H, clean ? "None: every pod left routing before it stopped serving." : "None observed; see the verdict above.", `fill="${clean ? C.ok : C.muted}"`));
  }
  doc.riskWindows.forEach((w, i) => {
    const ry = ty + (i + 1) * ROW_H;
    const colour = C[severityRole(w.severity)];
    out.push(`<rect x="${PAD}" y="${ry - 9}" width="10" height="10" fill="${colour}" stroke="${colour}"/>`);
    const cells = [w.severity, w.rule, w.start.slice(11, 23), w.durationMs === null ? (doc.live ? "still open" : "open at data end") : formatDuration(w.durationMs), w.confidence, clip(`${w.pods.join(", ") || w.service || ""} — ${w.explanation}`, 100)];
    cells.forEach((cell, c) => out.push(text((cols[c] ?? PAD) + (c === 0 ? 14 : 0), ry, cell, `fill="${C.fg}"`)));
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function legendEntrySvg(en: LegendEntry): string {
  const { x, y, swatch: s } = en;
  const top = y - 10; // the swatch box: 18 × 12, as the dashboard's legend canvas
  let sw: string;
  let title = en.label;
  if (s.kind === "glyph") {
    sw = glyphSvg(s.glyph, x + 9, top + 6, 4);
    title = `${MARKER_GLYPHS[s.glyph]} ${MARKER_NAMES_SHORT[s.glyph]}`;
  } else if (s.kind === "mark") {
    sw = markSwatchSvg(s.mark, x, top);
  } else if (s.kind === "risk") {
    // A band as the lanes draw it: the severity's fill at the band opacity, outlined.
    sw = `<rect x="${x + 0.5}" y="${top + 0.5}" width="17" height="11" fill="${C[s.colour]}" fill-opacity="${riskBandAlpha(false)}" stroke="${C[s.colour]}"/>`;
    title = `${en.label} risk`;
  } else if (s.thin) {
    // A line `height` px tall at `alpha`, as the lanes draw pending, not-ready and the "not serving" states.
    const h = s.height ?? 1;
    sw = `<rect x="${x}" y="${n(top + 6 - h / 2)}" width="18" height="${h}" fill="${C[s.colour]}"${opacity(s.alpha)}/>`;
  } else if (s.outline) {
    sw = `<rect x="${x + 0.5}" y="${top + 1.5}" width="17" height="9" fill="none" stroke="${C[s.colour]}"/>`;
  } else {
    const border = s.pattern && s.pattern !== "cross" && !s.noBorder ? `<rect x="${x + 0.5}" y="${top + 1.5}" width="17" height="9" fill="none" stroke="${C[s.colour]}"/>` : "";
    sw = `<rect x="${x}" y="${top + 1}" width="18" height="10" fill="${fillOf(s)}"${opacity(s.alpha)}/>${border}`;
  }
  return `<g data-legend="${esc(en.label)}"><title>${esc(title)}</title>${sw}${text(x + 22, y, en.label, `fill="${C.muted}"`)}</g>`;
}

function opacity(alpha: number | undefined): string {
  return alpha !== undefined && alpha !== 1 ? ` fill-opacity="${alpha}"` : "";
}

/** A mark's 18 × 12 swatch, the shapes of the dashboard legend's paintMark (and of the lanes). */
function markSwatchSvg(kind: MarkKind, x: number, top: number): string {
  const c = C[MARK_ROLES[kind]];
  const at = (dx: number, dy: number) => `${n(x + dx)} ${n(top + dy)}`;
  switch (kind) {
    case "now":
      return `<path d="M${at(9.5, 0)}L${at(9.5, 12)}" stroke="${c}" stroke-dasharray="4 3" fill="none"/>`;
    case "open":
      return `<rect x="${x}" y="${top + 1}" width="11" height="10" fill="${C.serving}"/><path d="M${at(11, 1)}L${at(16, 6)}L${at(11, 11)}Z" fill="${c}"/>`;
    case "whisker":
      return `<path d="M${at(2, 6.5)}L${at(16, 6.5)}M${at(2.5, 3)}L${at(2.5, 10)}M${at(15.5, 3)}L${at(15.5, 10)}" stroke="${c}" fill="none"/>`;
    case "bracket":
      return `<path d="M${at(6, 0.5)}L${at(3.5, 0.5)}L${at(3.5, 11.5)}L${at(6, 11.5)}M${at(12, 0.5)}L${at(14.5, 0.5)}L${at(14.5, 11.5)}L${at(12, 11.5)}" stroke="${c}" fill="none"/>`;
    case "cluster":
      return `<circle cx="${n(x + 9)}" cy="${n(top + 6)}" r="6" fill="${c}"/>${text(x + 9, top + 9.2, "N", `fill="${C.surface}" font-size="9" font-weight="bold" text-anchor="middle"`)}`;
  }
}

function groupRowSvg(r: Extract<SvgRow, { kind: "workload" | "revision" }>): string {
  const bold = r.kind === "workload";
  return [
    `<rect x="0" y="${r.top}" width="${SVG_WIDTH}" height="${r.h}" fill="${C.sunken}"${bold ? "" : ' fill-opacity="0.5"'}/>`,
    text(bold ? PAD - 8 : PAD, r.top + r.h / 2 + 4, clip(r.label, 60), `fill="${bold ? C.fg : C.muted}" font-weight="${bold ? "bold" : "600"}"${bold ? "" : ' font-size="10"'} data-row="${r.kind}"`),
  ].join("\n");
}

/** A pod lane: its name (★ when pinned) in the label column, the phase bar, and each sub-lane with its label. */
function laneBarsSvg(lane: PodLane, top: number, x: (t: number) => number, now: EpochMs, pinned: boolean): string {
  const out: string[] = [];
  out.push(`<g data-pod-uid="${esc(lane.uid)}" data-pod-name="${esc(lane.name)}"${pinned ? ' data-pinned="true"' : ""}>`);
  out.push(`<title>${esc(`${lane.namespace}/${lane.name}${lane.node ? ` · node ${lane.node}` : ""}`)}</title>`);
  out.push(text(PAD, top + POD_H / 2 + 4, clip(`${pinned ? "★ " : ""}${lane.name}`, 38), `fill="${C.fg}" font-family="DejaVu Sans Mono, Menlo, monospace" data-row="pod"`));
  const barY = top + 3;
  const barH = POD_H - 6;
  const arrows: number[] = [];
  for (const p of lane.phases) {
    const s = x(p.start);
    const e = x(p.end ?? now);
    out.push(barSvg(PHASE_STYLES[p.kind], s, e, barY, barH, ` data-phase="${p.kind}"`));
    if (p.end === undefined) arrows.push(e);
  }
  for (const ax of arrows) out.push(`<path d="M${n(ax)} ${barY}L${n(ax + 5)} ${barY + barH / 2}L${n(ax)} ${barY + barH}Z" fill="${C.fg}"/>`);
  let sy = top + POD_H;
  for (const ep of lane.endpoints) {
    out.push(`<g><title>${esc(`endpoint ${ep.service} · ${ep.slice}`)}</title>`);
    out.push(subLabel(sy, `ep ${ep.slice}`, "endpoint"));
    for (const iv of ep.intervals) {
      const style = iv.state === "ready" ? ENDPOINT_STYLES.ready : iv.state === "serving-terminating" ? ENDPOINT_STYLES["serving-terminating"] : ENDPOINT_STYLES["not-serving"];
      out.push(barSvg(style, x(iv.start), x(iv.end ?? now), sy + 1, SUB_H - 2));
    }
    out.push(`</g>`);
    sy += SUB_H;
  }
  for (const lb of lane.lbMembers) {
    out.push(`<g><title>${esc(`LB ${lb.lb} · ${lb.member}`)}</title>`);
    out.push(subLabel(sy, `lb ${lb.lb} ${lb.member}`, "lb"));
    for (const iv of lb.intervals) {
      const style = iv.state === "active" ? LB_STYLES.active : iv.state === "draining" ? LB_STYLES.draining : LB_STYLES.other;
      out.push(barSvg(style, x(iv.start), x(iv.end ?? now), sy + 1, SUB_H - 2));
    }
    out.push(`</g>`);
    sy += SUB_H;
  }
  const bottom = top + laneHeight(lane);
  out.push(`<line x1="${PAD}" y1="${bottom - 0.5}" x2="${SVG_WIDTH - PAD}" y2="${bottom - 0.5}" stroke="${C.line}" stroke-opacity="0.5"/>`);
  out.push(`</g>`);
  return out.join("\n");
}

/** A sub-lane's label in the label column, as the swimlane's gutter prints it ("ep <slice>", "lb <lb> <member>"). */
function subLabel(top: number, label: string, kind: "endpoint" | "lb"): string {
  return text(PAD + 24, top + SUB_H / 2 + 3, clip(label, 40), `fill="${C.muted}" font-size="9" data-row="${kind}"`);
}

function laneMarkersSvg(lane: PodLane, top: number, x: (t: number) => number, right: number, clusters: readonly MarkerCluster[]): string {
  const out: string[] = [];
  const cy = top + POD_H / 2;
  const r = POD_H >= 24 ? 5 : 4;
  for (const m of podMarkers(lane)) {
    const lo = x(m.range[0]);
    const hi = x(m.range[1]);
    const parts: string[] = [`<title>${esc(`${MARKER_GLYPHS[m.kind]} ${MARKER_NAMES_SHORT[m.kind]}${m.label ? ` ${m.label}` : ""} — ${m.detail}`)}</title>`];
    // Uncertainty: whisker (|—|) or, for an estimated SIGTERM, a bracket ([ ]) over the range.
    if (hasWhisker(m) && hi - lo >= 2) {
      const d = m.bracket
        ? `M${n(lo + 3)} ${cy - 7}L${n(lo)} ${cy - 7}L${n(lo)} ${cy + 7}L${n(lo + 3)} ${cy + 7}M${n(hi - 3)} ${cy - 7}L${n(hi)} ${cy - 7}L${n(hi)} ${cy + 7}L${n(hi - 3)} ${cy + 7}`
        : `M${n(lo)} ${cy + 6}L${n(hi)} ${cy + 6}M${n(lo)} ${cy + 4}L${n(lo)} ${cy + 8}M${n(hi)} ${cy + 4}L${n(hi)} ${cy + 8}`;
      parts.push(`<path d="${d}" stroke="${C.fg}" stroke-width="1" fill="none"/>`);
    }
    out.push(`<g data-marker="${m.kind}">${parts.join("")}</g>`);
  }
  for (const c of clusters) {
    if (c.x < LABEL_W || c.x > right) continue;
    const only = c.markers.length === 1 ? c.markers[0] : undefined;
    if (only) {
      // API-side marks ride high, SIGTERM low, the kubelet's in the middle (encoding.markerOffset).
      out.push(glyphSvg(only.kind, c.x, cy + markerOffset(only.kind) * POD_H, r));
      continue;
    }
    // Markers within a few px: one disc with their count, as the swimlane draws them.
    const colour = c.markers.some((m) => m.kind === "sigkill") ? C.critical : C.fg;
    const names = c.markers.map((m) => `${MARKER_GLYPHS[m.kind]} ${MARKER_NAMES_SHORT[m.kind]}${m.label ? ` ${m.label}` : ""}`).join(", ");
    out.push(`<g data-marker-cluster="${c.markers.length}"><title>${esc(names)}</title><circle cx="${n(c.x)}" cy="${n(cy)}" r="${r + 2}" fill="${colour}"/>${text(c.x, cy + 3.5, String(c.markers.length), `fill="${C.surface}" font-size="9" font-weight="bold" text-anchor="middle"`)}</g>`);
  }
  return out.join("\n");
}
