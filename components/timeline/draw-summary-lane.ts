/**
 * A replacement summary lane (lib/view/replacement-lanes.ts): in the plot, a step band of the revision's
 * new pods over time, the pods that exist as a light band and those ready as a solid "serving" band on
 * top, each as a fraction of the revision's count, so whether the new pods were ready before the old ones
 * (the lanes above) left reads at a glance. In the gutter, two lines: what it sums up, and when all were ready.
 */
import type { EpochMs } from "@/lib/model/time";
import type { Row } from "@/lib/view/lane-layout";
import type { Palette } from "./palette";

type SummaryRow = Extract<Row, { readonly kind: "summary" }>;

const LABEL_FONT = "600 11px ui-sans-serif, system-ui, sans-serif";
const DETAIL_FONT = "10px ui-sans-serif, system-ui, sans-serif";

/** The band, in the plot between `plotX0` and `plotX1`; `x` maps a time to canvas x. */
export function drawSummaryBand(ctx: CanvasRenderingContext2D, p: Palette, row: SummaryRow, y: number, x: (t: EpochMs) => number, plotX0: number, plotX1: number, now: EpochMs): void {
  ctx.fillStyle = p.sunken;
  ctx.fillRect(plotX0, y, plotX1 - plotX0, row.h);
  const { steps, lanes } = row.group;
  const n = lanes.length;
  if (n === 0) return;
  const top = y + 4;
  const h = row.h - 8;
  const bottom = top + h;
  // Axis: the revision's full count.
  ctx.strokeStyle = p.line;
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(plotX0) + 0.5, Math.round(top) + 0.5, Math.round(plotX1 - plotX0) - 1, Math.round(h) - 1);
  const spans = (pick: (s: (typeof steps)[number]) => number, fill: string, alpha: number) => {
    ctx.fillStyle = fill;
    ctx.globalAlpha = alpha;
    ctx.beginPath();
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (!s) continue;
      const v = pick(s);
      if (v <= 0) continue;
      const x0 = Math.max(plotX0, x(s.t));
      const x1 = Math.min(plotX1, x(steps[i + 1]?.t ?? now));
      if (x1 <= x0) continue;
      const bh = (h * v) / n;
      ctx.rect(x0, bottom - bh, x1 - x0, bh);
    }
    ctx.fill();
    ctx.globalAlpha = 1;
  };
  spans((s) => s.alive, p.gap, 0.55);
  spans((s) => s.ready, p.serving, 1);
  // The moment all were ready: a tick over the band.
  const all = row.group.allReadyAt;
  if (all !== undefined) {
    const ax = x(all);
    if (ax >= plotX0 && ax <= plotX1) {
      ctx.strokeStyle = p.fg;
      ctx.beginPath();
      ctx.moveTo(Math.round(ax) + 0.5, y + 1);
      ctx.lineTo(Math.round(ax) + 0.5, y + row.h - 1);
      ctx.stroke();
    }
  }
}

/** Fits `text` into `maxPx` with an ellipsis (the tooltip and the summary button have it whole). */
function fit(ctx: CanvasRenderingContext2D, text: string, maxPx: number): string {
  if (ctx.measureText(text).width <= maxPx) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > maxPx) t = t.slice(0, -1);
  return `${t}…`;
}

/** The gutter text: "▸ web · rev 6d4f… · 3 new pods" over "all ready by T+4.1 s" (▾ when expanded). */
export function drawSummaryGutter(ctx: CanvasRenderingContext2D, p: Palette, row: SummaryRow, y: number, gutterPx: number): void {
  ctx.fillStyle = p.sunken;
  ctx.fillRect(0, y, gutterPx, row.h);
  ctx.textBaseline = "middle";
  ctx.font = LABEL_FONT;
  ctx.fillStyle = p.fg;
  ctx.fillText(fit(ctx, `${row.expanded ? "▾" : "▸"} ${row.group.label}`, gutterPx - 22), 12, y + row.h * 0.3);
  ctx.font = DETAIL_FONT;
  ctx.fillStyle = p.muted;
  ctx.fillText(fit(ctx, row.group.detail, gutterPx - 36), 26, y + row.h * 0.72);
}
