/**
 * Marker shapes (design §6.5), drawn as paths rather than font glyphs so they look the same on every
 * machine: delete ✕, Killing ▼, SIGTERM ⚡, exit ■, SIGKILL ☠, removal ○ (MARKER_GLYPHS in
 * lib/view/encoding.ts; the SVG export draws the same geometry).
 */
import type { MarkerKind } from "@/lib/view/markers";

export function drawGlyph(ctx: CanvasRenderingContext2D, kind: MarkerKind, x: number, cy: number, r: number, colour: string, bg: string): void {
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = 1.6;
  ctx.beginPath();
  switch (kind) {
    case "delete":
      ctx.moveTo(x - r, cy - r);
      ctx.lineTo(x + r, cy + r);
      ctx.moveTo(x + r, cy - r);
      ctx.lineTo(x - r, cy + r);
      ctx.stroke();
      break;
    case "killing":
      ctx.moveTo(x - r, cy - r);
      ctx.lineTo(x + r, cy - r);
      ctx.lineTo(x, cy + r);
      ctx.closePath();
      ctx.fill();
      break;
    case "sigterm":
      ctx.moveTo(x + r * 0.4, cy - r * 1.2);
      ctx.lineTo(x - r * 0.7, cy + r * 0.1);
      ctx.lineTo(x + r * 0.1, cy + r * 0.1);
      ctx.lineTo(x - r * 0.4, cy + r * 1.2);
      ctx.lineTo(x + r * 0.8, cy - r * 0.2);
      ctx.lineTo(x, cy - r * 0.2);
      ctx.closePath();
      ctx.fill();
      break;
    case "exit":
      ctx.rect(x - r * 0.8, cy - r * 0.8, r * 1.6, r * 1.6);
      ctx.fill();
      break;
    case "sigkill":
      // skull: round head, jaw, two eye holes
      ctx.arc(x, cy - r * 0.2, r * 0.9, 0, Math.PI * 2);
      ctx.rect(x - r * 0.5, cy + r * 0.4, r, r * 0.6);
      ctx.fill();
      ctx.fillStyle = bg;
      ctx.beginPath();
      ctx.arc(x - r * 0.35, cy - r * 0.25, r * 0.25, 0, Math.PI * 2);
      ctx.arc(x + r * 0.35, cy - r * 0.25, r * 0.25, 0, Math.PI * 2);
      ctx.fill();
      break;
    case "removal":
      ctx.fillStyle = bg;
      ctx.arc(x, cy, r * 0.85, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
      break;
  }
  ctx.restore();
}
