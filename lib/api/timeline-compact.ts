/**
 * The timeline's compact wire format (`?format=compact`): the engine result (`TimelineView`) once, with
 * times as epoch-ms numbers, and no property names. The JSON document repeats every pod (once as
 * `pods`, once as `lanes`), writes each time twice (ISO and ms) and every key of every object.
 *
 * Encoding, generic over plain JSON data so a new engine field needs no change here:
 * - an object is `[s + 2, v1, v2, …]`, where `shapes[s]` lists its keys in order;
 * - an array of two or more objects with the same keys is a table, `[-(s + 1), row1…, row2…]`, row-major;
 * - any other array is `[0, item1, item2, …]`;
 * - a string of INTERN_MIN or more characters is written once; later copies (pod uids in windows and
 *   episodes, repeated fixes) are `[1, i]`, the i-th such string written so far, in document order;
 * - other strings, numbers, booleans and null are themselves.
 * Properties whose value is undefined are left out and non-finite numbers become null, as
 * JSON.stringify does, so decoding gives exactly `JSON.parse(JSON.stringify(view))`.
 *
 * The server writes this text directly as bytes (timeline-compact-writer.ts); `encodeCompactTimeline` is
 * the reference it is tested against, byte for byte.
 */
import type { TimelineView } from "./timeline-document";

export const COMPACT_TIMELINE_VERSION = 1;

/** Shorter strings cost less inline than as a reference. */
export const INTERN_MIN = 8;

type Enc = null | boolean | number | string | Enc[];

export interface CompactTimeline {
  readonly v: typeof COMPACT_TIMELINE_VERSION;
  readonly shapes: readonly (readonly string[])[];
  readonly body: Enc;
}

class ShapeTable {
  readonly shapes: string[][] = [];
  readonly strings = new Map<string, number>();
  private readonly index = new Map<string, number>();

  /** The keys JSON.stringify would write, and their shape number. */
  of(o: Record<string, unknown>): [number, string[]] {
    const keys: string[] = [];
    for (const k in o) {
      if (!Object.hasOwn(o, k)) continue;
      const v = o[k];
      if (v !== undefined && typeof v !== "function" && typeof v !== "symbol") keys.push(k);
    }
    const sig = keys.join("\u0000");
    let s = this.index.get(sig);
    if (s === undefined) {
      s = this.shapes.length;
      this.shapes.push(keys);
      this.index.set(sig, s);
    }
    return [s, keys];
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function encodeValue(v: unknown, t: ShapeTable): Enc {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case "string": {
      if (v.length < INTERN_MIN) return v;
      const i = t.strings.get(v);
      if (i !== undefined) return [1, i];
      t.strings.set(v, t.strings.size);
      return v;
    }
    case "boolean":
      return v;
    case "number":
      return Number.isFinite(v) ? v : null;
    case "object":
      break;
    default:
      return null;
  }
  if (Array.isArray(v)) return encodeArray(v, t);
  const o = v as Record<string, unknown>;
  const [s, keys] = t.of(o);
  const out: Enc[] = [s + 2];
  for (const k of keys) out.push(encodeValue(o[k], t));
  return out;
}

function encodeArray(a: readonly unknown[], t: ShapeTable): Enc[] {
  const first = a[0];
  if (a.length >= 2 && isPlainObject(first)) {
    const [s, keys] = t.of(first);
    let same = true;
    for (let i = 1; i < a.length && same; i++) {
      const x = a[i];
      same = isPlainObject(x) && t.of(x)[0] === s;
    }
    if (same && keys.length > 0) {
      const out: Enc[] = [-(s + 1)];
      for (const x of a) for (const k of keys) out.push(encodeValue((x as Record<string, unknown>)[k], t));
      return out;
    }
  }
  const out: Enc[] = [0];
  // JSON writes null for undefined items of an array.
  for (const x of a) out.push(encodeValue(x, t));
  return out;
}

export function encodeCompactTimeline(view: TimelineView): CompactTimeline {
  const t = new ShapeTable();
  const body = encodeValue(view, t);
  return { v: COMPACT_TIMELINE_VERSION, shapes: t.shapes, body };
}

export class CompactTimelineError extends Error {
  override name = "CompactTimelineError";
}

interface Decoding {
  readonly shapes: readonly (readonly string[])[];
  readonly strings: string[];
}

function decodeValue(e: unknown, d: Decoding): unknown {
  if (!Array.isArray(e)) {
    if (typeof e === "string") {
      if (e.length >= INTERN_MIN) d.strings.push(e);
      return e;
    }
    if (e === null || typeof e === "number" || typeof e === "boolean") return e;
    throw new CompactTimelineError("unexpected value in compact timeline");
  }
  const tag: unknown = e[0];
  if (typeof tag !== "number" || !Number.isInteger(tag)) throw new CompactTimelineError("compact timeline: array without a tag");
  if (tag === 0) {
    const out: unknown[] = new Array(e.length - 1);
    for (let i = 1; i < e.length; i++) out[i - 1] = decodeValue(e[i], d);
    return out;
  }
  if (tag === 1) {
    const s = typeof e[1] === "number" ? d.strings[e[1]] : undefined;
    if (s === undefined || e.length !== 2) throw new CompactTimelineError("compact timeline: bad string reference");
    return s;
  }
  const s = tag > 0 ? tag - 2 : -tag - 1;
  const keys = d.shapes[s];
  if (!keys) throw new CompactTimelineError(`compact timeline: unknown shape ${s}`);
  const n = keys.length;
  if (tag > 0) {
    if (e.length !== n + 1) throw new CompactTimelineError("compact timeline: object of the wrong length");
    return row(e, 1, keys, d);
  }
  if (n === 0 || (e.length - 1) % n !== 0) throw new CompactTimelineError("compact timeline: table of the wrong length");
  const out: unknown[] = [];
  for (let i = 1; i < e.length; i += n) out.push(row(e, i, keys, d));
  return out;
}

function row(e: readonly unknown[], at: number, keys: readonly string[], d: Decoding): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let j = 0; j < keys.length; j++) o[keys[j] as string] = decodeValue(e[at + j], d);
  return o;
}

function isShapes(x: unknown): x is readonly (readonly string[])[] {
  return Array.isArray(x) && x.every((s) => Array.isArray(s) && s.every((k) => typeof k === "string" && k !== "__proto__"));
}

/** Decodes what `encodeCompactTimeline` produced (after JSON); throws CompactTimelineError on anything else. */
export function decodeCompactTimeline(raw: unknown): TimelineView {
  if (!isPlainObject(raw) || raw.v !== COMPACT_TIMELINE_VERSION || !isShapes(raw.shapes)) throw new CompactTimelineError(`not a compact timeline (version ${COMPACT_TIMELINE_VERSION})`);
  const view = decodeValue(raw.body, { shapes: raw.shapes, strings: [] });
  if (!isPlainObject(view) || !isPlainObject(view.timeline) || !isPlainObject(view.range) || typeof view.eventCount !== "number") throw new CompactTimelineError("compact timeline: body is not a timeline view");
  return view as unknown as TimelineView;
}
