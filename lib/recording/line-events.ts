/**
 * The events of one recorded line, shared by the whole-recording path (analyze.ts) and the streamed one
 * (stream.ts), so both give the same events: a watch ERROR, or a line without an object, is a watcher gap
 * at the line's receive time; anything else goes through the normalizer.
 */
import type { LifecycleEvent } from "../model/events";
import type { TimeEstimate } from "../model/time";
import { normalize, type NormalizerState } from "../normalize";
import type { RecordedLine } from "./parse";

export function pushLineEvents(out: LifecycleEvent[], state: NormalizerState, cluster: string, line: RecordedLine, receivedAt: TimeEstimate, seq: number): void {
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
  for (const e of normalize(state, { watchType: line.watchType, object: line.object, receivedAt, seq })) out.push(e);
}
