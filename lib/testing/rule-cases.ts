/** Shared scaffolding of the rule table tests: one case shape, one way to compute a rule's windows. */
import { computeTimeline } from "../engine/timeline";
import type { EngineOptions } from "../engine/types";
import type { PreStopSummary } from "../model/events";
import type { RiskRuleId } from "../rules/ids";
import { at, EventLog, windowRows, type WindowRow } from "./event-builder";

export interface RuleCase {
  readonly name: string;
  readonly build: (log: EventLog) => void;
  readonly expected: readonly WindowRow[];
  readonly opts?: Omit<EngineOptions, "now">;
  /** Seconds from T0; default 300. */
  readonly now?: number;
}

/** The windows of one rule, for a case's event log. */
export function windowsOf(c: RuleCase, rule: RiskRuleId): WindowRow[] {
  const log = new EventLog();
  c.build(log);
  return windowRows(computeTimeline(log.events, { now: at(c.now ?? 300), ...c.opts }).riskWindows, rule);
}

export const SLEEP_5: PreStopSummary = { kind: "sleep", sleepSeconds: 5, sleepOnly: true };
