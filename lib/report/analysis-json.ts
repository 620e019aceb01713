/**
 * The `drainscope analyze --json` document (also served by the timeline API): key times per
 * terminated pod, risk windows, episodes, lint and suggestions, with every time as ISO 8601.
 */
import type { Episode, LintFinding, PodLane, RiskWindow, Suggestion, Timeline } from "../engine/types";
import { formatIso, type TimeEstimate } from "../model/time";
import type { RiskRuleId, Severity } from "../rules/ids";

const iso = (t: number | undefined): string | null => (t === undefined ? null : formatIso(t));

export interface AnalysisPod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly workload: string;
  readonly revision: string | null;
  readonly node: string | null;
  readonly deleteRequestedAt: string | null;
  readonly graceSeconds: number | null;
  readonly forceDeleted: boolean;
  readonly killingAt: string | null;
  readonly sigterm: { readonly at: string; readonly range: readonly [string, string]; readonly exact: boolean; readonly basis: string } | null;
  readonly exitedAt: string | null;
  readonly exitCode: number | null;
  readonly exitReason: string | null;
  readonly killedBySigkill: boolean;
  readonly killedAtGraceDeadline: boolean;
  readonly removedAt: string | null;
  readonly removedVia: string | null;
  /** Container restarts without a deletion (liveness/startup probe): the kubelet's Killing, then the container back. */
  readonly restarts: readonly AnalysisRestart[];
  /** Precision of each key time: exact | second | estimated | inferred. */
  readonly precision: Readonly<Record<string, string>>;
}

export interface AnalysisRestart {
  readonly killingAt: string;
  /** Why the kubelet stopped the container, e.g. `probe-restart`. */
  readonly cause: string;
  readonly restartedAt: string | null;
  readonly precision: string;
}

export interface AnalysisWindow {
  readonly id: string;
  readonly rule: RiskRuleId;
  readonly severity: Severity;
  readonly start: string;
  readonly end: string | null;
  readonly durationMs: number | null;
  readonly namespace: string;
  readonly service: string | null;
  readonly lb: string | null;
  readonly pods: readonly string[];
  readonly podUids: readonly string[];
  readonly confidence: string;
  readonly explanation: string;
  readonly fix: string | null;
  readonly evidence: readonly string[];
}

export interface AnalysisDocument {
  readonly generatedFor: { readonly now: string };
  readonly summary: { readonly pods: number; readonly terminations: number; readonly restarts: number; readonly riskWindows: Readonly<Record<string, number>> };
  readonly pods: readonly AnalysisPod[];
  readonly riskWindows: readonly AnalysisWindow[];
  readonly episodes: readonly (Omit<Episode, "start" | "end"> & { start: string; end: string | null })[];
  readonly lint: readonly LintFinding[];
  readonly suggestions: readonly Suggestion[];
}

export function isTerminated(lane: PodLane): boolean {
  const k = lane.keyTimes;
  return Boolean(k.deleteRequested ?? k.killing ?? k.removed);
}

/** A pod `analyze --json` lists by default: it was terminated, or a container of it was stopped and restarted. */
export function hadTermination(lane: PodLane): boolean {
  return isTerminated(lane) || lane.restarts.length > 0;
}

function precisionOf(entries: Record<string, TimeEstimate | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) if (v) out[k] = v.precision;
  return out;
}

export function toAnalysisPod(lane: PodLane): AnalysisPod {
  const k = lane.keyTimes;
  return {
    uid: lane.uid,
    namespace: lane.namespace,
    name: lane.name,
    workload: lane.workload,
    revision: lane.revision ?? null,
    node: lane.node ?? null,
    deleteRequestedAt: iso(k.deleteRequested?.at),
    graceSeconds: k.graceSeconds ?? null,
    forceDeleted: k.deleteRequested?.force ?? false,
    killingAt: iso(k.killing?.at),
    sigterm: k.sigterm
      ? { at: formatIso(k.sigterm.at), range: [formatIso(k.sigterm.range[0]), formatIso(k.sigterm.range[1])], exact: k.sigterm.exact, basis: k.sigterm.basis }
      : null,
    exitedAt: iso(k.exited?.at),
    exitCode: k.exited?.exitCode ?? null,
    exitReason: k.exited?.reason ?? null,
    killedBySigkill: k.killedBySigkill,
    killedAtGraceDeadline: k.killedAtDeadline,
    removedAt: iso(k.removed?.at),
    removedVia: k.removed?.via ?? null,
    restarts: lane.restarts.map((r) => ({ killingAt: formatIso(r.killing.at), cause: r.killing.cause, restartedAt: iso(r.restartedAt), precision: r.killing.precision })),
    precision: precisionOf({ deleteRequestedAt: k.deleteRequested, killingAt: k.killing, sigterm: k.sigterm, exitedAt: k.exited, removedAt: k.removed }),
  };
}

export function toAnalysisWindow(w: RiskWindow): AnalysisWindow {
  return {
    id: w.id,
    rule: w.rule,
    severity: w.severity,
    start: formatIso(w.start),
    end: iso(w.end),
    durationMs: w.durationMs ?? null,
    namespace: w.namespace,
    service: w.service ?? null,
    lb: w.lb ?? null,
    pods: w.pods.map((p) => p.name),
    podUids: w.pods.map((p) => p.uid),
    confidence: w.confidence,
    explanation: w.explanation,
    fix: w.fix ?? null,
    evidence: w.evidence,
  };
}

export function toAnalysisDocument(t: Timeline, opts: { allPods?: boolean } = {}): AnalysisDocument {
  const pods = t.pods.filter((l) => opts.allPods || hadTermination(l));
  const { generatedFor, summary, ...rest } = analysisWithoutPods(t);
  return { generatedFor, summary, pods: pods.map(toAnalysisPod), ...rest };
}

/** The analysis document but its `pods` list (every pod again, times as ISO strings): the timeline page draws lanes instead. */
export function analysisWithoutPods(t: Timeline): Omit<AnalysisDocument, "pods"> {
  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, info: 0 };
  for (const w of t.riskWindows) bySeverity[w.severity] = (bySeverity[w.severity] ?? 0) + 1;
  return {
    generatedFor: { now: formatIso(t.now) },
    summary: { pods: t.pods.length, terminations: t.pods.filter(isTerminated).length, restarts: t.pods.reduce((n, l) => n + l.restarts.length, 0), riskWindows: bySeverity },
    riskWindows: t.riskWindows.map(toAnalysisWindow),
    episodes: t.episodes.map((e) => ({ ...e, start: formatIso(e.start), end: iso(e.end) })),
    lint: t.lint,
    suggestions: t.suggestions,
  };
}
