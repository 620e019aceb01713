"use client";
/** The encoding key, drawn with the swimlane's own pattern and glyph code so the two never disagree. */
import { useEffect, useRef } from "react";
import { LEGEND_ITEMS as ITEMS, LEGEND_MARKS as MARKS, MARK_ROLES, markerRole, markLegendLabel, RISK_SEVERITIES, riskBandAlpha, severityRole, type MarkKind, type Swatch } from "@/lib/view/encoding";
import { drawGlyph } from "./glyphs";
import { onThemeChange, readPalette, type Palette } from "./palette";
import { makePattern } from "./patterns";

function paint(c: HTMLCanvasElement, s: Swatch, p: Palette) {
  const ctx = c.getContext("2d");
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  c.width = 18 * dpr;
  c.height = 12 * dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, 18, 12);
  if (s.kind === "glyph") {
    drawGlyph(ctx, s.glyph, 9, 6, 4, p[markerRole(s.glyph)], p.surface);
    return;
  }
  const colour = p[s.colour];
  if (s.thin) {
    const h = s.height ?? 1;
    ctx.fillStyle = colour;
    ctx.globalAlpha = s.alpha ?? 1;
    ctx.fillRect(0, 6 - h / 2, 18, h);
    ctx.globalAlpha = 1;
  } else if (s.outline) {
    ctx.strokeStyle = colour;
    ctx.strokeRect(0.5, 1.5, 17, 9);
  } else {
    ctx.fillStyle = s.pattern ? (makePattern(ctx, s.pattern, colour) ?? colour) : colour;
    ctx.globalAlpha = s.alpha ?? 1;
    ctx.fillRect(0, 1, 18, 10);
    ctx.globalAlpha = 1;
    if (s.pattern && s.pattern !== "cross" && !s.noBorder) {
      ctx.strokeStyle = colour;
      ctx.strokeRect(0.5, 1.5, 17, 9);
    }
  }
}

/** The lanes' other marks, drawn as draw-lanes.ts draws them (line, ▶, whisker, bracket, cluster disc). */
function paintMark(c: HTMLCanvasElement, kind: MarkKind, p: Palette) {
  const ctx = c.getContext("2d");
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  c.width = 18 * dpr;
  c.height = 12 * dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, 18, 12);
  const colour = p[MARK_ROLES[kind]];
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = 1;
  ctx.beginPath();
  switch (kind) {
    case "now":
      ctx.setLineDash([4, 3]);
      ctx.moveTo(9.5, 0);
      ctx.lineTo(9.5, 12);
      ctx.stroke();
      ctx.setLineDash([]);
      return;
    case "open":
      ctx.fillStyle = p.serving;
      ctx.fillRect(0, 1, 11, 10);
      ctx.fillStyle = colour;
      ctx.moveTo(11, 1);
      ctx.lineTo(16, 6);
      ctx.lineTo(11, 11);
      ctx.closePath();
      ctx.fill();
      return;
    case "whisker":
      ctx.moveTo(2, 6.5);
      ctx.lineTo(16, 6.5);
      ctx.moveTo(2.5, 3);
      ctx.lineTo(2.5, 10);
      ctx.moveTo(15.5, 3);
      ctx.lineTo(15.5, 10);
      ctx.stroke();
      return;
    case "bracket":
      ctx.moveTo(6, 0.5);
      ctx.lineTo(3.5, 0.5);
      ctx.lineTo(3.5, 11.5);
      ctx.lineTo(6, 11.5);
      ctx.moveTo(12, 0.5);
      ctx.lineTo(14.5, 0.5);
      ctx.lineTo(14.5, 11.5);
      ctx.lineTo(12, 11.5);
      ctx.stroke();
      return;
    case "cluster":
      ctx.arc(9, 6, 6, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = p.surface;
      ctx.font = "600 9px ui-sans-serif, system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText("N", 9, 6.5);
      return;
  }
}

/** A risk band as the lanes draw it: the severity's fill at the theme's band opacity, outlined. */
function paintRisk(c: HTMLCanvasElement, severity: string, p: Palette) {
  const ctx = c.getContext("2d");
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  c.width = 18 * dpr;
  c.height = 12 * dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = p.surface;
  ctx.fillRect(0, 0, 18, 12);
  const colour = p[severityRole(severity)];
  ctx.fillStyle = colour;
  ctx.globalAlpha = riskBandAlpha(p.dark);
  ctx.fillRect(0, 0, 18, 12);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = colour;
  ctx.strokeRect(0.5, 0.5, 17, 11);
}

/** `live`: the dashed line is the clock ("now"), else where the data ends. */
export function Legend({ live }: { live: boolean }) {
  const markRefs = useRef<(HTMLCanvasElement | null)[]>([]);
  const riskRefs = useRef<(HTMLCanvasElement | null)[]>([]);
  const refs = useRef<(HTMLCanvasElement | null)[]>([]);
  useEffect(() => {
    const repaint = () => {
      const p = readPalette(document.documentElement);
      ITEMS.forEach(([, s], i) => {
        const c = refs.current[i];
        if (c) paint(c, s, p);
      });
      MARKS.forEach((k, i) => {
        const c = markRefs.current[i];
        if (c) paintMark(c, k, p);
      });
      RISK_SEVERITIES.forEach((sev, i) => {
        const c = riskRefs.current[i];
        if (c) paintRisk(c, sev, p);
      });
    };
    repaint();
    return onThemeChange(repaint);
  }, []);
  return (
    <ul aria-label="Legend" className="flex flex-wrap items-center gap-x-3 gap-y-1 text-[11px] text-fg-muted">
      {ITEMS.map(([label], i) => (
        <li key={label} className="flex items-center gap-1">
          <canvas
            ref={(el) => {
              refs.current[i] = el;
            }}
            className="h-3 w-[18px]"
            aria-hidden
          />
          {label}
        </li>
      ))}
      {MARKS.map((k, i) => (
        <li key={k} className="flex items-center gap-1" data-mark={k}>
          <canvas
            ref={(el) => {
              markRefs.current[i] = el;
            }}
            className="h-3 w-[18px]"
            aria-hidden
          />
          {markLegendLabel(k, live)}
        </li>
      ))}
      {RISK_SEVERITIES.map((sev, i) => (
        <li key={sev} className="flex items-center gap-1" data-risk={sev}>
          <canvas
            ref={(el) => {
              riskRefs.current[i] = el;
            }}
            className="h-3 w-[18px]"
            aria-hidden
          />
          {sev}
        </li>
      ))}
    </ul>
  );
}
