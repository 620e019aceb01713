/**
 * Fill patterns of the visual encoding (design §6.5): stripes (preStop), dots (draining), hatch
 * (serving+terminating, LB draining), cross-hatch (watcher gaps). Built once per colour and context.
 */
import { patternTileSize, type PatternKind } from "@/lib/view/encoding";

export type { PatternKind };

export class PatternCache {
  private readonly cache = new Map<string, CanvasPattern | string>();

  constructor(private readonly ctx: CanvasRenderingContext2D) {}

  get(kind: PatternKind, colour: string, background?: string): CanvasPattern | string {
    const key = `${kind}|${colour}|${background ?? ""}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const made = makePattern(this.ctx, kind, colour, background) ?? colour;
    this.cache.set(key, made);
    return made;
  }
}

export function makePattern(ctx: CanvasRenderingContext2D, kind: PatternKind, colour: string, background?: string): CanvasPattern | undefined {
  const size = patternTileSize(kind);
  const tile = document.createElement("canvas");
  tile.width = size;
  tile.height = size;
  const t = tile.getContext("2d");
  if (!t) return undefined;
  if (background) {
    t.fillStyle = background;
    t.fillRect(0, 0, size, size);
  }
  t.strokeStyle = colour;
  t.fillStyle = colour;
  t.lineWidth = 1.5;
  switch (kind) {
    case "stripes": // diagonal "/" lines, dense: before SIGTERM
      t.beginPath();
      t.moveTo(0, size);
      t.lineTo(size, 0);
      t.moveTo(-1, 1);
      t.lineTo(1, -1);
      t.moveTo(size - 1, size + 1);
      t.lineTo(size + 1, size - 1);
      t.stroke();
      break;
    case "dots":
      t.beginPath();
      t.arc(1.5, 1.5, 1.2, 0, Math.PI * 2);
      t.fill();
      break;
    case "hatch": // "\" lines
      t.lineWidth = 1.2;
      t.beginPath();
      t.moveTo(0, 0);
      t.lineTo(size, size);
      t.moveTo(size - 1, -1);
      t.lineTo(size + 1, 1);
      t.moveTo(-1, size - 1);
      t.lineTo(1, size + 1);
      t.stroke();
      break;
    case "cross":
      t.lineWidth = 1;
      t.beginPath();
      t.moveTo(0, 0);
      t.lineTo(size, size);
      t.moveTo(size, 0);
      t.lineTo(0, size);
      t.stroke();
      break;
  }
  return ctx.createPattern(tile, "repeat") ?? undefined;
}
