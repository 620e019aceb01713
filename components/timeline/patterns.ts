/**
 * Fill patterns of the visual encoding (design §6.5): stripes (preStop), dots (draining), hatch
 * (serving+terminating, LB draining), cross-hatch (watcher gaps). Built once per colour and context, from
 * the tiles of lib/view/encoding.ts.
 */
import { PATTERN_TILES, type PatternKind } from "@/lib/view/encoding";

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

/** A canvas pattern from the shared tile (lib/view/encoding.ts PATTERN_TILES, also the SVG export's). */
export function makePattern(ctx: CanvasRenderingContext2D, kind: PatternKind, colour: string, background?: string): CanvasPattern | undefined {
  const spec = PATTERN_TILES[kind];
  const tile = document.createElement("canvas");
  tile.width = spec.size;
  tile.height = spec.size;
  const t = tile.getContext("2d");
  if (!t) return undefined;
  if (background) {
    t.fillStyle = background;
    t.fillRect(0, 0, spec.size, spec.size);
  }
  const path = new Path2D(spec.path);
  if (spec.paint === "fill") {
    t.fillStyle = colour;
    t.fill(path);
  } else {
    t.strokeStyle = colour;
    t.lineWidth = spec.width;
    t.stroke(path);
  }
  return ctx.createPattern(tile, "repeat") ?? undefined;
}
