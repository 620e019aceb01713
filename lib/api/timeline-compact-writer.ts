/**
 * The compact timeline's text (lib/api/timeline-compact.ts), written straight into UTF-8 bytes: the same
 * bytes as `JSON.stringify(encodeCompactTimeline(view))`, without building the encoded arrays and then a
 * 15 MB string (10,000 pods) that is encoded to UTF-8 again for the response. Same walk, same order, so
 * shapes and interned strings get the same numbers; `encodeCompactTimeline` stays the reference it is
 * tested against.
 *
 * Shape lookup without building a key list per object: shapes are found by their first key, then by
 * comparing keys in place (a table's rows are compared with the first row's shape only).
 */
import { COMPACT_TIMELINE_VERSION, INTERN_MIN } from "./timeline-compact";
import type { TimelineView } from "./timeline-document";

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const NULL_BYTES = [0x6e, 0x75, 0x6c, 0x6c];
const TRUE_BYTES = [0x74, 0x72, 0x75, 0x65];
const FALSE_BYTES = [0x66, 0x61, 0x6c, 0x73, 0x65];

/** A value JSON writes for a property (the rest, and their keys, are left out). */
function written(v: unknown): boolean {
  return v !== undefined && typeof v !== "function" && typeof v !== "symbol";
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True when `o`'s written keys are exactly `keys`, in order. */
function hasKeys(o: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (!Object.hasOwn(o, k) || !written(o[k])) continue;
    if (i === keys.length || keys[i] !== k) return false;
    i++;
  }
  return i === keys.length;
}

class Shapes {
  readonly list: string[][] = [];
  /** Shape numbers by their first key ("" for no key: an own key is never compared with it). */
  private readonly byFirst = new Map<string, number[]>();

  /** The object's shape number, registered if new (numbers in order of first sight, as the reference does). */
  of(o: Record<string, unknown>): number {
    let first = "";
    let any = false;
    for (const k in o) {
      if (Object.hasOwn(o, k) && written(o[k])) {
        first = k;
        any = true;
        break;
      }
    }
    const found = this.byFirst.get(any ? `k${first}` : "");
    if (found) {
      for (const s of found) if (hasKeys(o, this.list[s] as string[])) return s;
    }
    const keys: string[] = [];
    for (const k in o) if (Object.hasOwn(o, k) && written(o[k])) keys.push(k);
    const s = this.list.length;
    this.list.push(keys);
    const id = any ? `k${first}` : "";
    if (found) found.push(s);
    else this.byFirst.set(id, [s]);
    return s;
  }
}

class ByteWriter {
  buf: Uint8Array<ArrayBuffer>;
  pos = 0;
  private readonly utf8 = new TextEncoder();

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.pos === this.buf.length) this.room(1);
    this.buf[this.pos++] = b;
  }

  bytes(bs: readonly number[]): void {
    this.room(bs.length);
    for (const b of bs) this.buf[this.pos++] = b;
  }

  /** ASCII text that needs no escaping (numbers as JavaScript prints them). */
  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  number(n: number): void {
    if (!Number.isFinite(n)) return this.bytes(NULL_BYTES);
    if (Number.isSafeInteger(n) && n >= 0) {
      // Digits without a string for the common case (times in ms, counts), in 9-digit parts that fit int32.
      if (n < 1e9) return this.digits(n, 0);
      const high = Math.floor(n / 1e9);
      if (high < 1e9) {
        this.digits(high, 0);
        return this.digits(n - high * 1e9, 9);
      }
    }
    this.ascii(String(n)); // JSON's number text is JavaScript's (and -0 is "0" in both)
  }

  /** A non-negative integer below 1e9, left-padded with zeros to `width`. */
  private digits(n: number, width: number): void {
    let count = 1;
    for (let x = n; x >= 10; x = (x / 10) | 0) count++;
    if (count < width) count = width;
    this.room(count);
    const buf = this.buf;
    let at = this.pos + count;
    this.pos = at;
    let x = n;
    for (let i = 0; i < count; i++) {
      const q = (x / 10) | 0;
      buf[--at] = 0x30 + x - q * 10;
      x = q;
    }
  }

  /** A JSON string: plain ASCII is copied byte by byte; anything else is JSON's own escaping, then UTF-8. */
  string(s: string): void {
    const start = this.pos;
    this.room(s.length + 2);
    const buf = this.buf;
    let at = start;
    buf[at++] = QUOTE;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === QUOTE || c === 0x5c) return this.escaped(s, start);
      buf[at++] = c;
    }
    buf[at++] = QUOTE;
    this.pos = at;
  }

  private escaped(s: string, start: number): void {
    this.pos = start;
    const text = JSON.stringify(s); // lone surrogates escaped as JSON.stringify does
    this.room(text.length * 3);
    this.pos += this.utf8.encodeInto(text, this.buf.subarray(this.pos)).written;
  }
}

