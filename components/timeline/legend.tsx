"use client";
/** The encoding key, drawn with the swimlane's own pattern and glyph code so the two never disagree. */
import { useEffect, useRef } from "react";
import { LEGEND_ITEMS as ITEMS, markerRole, type Swatch } from "@/lib/view/encoding";
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
    ctx.fillStyle = colour;
    ctx.fillRect(0, 5.5, 18, 1);
  } else if (s.outline) {
    ctx.strokeStyle = colour;
    ctx.strokeRect(0.5, 1.5, 17, 9);
  } else {
    ctx.fillStyle = s.pattern ? (makePattern(ctx, s.pattern, colour) ?? colour) : colour;
    ctx.fillRect(0, 1, 18, 10);
    if (s.pattern && s.pattern !== "cross") {
      ctx.strokeStyle = colour;
      ctx.strokeRect(0.5, 1.5, 17, 9);
    }
  }
}

export function Legend() {
  const refs = useRef<(HTMLCanvasElement | null)[]>([]);
  useEffect(() => {
    const repaint = () => {
      const p = readPalette(document.documentElement);
      ITEMS.forEach(([, s], i) => {
        const c = refs.current[i];
        if (c) paint(c, s, p);
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
      <li className="flex items-center gap-1">
        <span className="inline-block h-3 w-4 bg-risk-critical/40 outline outline-1 outline-risk-critical" /> critical
      </li>
      <li className="flex items-center gap-1">
        <span className="inline-block h-3 w-4 bg-risk-high/40 outline outline-1 outline-risk-high" /> high
      </li>
      <li className="flex items-center gap-1">
        <span className="inline-block h-3 w-4 bg-risk-medium/40 outline outline-1 outline-risk-medium" /> medium
      </li>
    </ul>
  );
}
