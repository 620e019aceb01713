/**
 * Recording → lifecycle events → timeline, all pure. The CLI, the import path and tests share this.
 */
import type { LifecycleEvent } from "../model/events";
import { createNormalizerState, normalize } from "../normalize";
import { computeTimeline } from "../engine/timeline";
import type { EngineOptions, Timeline } from "../engine/types";
import type { RecordedLine } from "./parse";
import { estimateReceiveTimes, orderLines } from "./receive-times";

export function recordingToEvents(lines: readonly RecordedLine[], cluster: string): LifecycleEvent[] {
  const state = createNormalizerState(cluster);
  const out: LifecycleEvent[] = [];
  const timed = estimateReceiveTimes(orderLines(lines));
  timed.forEach(({ line, receivedAt }, seq) => {
    if (line.watchType === "ERROR" || !line.object) {
      out.push({
        id: `gap:${line.file}:${line.line}`,
        cluster,
        namespace: "",
        source: "recording",
        ...receivedAt,
        seq,
        type: "watcher-gap",
        resource: "watch",
        from: receivedAt.at,
        to: receivedAt.at,
        reason: line.errorMessage ?? "watch error",
      });
      return;
    }
    out.push(...normalize(state, { watchType: line.watchType, object: line.object, receivedAt, seq }));
  });
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
