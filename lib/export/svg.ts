/**
 * The timeline as a self-contained SVG string: title, time axis, one lane per pod (phases, key-time
 * markers, endpoint state underneath), risk bands labelled with their rule, a legend and the risk-window
 * table. Every piece of cluster text goes through `esc`; nothing from the cluster is ever raw markup.
 * The PNG export is this SVG rendered by a headless browser, so both show the same picture.
 */
import type { LifecyclePhaseKind, PodLane } from "../engine/types";
import { createTimeScale } from "../view/time-scale";
import { formatDateTime, formatDuration, formatTick } from "../view/format";
import { markers } from "./trace";
import { overallVerdict, viewTitle, type ExportInput } from "./types";

export const SVG_WIDTH = 1200;
const LABEL_W = 260;
const PAD = 16;
const LANE_H = 26;
const ROW_H = 18;

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

const PHASE_COLOURS: Readonly<Record<LifecyclePhaseKind, string>> = {
  pending: "#cbd5e1",
  serving: "#16a34a",
  unready: "#f59e0b",
  terminating: "#fb923c",
  prestop: "#a855f7",
  draining: "#3b82f6",
  exited: "#6b7280",
};
const SEVERITY_COLOURS: Readonly<Record<string, string>> = { critical: "#dc2626", high: "#ea580c", medium: "#ca8a04", info: "#64748b" };
const EP_COLOURS: Readonly<Record<string, string>> = { ready: "#16a34a", "serving-terminating": "#3b82f6", "not-serving": "#d1d5db" };

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function text(x: number, y: number, s: string, attrs = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs ? ` ${attrs}` : ""}>${esc(s)}</text>`;
}

export interface SvgLayout {
  readonly width: number;
  readonly height: number;
}

/** The picture's size for a document, so a PNG can be rendered at exactly this size. */
export function svgLayout(input: ExportInput): SvgLayout {
  const lanes = input.doc.lanes.length;
  const table = input.doc.riskWindows.length;
  return { width: SVG_WIDTH, height: Math.ceil(120 + Math.max(1, lanes) * LANE_H + 30 + 40 + 40 + (table + 1) * ROW_H + PAD) };
}

export function timelineSvg(input: ExportInput): string {
  const { doc } = input;
  const { width, height } = svgLayout(input);
  const plotW = width - LABEL_W - PAD;
  const from = doc.range.from;
  const to = doc.range.to > from ? doc.range.to : from + 1000;
  const scale = createTimeScale({ start: from, end: to }, plotW);
  const x = (t: number) => LABEL_W + Math.min(plotW, Math.max(0, scale.timeToPx(t)));
  const lanesTop = 120;
  const lanesBottom = lanesTop + Math.max(1, doc.lanes.length) * LANE_H;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="11">`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  const verdict = overallVerdict(doc);
  out.push(text(PAD, 26, `Drainscope — ${viewTitle(input)}`, 'font-size="16" font-weight="bold" fill="#0f172a"'));
  out.push(text(PAD, 46, `${formatDateTime(from)} → ${formatDateTime(to)} (${formatDuration(to - from)}) · verdict ${verdict.toUpperCase()} · ${doc.lanes.length} pod(s) · ${doc.riskWindows.length} risk window(s)`, 'fill="#334155"'));

  // Time axis.
  const axisY = lanesTop - 8;
  out.push(`<line x1="${LABEL_W}" y1="${axisY}" x2="${LABEL_W + plotW}" y2="${axisY}" stroke="#94a3b8"/>`);
  const step = scale.tickStep(90);
  for (const tick of scale.ticks(90)) {
    const tx = LABEL_W + tick.px;
    out.push(`<line x1="${tx.toFixed(1)}" y1="${axisY - 4}" x2="${tx.toFixed(1)}" y2="${lanesBottom}" stroke="${tick.major ? "#cbd5e1" : "#e2e8f0"}"/>`);
    const anchor = tick.px > plotW - 30 ? "end" : tick.px < 30 ? "start" : "middle";
    out.push(text(tx, axisY - 7, formatTick(tick.t, step), `text-anchor="${anchor}" fill="#475569" font-size="10"`));
  }
  out.push(text(PAD, axisY - 7, "UTC", 'fill="#475569" font-size="10"'));

  // Risk bands behind the lanes, labelled with their rule.
  doc.riskWindows.forEach((w, i) => {
    const s = x(Date.parse(w.start));
    const e = x(w.end === null ? to : Date.parse(w.end));
    const colour = SEVERITY_COLOURS[w.severity] ?? "#64748b";
    out.push(`<rect x="${s.toFixed(1)}" y="${lanesTop}" width="${Math.max(2, e - s).toFixed(1)}" height="${lanesBottom - lanesTop}" fill="${colour}" fill-opacity="0.15" stroke="${colour}" stroke-opacity="0.6"/>`);
    out.push(text(s + 2, 62 + (i % 3) * 14, `${w.rule}`, `fill="${colour}" font-size="10" font-weight="bold"`));
    out.push(`<line x1="${s.toFixed(1)}" y1="${64 + (i % 3) * 14}" x2="${s.toFixed(1)}" y2="${lanesTop}" stroke="${colour}" stroke-dasharray="2 2"/>`);
  });

  // Lanes.
  doc.lanes.forEach((lane, i) => out.push(laneSvg(lane, lanesTop + i * LANE_H, x, to)));
  if (doc.lanes.length === 0) out.push(text(LABEL_W, lanesTop + 17, "No pods in this view.", 'fill="#64748b"'));

  // Legend.
  let ly = lanesBottom + 24;
  let lx = PAD;
  const legend: [string, string][] = [
    ...Object.entries(PHASE_COLOURS).map(([k, c]): [string, string] => [k, c]),
    ["endpoint ready", EP_COLOURS.ready ?? "#16a34a"],
    ["endpoint serving+terminating", EP_COLOURS["serving-terminating"] ?? "#3b82f6"],
    ["endpoint not serving", EP_COLOURS["not-serving"] ?? "#d1d5db"],
  ];
  for (const [label, colour] of legend) {
    out.push(`<rect x="${lx}" y="${ly - 9}" width="12" height="10" fill="${colour}"/>`);
    out.push(text(lx + 16, ly, label, 'fill="#334155"'));
    lx += 24 + label.length * 6.5;
  }
  ly += 18;
  lx = PAD;
  for (const [label, glyph] of [["delete requested", "▼"], ["killing / preStop", "◆"], ["SIGTERM", "|"], ["exit", "✕"], ["removed", "■"]] as const) {
    out.push(text(lx, ly, glyph, 'fill="#0f172a"'));
    out.push(text(lx + 14, ly, label, 'fill="#334155"'));
    lx += 28 + label.length * 6.5;
  }
  for (const [sev, colour] of Object.entries(SEVERITY_COLOURS)) {
    out.push(`<rect x="${lx}" y="${ly - 9}" width="12" height="10" fill="${colour}" fill-opacity="0.3" stroke="${colour}"/>`);
    out.push(text(lx + 16, ly, `${sev} risk`, 'fill="#334155"'));
    lx += 30 + sev.length * 6.5 + 30;
  }

  // Risk-window table.
  let ty = ly + 34;
  out.push(text(PAD, ty, "Risk windows", 'font-size="13" font-weight="bold" fill="#0f172a"'));
  ty += ROW_H;
  const cols = [PAD, PAD + 70, PAD + 290, PAD + 390, PAD + 470, PAD + 560];
  const head = ["SEVERITY", "RULE", "START (UTC)", "DURATION", "CONFIDENCE", "PODS / EXPLANATION"];
  head.forEach((h, c) => out.push(text(cols[c] ?? PAD, ty, h, 'fill="#475569" font-size="10" font-weight="bold"')));
  if (doc.riskWindows.length === 0) out.push(text(PAD, ty + ROW_H, "None: every pod left routing before it stopped serving.", 'fill="#16a34a"'));
  doc.riskWindows.forEach((w, i) => {
    const y = ty + (i + 1) * ROW_H;
    const cells = [w.severity, w.rule, w.start.slice(11, 23), w.durationMs === null ? "still open" : formatDuration(w.durationMs), w.confidence, clip(`${w.pods.join(", ") || w.service || ""} — ${w.explanation}`, 100)];
    cells.forEach((cell, c) => out.push(text(cols[c] ?? PAD, y, cell, c === 0 ? `fill="${SEVERITY_COLOURS[w.severity] ?? "#0f172a"}"` : 'fill="#0f172a"')));
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function laneSvg(lane: PodLane, top: number, x: (t: number) => number, to: number): string {
  const out: string[] = [];
  out.push(`<g>`);
  out.push(`<title>${esc(`${lane.namespace}/${lane.name}`)}</title>`);
  out.push(text(PAD, top + 12, clip(lane.name, 36), 'fill="#0f172a"'));
  out.push(text(PAD, top + 22, clip(`${lane.workload}${lane.revision ? ` rev ${lane.revision}` : ""}${lane.node ? ` · ${lane.node}` : ""}`, 42), 'fill="#64748b" font-size="9"'));
  for (const p of lane.phases) {
    const s = x(p.start);
    const e = x(p.end ?? to);
    out.push(`<rect x="${s.toFixed(1)}" y="${top + 4}" width="${Math.max(1, e - s).toFixed(1)}" height="12" fill="${PHASE_COLOURS[p.kind]}"${p.end === undefined ? ' fill-opacity="0.6"' : ""}/>`);
  }
  for (const ep of lane.endpoints) {
    for (const iv of ep.intervals) {
      const s = x(iv.start);
      const e = x(iv.end ?? to);
      out.push(`<rect x="${s.toFixed(1)}" y="${top + 18}" width="${Math.max(1, e - s).toFixed(1)}" height="4" fill="${EP_COLOURS[iv.state] ?? "#d1d5db"}"/>`);
    }
  }
  const glyph: Record<string, string> = { "delete requested": "▼", "force delete": "▼", "killing (preStop)": "◆", SIGTERM: "|", removed: "■" };
  for (const m of markers(lane)) {
    const g = m.name.startsWith("exit") ? "✕" : glyph[m.name];
    if (!g) continue;
    out.push(text(x(m.t.at), top + 14, g, 'text-anchor="middle" fill="#0f172a" font-size="11"'));
  }
  out.push(`<line x1="${PAD}" y1="${top + LANE_H - 1}" x2="${SVG_WIDTH - PAD}" y2="${top + LANE_H - 1}" stroke="#f1f5f9"/>`);
  out.push(`</g>`);
  return out.join("\n");
}
