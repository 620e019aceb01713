/**
 * A pod's lifecycle bar: pending → serving (or unready) → terminating (delete seen, kubelet not yet
 * acting) → preStop → draining (after SIGTERM) → exited → (gone: nothing drawn). The last phase stays
 * open until something ends it.
 */
import type { PodEvents } from "./collect";
import type { LifecyclePhase, LifecyclePhaseKind, PodKeyTimes } from "./types";

interface Mark {
  readonly t: number;
  readonly kind: LifecyclePhaseKind | "gone";
}

export function buildPhases(p: PodEvents, k: PodKeyTimes): LifecyclePhase[] {
  const marks: Mark[] = [];
  const start = k.created?.at ?? p.firstSeen?.at;
  if (start !== undefined) marks.push({ t: start, kind: "pending" });
  const terminationStart = k.deleteRequested?.at ?? k.killing?.at;
  for (const r of p.ready) {
    if (terminationStart !== undefined && r.at >= terminationStart) break;
    marks.push({ t: r.at, kind: r.ready ? "serving" : "unready" });
  }
  if (k.deleteRequested) marks.push({ t: k.deleteRequested.at, kind: "terminating" });
  if (k.killing) marks.push({ t: k.killing.at, kind: "prestop" });
  if (k.sigterm) marks.push({ t: k.sigterm.at, kind: "draining" });
  if (k.exited) marks.push({ t: k.exited.at, kind: "exited" });
  if (k.removed) marks.push({ t: k.removed.at, kind: "gone" });
  // Clocks differ (node vs apiserver vs watcher): keep the lifecycle order and never go back in time.
  const phases: LifecyclePhase[] = [];
  let cursor = Number.NEGATIVE_INFINITY;
  for (const m of marks) {
    const t = Math.max(m.t, cursor);
    cursor = t;
    const open = phases.at(-1);
    if (open && open.end === undefined) {
      if (open.kind === m.kind) continue;
      phases[phases.length - 1] = { kind: open.kind, start: open.start, end: t };
    }
    if (m.kind !== "gone") phases.push({ kind: m.kind, start: t });
  }
  return phases.filter((ph) => ph.end === undefined || ph.end > ph.start || ph.kind === "exited");
}
