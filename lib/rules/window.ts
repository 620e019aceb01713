/** Building risk windows: deterministic ids, severity from the rule, confidence from bounds and gaps. */
import { overlaps } from "../engine/intervals";
import type { Confidence, GapInterval, Interval, RiskWindow } from "../engine/types";
import type { EpochMs } from "../model/time";
import { RISK_RULES, type RiskRuleId } from "./ids";

export interface WindowDraft {
  readonly rule: RiskRuleId;
  readonly start: EpochMs;
  readonly end?: EpochMs;
  readonly namespace: string;
  readonly service?: string;
  readonly lb?: string;
  readonly pods: readonly { readonly uid: string; readonly name: string }[];
  /** A bound is estimated or inferred, or the window's existence hinges on a time's uncertainty. */
  readonly uncertain: boolean;
  readonly explanation: string;
  readonly fix?: string;
  readonly evidence: readonly string[];
}

export function makeWindow(d: WindowDraft, gaps: readonly GapInterval[]): RiskWindow {
  const interval: Interval = d.end === undefined ? { start: d.start } : { start: d.start, end: Math.max(d.end, d.start) };
  const inGap = d.rule !== "unobserved" && gaps.some((g) => overlaps(g, interval) || (interval.end === interval.start && overlaps(g, { start: interval.start, end: interval.start + 1 })));
  const confidence: Confidence = d.uncertain || inGap ? "possible" : "certain";
  const subject = d.pods.map((p) => p.uid).join(",") || `${d.namespace}/${d.service ?? d.lb ?? ""}`;
  return {
    id: `${d.rule}:${subject}:${d.start}`,
    rule: d.rule,
    severity: RISK_RULES[d.rule],
    ...interval,
    ...(interval.end !== undefined ? { durationMs: interval.end - interval.start } : {}),
    namespace: d.namespace,
    ...(d.service ? { service: d.service } : {}),
    ...(d.lb ? { lb: d.lb } : {}),
    pods: d.pods,
    confidence,
    explanation: inGap ? `${d.explanation} The watcher was not connected for part of this window.` : d.explanation,
    ...(d.fix ? { fix: d.fix } : {}),
    evidence: d.evidence,
  };
}
