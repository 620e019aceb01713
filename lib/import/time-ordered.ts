/**
 * Normalizing while reading, for one file whose lines all carry a receive time (an audit log's stage
 * times): the import then keeps the observations, not the parsed lines. The order must be exactly the one
 * `orderLines` gives the whole set (by observedAt, ties in file order), so lines wait in a small buffer
 * until the file has moved `windowMs` past them; a line older than one already normalized (a log more out
 * of order than the window), or one with no receive time, ends this mode with OutOfOrderError and the
 * caller reads the file again keeping every line (the planner's default). Pure.
 */
import type { LifecycleEvent } from "../model/events";
import { exactTime } from "../model/time";
import { createNormalizerState, normalize, type NormalizerState } from "../normalize";
import type { RecordedLine } from "../recording/parse";
import { ImportError } from "./errors";
import { checkRecordedLines, importedEventProblem } from "./validate";

export class OutOfOrderError extends Error {
  constructor(detail: string) {
    super(`not in time order: ${detail}`);
    this.name = "OutOfOrderError";
  }
}

/** How far (in receive time) a line may arrive after a later one and still be put in its place. */
export const REORDER_WINDOW_MS = 30_000;

interface Waiting {
  readonly line: RecordedLine;
  readonly at: number;
  readonly i: number;
}

const before = (a: Waiting, b: Waiting) => a.at < b.at || (a.at === b.at && a.i < b.i);

export class TimeOrderedNormalizer {
  /** The observations, in order, unless `emit` takes them (then empty). */
  readonly events: LifecycleEvent[] = [];
  /** The first line that fails the door checks, in file order (thrown by the planner after every line is read). */
  problem: ImportError | undefined;
  lines = 0;
  private readonly state: NormalizerState;
  private readonly heap: Waiting[] = [];
  private seq = 0;
  private lastOut = Number.NEGATIVE_INFINITY;

  /** Observations made (with `emitter`: handed on or not), and the first that fails the import's checks. */
  emitted = 0;
  eventProblem: string | undefined;

  /**
   * `emitter`: each observation as it is made, checked (`checkImportedEvents`, one at a time), instead of
   * keeping it in `events`: the caller keeps a more compact form of it (server/import/row-sink.ts). The
   * planner hands it the file's other observations (audit actors) too, through `emit`. After the first
   * observation that fails the checks, none is handed on: the import will be refused.
   */
  constructor(
    readonly cluster: string,
    private readonly windowMs = REORDER_WINDOW_MS,
    readonly emitter?: (e: LifecycleEvent) => void,
  ) {
    this.state = createNormalizerState(cluster);
  }

  emit(e: LifecycleEvent): void {
    const i = this.emitted++;
    if (!this.emitter) {
      this.events.push(e);
      return;
    }
    if (this.eventProblem !== undefined) return;
    this.eventProblem = importedEventProblem(e, i);
    if (this.eventProblem === undefined) this.emitter(e);
  }

  push(line: RecordedLine): void {
    const at = line.observedAt;
    if (at === undefined) throw new OutOfOrderError(`${line.file}:${line.line} has no receive time`);
    if (at < this.lastOut) throw new OutOfOrderError(`${line.file}:${line.line} is more than ${this.windowMs} ms older than a line before it`);
    if (!this.problem) {
      try {
        checkRecordedLines([line]);
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        this.problem = e;
      }
    }
    this.add({ line, at, i: this.lines++ });
    while (this.heap.length > 0 && (this.heap[0]?.at ?? 0) < at - this.windowMs) this.out(this.take());
  }

  /** The file has ended: everything still waiting goes out, in order. */
  end(): void {
    while (this.heap.length > 0) this.out(this.take());
  }

  private out(w: Waiting): void {
    this.lastOut = w.at;
    const seq = this.seq++;
    if (this.problem) return; // the import will be refused: no need to build what it would store
    const line = w.line;
    const receivedAt = exactTime(w.at, "watcher");
    if (line.watchType === "ERROR" || !line.object) {
      // As recordingToEvents (lib/recording/analyze.ts) marks a broken watch.
      this.emit({ id: `gap:${line.file}:${line.line}`, cluster: this.cluster, namespace: "", source: "recording", ...receivedAt, seq, type: "watcher-gap", resource: "watch", from: w.at, to: w.at, reason: line.errorMessage ?? "watch error" });
      return;
    }
    for (const e of normalize(this.state, { watchType: line.watchType, object: line.object, receivedAt, seq })) this.emit(e);
  }

  private add(w: Waiting): void {
    const h = this.heap;
    h.push(w);
    let k = h.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      const parent = h[p];
      if (!parent || !before(w, parent)) break;
      h[k] = parent;
      k = p;
    }
    h[k] = w;
  }

  private take(): Waiting {
    const h = this.heap;
    const top = h[0] as Waiting;
    const last = h.pop() as Waiting;
    if (h.length > 0) {
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && before(h[r] as Waiting, h[l] as Waiting) ? r : l;
        if (!before(h[c] as Waiting, last)) break;
        h[k] = h[c] as Waiting;
        k = c;
      }
      h[k] = last;
    }
    return top;
  }
}
