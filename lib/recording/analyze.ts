/**
 * Recording → lifecycle events → timeline, all pure. The CLI, the import path and tests share this.
 */
import type { LifecycleEvent } from "../model/events";
import { createNormalizerState } from "../normalize";
import { computeTimeline } from "../engine/timeline";
import type { EngineOptions, Timeline } from "../engine/types";
import { readKubeObject } from "../k8s/parse";
import { eachRecordedLine, type RecordedLine } from "./parse";
import { estimateReceiveTimes, orderLines } from "./receive-times";
import { pushLineEvents } from "./line-events";
import { NotInStreamOrder, RecordingStream } from "./stream";

export function recordingToEvents(lines: readonly RecordedLine[], cluster: string): LifecycleEvent[] {
  const state = createNormalizerState(cluster);
  const out: LifecycleEvent[] = [];
  const timed = estimateReceiveTimes(orderLines(lines));
  timed.forEach(({ line, receivedAt }, seq) => pushLineEvents(out, state, cluster, line, receivedAt, seq));
  return out;
}

/** The end of what a recording saw: open intervals are open "as of" this time. */
export function lastEventTime(events: readonly LifecycleEvent[]): number {
  let max = 0;
  for (const e of events) if (e.range[1] > max) max = e.range[1];
  return max;
}

export function analyzeRecording(lines: readonly RecordedLine[], opts: Partial<EngineOptions> & { cluster?: string } = {}): {
  events: LifecycleEvent[];
  timeline: Timeline;
} {
  const events = recordingToEvents(lines, opts.cluster ?? "recording");
  const now = opts.now ?? lastEventTime(events);
  return { events, timeline: computeTimeline(events, { ...opts, now }) };
}

/**
 * `analyzeRecording` of whole files, added one at a time in the order given (each is checked when added:
 * a bad line throws RecordingError before the next file is read, as parseRecording file by file does).
 * Files in stream order are normalized while parsed, keeping no line (stream.ts); otherwise, or when the
 * stream cannot finish exactly, the lines are parsed again from the texts and analyzed as a whole set.
 * The same events and timeline either way.
 */
export class RecordingFiles {
  private stream: RecordingStream | undefined;
  private readonly texts: { readonly file: string; readonly text: string }[] = [];
  private whole: RecordedLine[] | undefined;

  /**
   * `stream`: try the streamed path first. Worth it for one file; files split by kind (pods.jsonl,
   * endpointslices.jsonl…) leave stream order at the second file, and the first would be read twice.
   */
  constructor(
    readonly cluster = "recording",
    opts: { readonly stream?: boolean } = {},
  ) {
    this.stream = opts.stream === false ? undefined : new RecordingStream(this.cluster);
  }

  add(file: string, text: string): void {
    this.texts.push({ file, text });
    const stream = this.stream;
    if (stream) {
      try {
        eachRecordedLine(file, text, (l) => stream.push(l), readKubeObject);
        return;
      } catch (e) {
        if (!(e instanceof NotInStreamOrder)) throw e;
        this.stream = undefined;
        this.whole = this.wholeSet(); // this file too: a bad line after the point it left stream order still throws
        return;
      }
    }
    const whole = (this.whole ??= []);
    eachRecordedLine(file, text, (l) => whole.push(l));
  }

  private wholeSet(): RecordedLine[] {
    const out: RecordedLine[] = [];
    for (const t of this.texts) eachRecordedLine(t.file, t.text, (l) => out.push(l));
    return out;
  }

  analyze(opts: Partial<EngineOptions> = {}): { events: LifecycleEvent[]; timeline: Timeline; lines: number } {
    let events = this.stream?.finish();
    let lines = this.stream?.lines ?? 0;
    let last = this.stream?.lastTime ?? 0;
    if (!events) {
      const whole = this.whole ?? this.wholeSet();
      events = recordingToEvents(whole, this.cluster);
      lines = whole.length;
      last = lastEventTime(events);
    }
    this.texts.length = 0;
    const now = opts.now ?? last;
    return { events, timeline: computeTimeline(events, { ...opts, now }), lines };
  }
}
