/**
 * `recordingToEvents` without keeping the parsed lines, for recordings already in stream order (one
 * `kubectl get -w` file: resourceVersions ascending; or every line with an ascending `observedAt`). Each
 * line is normalized as soon as it is read and then dropped, so the collector never has to carry 40,000
 * parsed objects, and lines can be read with the check-only Pod reader (no stripped copy).
 *
 * What a line's receive time needs from later lines is only the top of its range (the smallest upper
 * bound at or after it, receive-times.ts). So the line is normalized with its range's top left open
 * (+Infinity), in an array of its own that the events share by reference, and that array is filled in at
 * the end. The normalizer only copies that array around; should a derived copy of the open top ever reach
 * an event (a range built from it, e.g. a container exit with no time), `finish()` finds the +Infinity
 * and says so, and the caller analyzes the recording the whole-set way. Likewise `push` throws
 * NotInStreamOrder as soon as the lines are not in the order `orderLines` would put them in. Exact either
 * way: the result is `recordingToEvents` of the same lines, byte for byte. Pure.
 */
import type { LifecycleEvent } from "../model/events";
import { exactTime, type TimeEstimate } from "../model/time";
import { createNormalizerState, type NormalizerState } from "../normalize";
import { pushLineEvents } from "./line-events";
import type { RecordedLine } from "./parse";
import { FRESH_STAMP_SLACK_MS, newSeen, numericVersion, stampBounds, type Seen } from "./receive-times";

export class NotInStreamOrder extends Error {
  constructor(detail: string) {
    super(`not in stream order: ${detail}`);
    this.name = "NotInStreamOrder";
  }
}

export class RecordingStream {
  private readonly state: NormalizerState;
  private readonly seen: Seen = newSeen();
  private readonly events: LifecycleEvent[] = [];
  /** Each line's own upper bound, in order (for the suffix minimum at the end). */
  private readonly his: number[] = [];
  /**
   * The range array each open line's events share ([lo, +Infinity] until `finish()`), and that line's index,
   * in step: two flat arrays rather than an object per line (every line's survives to the end).
   */
  private readonly openRanges: number[][] = [];
  private readonly openLines: number[] = [];
  /** The latest range top of any event, once `finish()` has returned them (what `lastEventTime` gives). */
  private last = 0;
  /** Lines before the first finite lower bound: their estimate is that bound, not yet known. */
  private waiting: { line: RecordedLine; index: number }[] = [];
  private runLo = Number.NEGATIVE_INFINITY;
  // What orderLines will decide, and whether file order is that order.
  private allObserved = true;
  private observedSorted = true;
  private lastObserved = Number.NEGATIVE_INFINITY;
  private allNumeric = true;
  private objectLines = 0;
  private rvSorted = true;
  private lastRv = 0;
  private lastKey = Number.NEGATIVE_INFINITY;

  constructor(readonly cluster: string) {
    this.state = createNormalizerState(cluster);
  }

  get lines(): number {
    return this.his.length;
  }

  /** `lastEventTime` of what `finish()` returned (0 before). */
  get lastTime(): number {
    return this.last;
  }

  push(line: RecordedLine): void {
    this.checkOrder(line);
    const index = this.his.length;
    const b = line.observedAt !== undefined ? { lo: line.observedAt, hi: line.observedAt } : line.object ? stampBounds(line.object, line.watchType, this.seen) : { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };
    this.runLo = Math.max(this.runLo, b.lo);
    this.his.push(b.hi);
    if (!Number.isFinite(this.runLo)) {
      this.waiting.push({ line, index });
      return;
    }
    this.releaseWaiting(this.runLo);
    this.out(line, index, this.runLo);
  }

  /** The events, or undefined when an open range top reached an event by value (analyze the whole set instead). */
  finish(): LifecycleEvent[] | undefined {
    this.releaseWaiting(0); // no line had a bound: estimates start at 0, as estimateReceiveTimes does
    const his = this.his;
    const suffixMin = new Float64Array(his.length);
    let run = Number.POSITIVE_INFINITY;
    for (let i = his.length - 1; i >= 0; i--) {
      run = Math.min(run, his[i] ?? run);
      suffixMin[i] = run;
    }
    const ranges = this.openRanges;
    const openLines = this.openLines;
    for (let i = 0; i < ranges.length; i++) {
      const range = ranges[i] as number[];
      const l = range[0] ?? 0;
      const hRaw = suffixMin[openLines[i] ?? 0] ?? Number.POSITIVE_INFINITY;
      range[1] = Number.isFinite(hRaw) ? Math.max(hRaw, l) : l + FRESH_STAMP_SLACK_MS;
    }
    // One pass over the events for both the +Infinity check and the latest range top.
    const events = this.events;
    let last = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as LifecycleEvent;
      if (hasInfinity(e)) return undefined;
      if (e.range[1] > last) last = e.range[1];
    }
    this.last = last;
    return events;
  }

  private releaseWaiting(l: number): void {
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) this.out(w.line, w.index, l);
  }

  /** As recordingToEvents does for one timed line; `l` is the line's lower bound (its best estimate). */
  private out(line: RecordedLine, seq: number, l: number): void {
    let receivedAt: TimeEstimate;
    if (line.observedAt !== undefined) receivedAt = exactTime(line.observedAt, "watcher");
    else {
      const range = [l, Number.POSITIVE_INFINITY];
      this.openRanges.push(range);
      this.openLines.push(seq);
      // The key order of rangeTime's result: the events spread it.
      receivedAt = { at: l, range: range as unknown as readonly [number, number], clock: "apiserver", precision: "inferred" };
    }
    pushLineEvents(this.events, this.state, this.cluster, line, receivedAt, seq);
  }

  /** orderLines' three cases (all observedAt; else all numeric resourceVersions; else as given): file order must be its order. */
  private checkOrder(line: RecordedLine): void {
    if (line.observedAt === undefined) this.allObserved = false;
    else {
      if (line.observedAt < this.lastObserved) this.observedSorted = false;
      this.lastObserved = line.observedAt;
    }
    let key: number;
    if (line.watchType !== "ERROR") {
      this.objectLines++;
      const rv = numericVersion(line.resourceVersion);
      if (rv === undefined) this.allNumeric = false;
      else this.lastRv = rv;
      key = rv ?? this.lastKey;
    } else key = this.lastRv + 0.5;
    if (key < this.lastKey) this.rvSorted = false;
    this.lastKey = key;
    const wrong = this.allObserved ? !this.observedSorted : this.allNumeric && this.objectLines > 0 ? !this.rvSorted : false;
    if (wrong) throw new NotInStreamOrder(`${line.file}:${line.line}`);
  }
}

/** Any ±Infinity (or NaN) number anywhere in the event. Plain loops: it visits every event of the recording. */
function hasInfinity(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasInfinity(value[i])) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const k in record) {
    const v = record[k];
    if (typeof v === "number" ? !Number.isFinite(v) : typeof v === "object" && v !== null && hasInfinity(v)) return true;
  }
  return false;
}
