/**
 * Ingest's time check, which needs the server's clock (passed in: lib/ is clock-free): a reported time
 * must lie between 2000-01-01 and a few minutes after `now` (lib/model/time-limits.ts). Messages name the
 * field as the body spells it, e.g. `members.0.at: 9000000000000000 is not a valid time (after 2100-01-01)`.
 */
import type { LbIngest, SignalIngest } from "../api/contracts";
import { timeProblem } from "../model/time-limits";

const atProblem = (field: string, at: number | undefined, now: number): string | undefined => {
  if (at === undefined) return undefined;
  const p = timeProblem(at, { now });
  return p ? `${field}: ${p}` : undefined;
};

export function signalTimeProblem(body: SignalIngest, now: number): string | undefined {
  return atProblem("at", body.at, now);
}

/** Each member's `at` and `since` (a poller's previous poll), and `since` not after `at`. */
export function lbTimeProblem(body: LbIngest, now: number): string | undefined {
  for (let i = 0; i < body.members.length; i++) {
    const m = body.members[i];
    if (!m) continue;
    const p = atProblem(`members.${i}.at`, m.at, now) ?? atProblem(`members.${i}.since`, m.since, now);
    if (p) return p;
    if (m.since !== undefined && m.at !== undefined && m.since > m.at) return `members.${i}.since: ${m.since} is after at: ${m.at} (the range is inverted)`;
  }
  return undefined;
}