class CompactWriter {
  readonly shapes = new Shapes();
  private readonly strings = new Map<string, number>();

  constructor(readonly out: ByteWriter) {}

  value(v: unknown): void {
    const out = this.out;
    if (v === null || v === undefined) return out.bytes(NULL_BYTES);
    switch (typeof v) {
      case "string": {
        if (v.length >= INTERN_MIN) {
          const i = this.strings.get(v);
          if (i !== undefined) {
            out.byte(OPEN);
            out.byte(0x31); // [1,i]: the i-th long string written so far
            out.byte(COMMA);
            out.number(i);
            out.byte(CLOSE);
            return;
          }
          this.strings.set(v, this.strings.size);
        }
        return out.string(v);
      }
      case "boolean":
        return out.bytes(v ? TRUE_BYTES : FALSE_BYTES);
      case "number":
        return out.number(v);
      case "object":
        break;
      default:
        return out.bytes(NULL_BYTES);
    }
    if (Array.isArray(v)) return this.array(v);
    const o = v as Record<string, unknown>;
    const s = this.shapes.of(o);
    out.byte(OPEN);
    out.number(s + 2);
    for (const k of this.shapes.list[s] as string[]) {
      out.byte(COMMA);
      this.value(o[k]);
    }
    out.byte(CLOSE);
  }

  private array(a: readonly unknown[]): void {
    const out = this.out;
    const first = a[0];
    if (a.length >= 2 && isPlainObject(first)) {
      const s = this.shapes.of(first);
      const keys = this.shapes.list[s] as string[];
      let same = true;
      for (let i = 1; i < a.length && same; i++) {
        const x = a[i];
        if (!isPlainObject(x)) same = false;
        else if (!hasKeys(x, keys)) {
          same = false;
          this.shapes.of(x); // the reference registers the first odd row's shape here
        }
      }
      if (same && keys.length > 0) {
        out.byte(OPEN);
        out.number(-(s + 1));
        for (const x of a) {
          const row = x as Record<string, unknown>;
          for (const k of keys) {
            out.byte(COMMA);
            this.value(row[k]);
          }
        }
        out.byte(CLOSE);
        return;
      }
    }
    out.byte(OPEN);
    out.byte(0x30);
    for (const x of a) {
      out.byte(COMMA);
      this.value(x);
    }
    out.byte(CLOSE);
  }
}

/** Room left before the body for the document's head (`{"v":1,"shapes":[…],"body":`, about 2 KB for a timeline). */
const HEAD_ROOM = 8192;

/**
 * `JSON.stringify(encodeCompactTimeline(view))` as UTF-8 bytes. `sizeHint`: a first buffer size (it grows).
 * The result is a view of the buffer written into (not a copy) unless more than an eighth of it is unused.
 */
export function writeCompactTimeline(view: TimelineView, sizeHint = 1 << 16): Uint8Array<ArrayBuffer> {
  const body = new ByteWriter(Math.max(HEAD_ROOM * 2, sizeHint + HEAD_ROOM));
  body.pos = HEAD_ROOM;
  const writer = new CompactWriter(body);
  writer.value(view);
  body.byte(0x7d); // }
  // The shapes are known once the body is written; they come first in the document, in the room left for them.
  const head = new ByteWriter(1024);
  head.ascii(`{"v":${COMPACT_TIMELINE_VERSION},"shapes":[`);
  writer.shapes.list.forEach((keys, i) => {
    if (i > 0) head.byte(COMMA);
    head.byte(OPEN);
    keys.forEach((k, j) => {
      if (j > 0) head.byte(COMMA);
      head.string(k);
    });
    head.byte(CLOSE);
  });
  head.ascii(`],"body":`);
  const end = body.pos;
  const written = body.buf.subarray(HEAD_ROOM, end);
  if (head.pos <= HEAD_ROOM && end >= body.buf.length - (body.buf.length >> 3)) {
    body.buf.set(head.buf.subarray(0, head.pos), HEAD_ROOM - head.pos);
    return body.buf.subarray(HEAD_ROOM - head.pos, end);
  }
  const doc = new Uint8Array(head.pos + written.length);
  doc.set(head.buf.subarray(0, head.pos));
  doc.set(written, head.pos);
  return doc;
}
