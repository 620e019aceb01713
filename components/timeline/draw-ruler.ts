/** The time ruler above the lanes: nice ticks, a strip of risk-window marks, the brush and its duration. */
import type { EpochMs } from "@/lib/model/time";
import { formatDuration } from "@/lib/view/format";
import type { TimeAxis } from "@/lib/view/time-axis";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";
import type { TimeScale, TimeWindow } from "@/lib/view/time-scale";
import { GUTTER_PX } from "./draw-lanes";
import type { Palette } from "./palette";
import { riskStripRuns, type StripSeverity } from "@/lib/view/risk-strip";

export interface RulerFrame {
  readonly ctx: CanvasRenderingContext2D;
  readonly palette: Palette;
  readonly width: number;
  readonly height: number;
  readonly scale: TimeScale;
  /** What the ticks read: the clock in a zone, or T+offsets (lib/view/time-axis.ts). */
  readonly axis: TimeAxis;
  readonly risks: readonly ViewRiskWindow[];
  readonly now: EpochMs;
  /** The dashed line's name at its top ("now" live, "data ends" otherwise: encoding.nowLineLabel). */
  readonly nowLabel?: string;
  readonly brush?: TimeWindow;
  readonly hoverX?: number;
}

/** Draws the ruler; returns the tick labels drawn, left to right (the swimlane exposes them to tests). */
export function drawRuler(f: RulerFrame): string[] {
  const { ctx, palette: p, width, height, scale } = f;
  const x = (t: EpochMs) => scale.timeToPx(t);
  ctx.save();
  ctx.fillStyle = p.surface;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = p.sunken;
  ctx.fillRect(0, 0, GUTTER_PX, height);
  ctx.font = "11px ui-sans-serif, system-ui, sans-serif";
  ctx.textBaseline = "top";
  const step = scale.tickStep(90);
  const axis = f.axis;
  const labels: string[] = [];
  ctx.strokeStyle = p.muted;
  ctx.fillStyle = p.fg;
  ctx.beginPath();
  for (const tick of scale.ticks(90, axis.tickAnchor(scale.window))) {
    const tx = Math.round(tick.px) + 0.5;
    ctx.moveTo(tx, height - (tick.major ? 12 : 7));
    ctx.lineTo(tx, height);
    ctx.font = `${tick.major ? "700" : "400"} 11px ui-sans-serif, system-ui, sans-serif`;
    const label = axis.tickLabel(tick.t, step);
    // Only where it fits whole: the last tick's label would be cut by the canvas edge.
    if (tx + 3 + ctx.measureText(label).width > width) continue;
    labels.push(label);
    ctx.fillText(label, tx + 3, 3);
  }
  ctx.stroke();
  // Date and zone of the window start (or what T+0 is) in the gutter: ticks show only the clock or offset.
  ctx.font = "600 11px ui-sans-serif, system-ui, sans-serif";
  ctx.fillStyle = p.muted;
  const [line1, line2] = axis.gutterLines(scale.window);
  ctx.fillText(line1, 6, 3);
  ctx.fillText(line2, 6, 16);

  // Risk marks: a 4 px strip at the bottom, visible whatever lanes are scrolled into view; merged per
  // pixel column and severity, the worst on top (lib/view/risk-strip.ts).
  const colour: Record<StripSeverity, string> = { critical: p.critical, high: p.high, medium: p.medium, info: p.gap };
  for (const [sev, runs] of riskStripRuns(f.risks, x, f.now, GUTTER_PX, width)) {
    ctx.fillStyle = colour[sev];
    ctx.beginPath();
    for (const r of runs) ctx.rect(r.x0, height - 4, r.x1 - r.x0, 4);
    ctx.fill();
  }
  ctx.strokeStyle = p.line;
  ctx.beginPath();
  ctx.moveTo(0, height - 0.5);
  ctx.lineTo(width, height - 0.5);
  ctx.stroke();

  // The dashed "now" / "data ends" line continues into the ruler, named on a plate beside it.
  const nx = Math.round(x(f.now)) + 0.5;
  if (f.nowLabel && nx >= GUTTER_PX && nx <= width) {
    ctx.strokeStyle = p.accent;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(nx, 15);
    ctx.lineTo(nx, height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = "600 10px ui-sans-serif, system-ui, sans-serif";
    const tw = ctx.measureText(f.nowLabel).width + 6;
    const lx = nx + 2 + tw <= width ? nx + 2 : nx - 2 - tw;
    ctx.fillStyle = p.surface;
    ctx.fillRect(lx, 15, tw, 12);
    ctx.fillStyle = p.accent;
    ctx.fillText(f.nowLabel, lx + 3, 16);
  }

  if (f.brush) {
    const b0 = x(f.brush.start);
    const b1 = x(f.brush.end);
    const c0 = Math.max(GUTTER_PX, b0);
    const c1 = Math.min(width, b1);
    if (c1 > c0) {
      ctx.fillStyle = p.accent;
      ctx.globalAlpha = 0.25;
      ctx.fillRect(c0, 0, c1 - c0, height);
      ctx.globalAlpha = 1;
      const label = `Δ ${formatDuration(f.brush.end - f.brush.start)}`;
      ctx.font = "700 11px ui-sans-serif, system-ui, sans-serif";
      const tw = ctx.measureText(label).width + 8;
      const lx = Math.min(width - tw, Math.max(GUTTER_PX, (c0 + c1) / 2 - tw / 2));
      ctx.fillStyle = p.accent;
      ctx.fillRect(lx, 14, tw, 14);
      ctx.fillStyle = p.surface;
      ctx.fillText(label, lx + 4, 15);
    }
  }
  if (f.hoverX !== undefined && f.hoverX > GUTTER_PX) {
    const label = axis.pointLabel(scale.pxToTime(f.hoverX));
    ctx.font = "11px ui-monospace, Menlo, monospace";
    const tw = ctx.measureText(label).width + 6;
    const lx = Math.min(width - tw, f.hoverX + 4);
    ctx.fillStyle = p.fg;
    ctx.fillRect(lx, height - 17, tw, 13);
    ctx.fillStyle = p.surface;
    ctx.fillText(label, lx + 3, height - 16);
  }
  ctx.restore();
  return labels;
}
