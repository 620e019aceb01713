/**
 * How long a risk window lasted, in the words every view uses (risk list, pod drawer): one function so the
 * drawer and the list can never disagree about the same engine window.
 */
import type { EpochMs } from "../model/time";
import { formatDuration, plural } from "./format";

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

/**
 * Which pods a window names, as the risk list prints them: the pod's name for one, else the count; pods the
 * view has no lane for (a service-wide window also names a replacement pod outside this episode) are said
 * so, by name when one, so "2 pods" never faces a single lane unexplained. `inView`: whether a uid has a
 * lane in the document on screen. Undefined when the window names no pod (it is the service's).
 */
export function windowPodsText(w: { readonly pods: readonly string[]; readonly podUids: readonly string[] }, inView?: (uid: string) => boolean): string | undefined {
  const n = w.pods.length;
  if (n === 0) return undefined;
  const outside = inView ? w.pods.filter((_, i) => !inView(w.podUids[i] ?? "")) : [];
  const head = n === 1 ? (w.pods[0] ?? "") : plural(n, "pod");
  if (outside.length === 0) return head;
  if (n === 1) return `${head} (not in this view)`;
  if (outside.length === n) return `${head} (none in this view)`;
  return `${head} (${outside.length === 1 ? outside[0] : plural(outside.length, "pod")} not in this view)`;
}
