/**
 * Chrome trace-event JSON (the "JSON Object Format"), which Perfetto and chrome://tracing open: one
 * process per workload, one thread (track) per pod with its lifecycle phases as complete ("X") slices and
 * key moments as thread-scoped instant ("i") events, and risk windows as slices on a process of their own
 * (packed onto as few tracks as keep them from overlapping). Times are µs from the view's start; the
 * absolute origin is in `metadata`.
 */
import type { PodLane } from "../engine/types";
import type { TimeEstimate } from "../model/time";
import type { ExportInput } from "./types";

export interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "i" | "M";
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly s?: "t" | "p" | "g";
  readonly cat?: string;
  readonly args?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface TraceDocument {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: "ms";
  readonly metadata: Readonly<Record<string, string | number>>;
}

export function traceDocument(input: ExportInput): TraceDocument {
  const { doc } = input;
  const origin = doc.range.from;
  const us = (t: number) => Math.round((t - origin) * 1000);
  const end = Math.max(doc.range.to, Date.parse(doc.generatedFor.now) || doc.range.to);
  const events: TraceEvent[] = [];
  const workloads = [...new Set(doc.lanes.map((l) => `${l.namespace}/${l.workload}`))].sort();
  const pidOf = new Map(workloads.map((w, i) => [w, i + 1]));
  const nextTid = new Map<number, number>();
  for (const w of workloads) {
    const pid = pidOf.get(w) ?? 0;
    events.push({ name: "process_name", ph: "M", pid, tid: 0, args: { name: w } });
    events.push({ name: "process_sort_index", ph: "M", pid, tid: 0, args: { sort_index: pid } });
  }
  for (const lane of doc.lanes) {
    const pid = pidOf.get(`${lane.namespace}/${lane.workload}`) ?? 0;
    const tid = (nextTid.get(pid) ?? 0) + 1;
    nextTid.set(pid, tid);
    events.push({ name: "thread_name", ph: "M", pid, tid, args: { name: lane.name } });
    events.push({ name: "thread_sort_index", ph: "M", pid, tid, args: { sort_index: tid } });
    for (const p of lane.phases) {
      const stop = p.end ?? end;
      events.push({ name: p.kind, cat: "phase", ph: "X", pid, tid, ts: us(p.start), dur: Math.max(0, us(stop) - us(p.start)), args: { open: p.end === undefined, uid: lane.uid } });
    }
    for (const m of markers(lane)) events.push({ name: m.name, cat: "marker", ph: "i", s: "t", pid, tid, ts: us(m.t.at), args: { precision: m.t.precision, lo: new Date(m.t.range[0]).toISOString(), hi: new Date(m.t.range[1]).toISOString() } });
  }
  const riskPid = workloads.length + 1;
  events.push({ name: "process_name", ph: "M", pid: riskPid, tid: 0, args: { name: "Risk windows" } });
  events.push({ name: "process_sort_index", ph: "M", pid: riskPid, tid: 0, args: { sort_index: 0 } });
  const trackEnds: number[] = [];
  for (const w of doc.riskWindows) {
    const start = Date.parse(w.start);
    const stop = w.end === null ? end : Date.parse(w.end);
    let track = trackEnds.findIndex((e) => e <= start);
    if (track === -1) {
      track = trackEnds.length;
      trackEnds.push(stop);
      events.push({ name: "thread_name", ph: "M", pid: riskPid, tid: track + 1, args: { name: track === 0 ? "risk windows" : `risk windows (${track + 1})` } });
    } else trackEnds[track] = stop;
    events.push({
      name: `${w.rule} (${w.severity})`,
      cat: "risk",
      ph: "X",
      pid: riskPid,
      tid: track + 1,
      ts: us(start),
      dur: Math.max(0, us(stop) - us(start)),
      args: { id: w.id, confidence: w.confidence, pods: w.pods.join(", "), service: w.service, explanation: w.explanation, fix: w.fix },
    });
  }
  return {
    traceEvents: events,
    displayTimeUnit: "ms",
    // The view it was exported from (range = the visible window; ts 0 is its start).
    metadata: {
      "drainscope-cluster": input.cluster,
      "drainscope-origin": new Date(origin).toISOString(),
      "drainscope-origin-ms": origin,
      "drainscope-range-to-ms": doc.range.to,
      ...(input.view.pinned && input.view.pinned.length > 0 ? { "drainscope-pinned": input.view.pinned.join(",") } : {}),
    },
  };
}

export function markers(lane: PodLane): { name: string; t: TimeEstimate }[] {
  const k = lane.keyTimes;
  const out: { name: string; t: TimeEstimate | undefined }[] = [
    { name: "created", t: k.created },
    { name: "first ready", t: k.firstReady },
    { name: "disruption target", t: k.disruption },
    { name: k.deleteRequested?.force ? "force delete" : "delete requested", t: k.deleteRequested },
    { name: "killing (preStop)", t: k.killing },
    { name: "SIGTERM", t: k.sigterm },
    { name: k.exited ? `exit ${k.exited.exitCode}` : "exit", t: k.exited },
    { name: "removed", t: k.removed },
  ];
  return out.flatMap((m) => (m.t ? [{ name: m.name, t: m.t }] : []));
}

export function serializeTrace(input: ExportInput): string {
  return JSON.stringify(traceDocument(input)) + "\n";
}
