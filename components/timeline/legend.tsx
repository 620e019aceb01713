"use client";
/** The encoding key, drawn with the swimlane's own pattern and glyph code so the two never disagree. */
import { useEffect, useRef } from "react";
import type { MarkerKind } from "@/lib/view/markers";
import { drawGlyph } from "./glyphs";
import { onThemeChange, readPalette, type Palette } from "./palette";
import { makePattern, type PatternKind } from "./patterns";

type Swatch =
  | { kind: "fill"; colour: keyof Palette; pattern?: PatternKind; outline?: boolean; thin?: boolean; alpha?: number }
  | { kind: "glyph"; glyph: MarkerKind };

const ITEMS: readonly [string, Swatch][] = [
  ["serving", { kind: "fill", colour: "serving" }],
  ["preStop", { kind: "fill", colour: "prestop", pattern: "stripes" }],
  ["draining", { kind: "fill", colour: "draining", pattern: "dots" }],
  ["exited", { kind: "fill", colour: "exited", outline: true }],
  ["ep ready", { kind: "fill", colour: "serving" }],
  ["ep serving+terminating", { kind: "fill", colour: "draining", pattern: "hatch" }],
  ["ep not serving", { kind: "fill", colour: "gap", thin: true }],
  ["LB active", { kind: "fill", colour: "ok" }],
  ["LB draining", { kind: "fill", colour: "ok", pattern: "hatch" }],
  ["gap", { kind: "fill", colour: "gap", pattern: "cross" }],
  ["delete", { kind: "glyph", glyph: "delete" }],
  ["Killing", { kind: "glyph", glyph: "killing" }],
  ["SIGTERM", { kind: "glyph", glyph: "sigterm" }],
  ["exit", { kind: "glyph", glyph: "exit" }],
  ["SIGKILL", { kind: "glyph", glyph: "sigkill" }],
  ["removed", { kind: "glyph", glyph: "removal" }],
];

function paint(c: HTMLCanvasElement, s: Swatch, p: Palette) {
  const ctx = c.getContext("2d");
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  c.width = 18 * dpr;
  c.height = 12 * dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, 18, 12);
  if (s.kind === "glyph") {
    drawGlyph(ctx, s.glyph, 9, 6, 4, s.glyph === "sigkill" ? p.critical : p.fg, p.surface);
    return;
  }
  const colour = p[s.colour];
  if (typeof colour !== "string") return;
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
