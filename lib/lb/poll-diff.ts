/**
 * The pure half of every polled LB source: one poll's members → diff against the previous poll →
 * LB-member observations. A change seen by polling happened after the previous successful poll and by
 * this one, so its `range` is [previous poll, this poll] and its precision `estimated` (the best estimate
 * is this poll: the moment it was certainly true). The first poll only says "already so when we looked",
 * stamped at that poll. Clock-free: the caller passes the poll times.
 */
import type { LbMemberChanged } from "../model/events";
import { exactTime, rangeTime, type Clock, type EpochMs, type TimeEstimate } from "../model/time";
import { diffMembers, type MemberChange, type MemberSnapshot } from "./members";

export interface PollState {
  readonly previous: ReadonlyMap<string, MemberSnapshot>;
  /** Time of the last successful poll; undefined before the first. */
  readonly lastPollAt?: EpochMs;
  /** Arrival order of the observations this source has emitted. */
  readonly seq: number;
}

export interface PollTarget {
  readonly cluster: string;
  /** Namespace recorded on members that do not carry their own (e.g. the LB's Service's namespace). */
  readonly namespace?: string;
  /** Whose clock the poll times are on: the poller's ("watcher") or a node agent's ("node"). */
  readonly clock?: Clock;
}

export const initialPollState: PollState = { previous: new Map(), seq: 0 };

/** When a change seen at `pollAt` happened, given the previous successful poll. */
export function pollTime(lastPollAt: EpochMs | undefined, pollAt: EpochMs, clock: Clock = "watcher"): TimeEstimate {
  if (lastPollAt === undefined || lastPollAt >= pollAt) return exactTime(pollAt, clock);
  return rangeTime(lastPollAt, pollAt, clock, "estimated", pollAt);
}

export function memberObservation(c: MemberChange, t: TimeEstimate, target: PollTarget, observedAt: EpochMs, seq: number): LbMemberChanged {
  return {
    id: `lb:${c.source}:${c.lb}:${c.member}:${t.at}:${c.state}:${c.connections ?? ""}`,
    cluster: target.cluster,
    namespace: c.namespace ?? target.namespace ?? "",
    source: c.source,
    ...t,
    observedAt,
    seq,
    type: "lb-member-changed",
    lbSource: c.source,
    lb: c.lb,
    member: c.member,
    state: c.state,
    ...(c.weight !== undefined ? { weight: c.weight } : {}),
    ...(c.connections !== undefined ? { connections: c.connections } : {}),
    ...(c.service ? { service: c.service } : {}),
  };
}

/** Apply one successful poll: the observations it yields and the state for the next one. */
export function applyPoll(state: PollState, members: readonly MemberSnapshot[], pollAt: EpochMs, target: PollTarget): { events: LbMemberChanged[]; state: PollState } {
  const { changes, next } = diffMembers(state.previous, members);
  const t = pollTime(state.lastPollAt, pollAt, target.clock);
  let seq = state.seq;
  const events = changes.map((c) => memberObservation(c, t, target, pollAt, seq++));
  return { events, state: { previous: next, lastPollAt: pollAt, seq } };
}
