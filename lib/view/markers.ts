/** Point markers of a pod lane (design §6.5), derived once from its key times and shared by drawing, legend and hit testing. */
import type { PodLane } from "../engine/types";
import type { EpochMs, Precision } from "../model/time";

export type MarkerKind = "delete" | "killing" | "sigterm" | "exit" | "sigkill" | "removal";

export interface Marker {
  readonly kind: MarkerKind;
  readonly at: EpochMs;
  readonly range: readonly [EpochMs, EpochMs];
  readonly precision: Precision;
  /** Draw the uncertainty as a bracket (an estimated SIGTERM) rather than a whisker. */
  readonly bracket: boolean;
  readonly label: string;
  readonly detail: string;
}

export const MARKER_NAMES: Readonly<Record<MarkerKind, string>> = {
  delete: "delete requested",
  killing: "Killing (preStop starts)",
  sigterm: "SIGTERM",
  exit: "container exit",
  sigkill: "SIGKILL",
  removal: "pod removed",
};

/** Whiskers are drawn for times that are not exact (second stamps, estimates, inferences). */
export function hasWhisker(m: Marker): boolean {
  return m.precision !== "exact" && m.range[1] > m.range[0];
}

export function podMarkers(lane: PodLane): Marker[] {
  const k = lane.keyTimes;
  const out: Marker[] = [];
  if (k.deleteRequested) {
    const d = k.deleteRequested;
    out.push({ kind: "delete", at: d.at, range: d.range, precision: d.precision, bracket: false, label: "", detail: `grace ${d.graceSeconds} s${d.force ? ", force" : ""}` });
  }
  if (k.killing) {
    const x = k.killing;
    out.push({ kind: "killing", at: x.at, range: x.range, precision: x.precision, bracket: false, label: "", detail: `container ${x.container}${x.inferred ? " (inferred)" : ""}` });
  }
  if (k.sigterm) {
    const s = k.sigterm;
    const estimated = !s.exact || s.precision === "estimated" || s.precision === "inferred";
    out.push({ kind: "sigterm", at: s.at, range: s.range, precision: s.precision, bracket: estimated && s.range[1] > s.range[0], label: "", detail: `basis: ${s.basis}${s.exact ? "" : " (estimated)"}` });
  }
  if (k.exited) {
    const e = k.exited;
    out.push({ kind: k.killedBySigkill ? "sigkill" : "exit", at: e.at, range: e.range, precision: e.precision, bracket: false, label: String(e.exitCode), detail: `${e.container}: exit ${e.exitCode} ${e.reason}${k.killedAtDeadline ? " — killed at the grace deadline" : ""}` });
  }
  if (k.removed) {
    const r = k.removed;
    out.push({ kind: "removal", at: r.at, range: r.range, precision: r.precision, bracket: false, label: "", detail: `via ${r.via}` });
  }
  return out;
}
