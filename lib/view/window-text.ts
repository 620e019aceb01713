/**
 * How long a risk window lasted, in the words every view uses (risk list, pod drawer): one function so the
 * drawer and the list can never disagree about the same engine window.
 */
import type { EpochMs } from "../model/time";
import { formatDuration } from "./format";

export interface TimedWindow {
  readonly startMs: EpochMs;
  /** Undefined while the window is open. */
  readonly endMs?: EpochMs;
}

/** `now`: the data's clock; `live` false means the data ends there, so an open window is open at its end. */
export function windowDurationText(w: TimedWindow, now: EpochMs, live: boolean): string {
  if (w.endMs !== undefined) return formatDuration(w.endMs - w.startMs);
  return live ? `open, ${formatDuration(now - w.startMs)} so far` : `open when the data ends, ≥ ${formatDuration(now - w.startMs)}`;
}

/** The windows that name pod `uid`, in the order given (the list's order). */
export function windowsOfPod<W extends { readonly podUids: readonly string[] }>(ws: readonly W[], uid: string): W[] {
  return ws.filter((w) => w.podUids.includes(uid));
}
