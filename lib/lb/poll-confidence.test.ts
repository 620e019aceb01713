// A polled LB change is known only between two polls: a window whose end is such a change is `possible`,
// the same window from an exactly-timed source `certain` (seed 000's shape: the pod exits while still active).
import { describe, expect, it } from "vitest";
import { computeTimeline } from "../engine/timeline";
import { at, EventLog, row, windowRows } from "../testing/event-builder";
import type { MemberSnapshot } from "./members";
import { applyPoll, initialPollState } from "./poll-diff";

function incident(pollEverySeconds: number | undefined): EventLog {
  const log = new EventLog();
  const old = log.pod("web-old", { ip: "10.0.1.5" }).serving(1);
  old.delete(20).killing(20).endpoint(20.2, false, true, true).exit(21).endpoint(21.5, false, false, true).endpointRemoved(22).removed(22.5);
  const member = (state: MemberSnapshot["state"]): MemberSnapshot => ({ lb: "edge", source: "haproxy", member: "10.0.1.5:80", state, service: "web" });
  if (pollEverySeconds === undefined) {
    log.lb("10.0.1.5:80", "active", 2, { source: "haproxy", lb: "edge" });
    log.lb("10.0.1.5:80", "removed", 30, { source: "haproxy", lb: "edge" });
    return log;
  }
  // Polls at 2 s, 2 s + n, …: the member is gone at the first poll at or after 30 s.
  let state = initialPollState;
  for (let t = 2; t <= 40; t += pollEverySeconds) {
    const r = applyPoll(state, t < 30 ? [member("active")] : [], at(t), { cluster: "test", namespace: "default" });
    state = r.state;
    for (const e of r.events) log.events.push(e);
  }
  return log;
}

describe("confidence of windows bounded by a polled LB change", () => {
  it("exact LB times: certain; the same removal seen by a 2 s poll: possible, ending at the poll that saw it", () => {
    const exact = computeTimeline(incident(undefined).events, { now: at(300) });
    expect(windowRows(exact.riskWindows, "dead-but-routed")).toEqual([row("dead-but-routed", 21, 30, 9_000, "critical", "certain", ["web-old"])]);
    const polled = computeTimeline(incident(2).events, { now: at(300) });
    expect(windowRows(polled.riskWindows, "dead-but-routed")).toEqual([row("dead-but-routed", 21, 30, 9_000, "critical", "possible", ["web-old"])]);
    const coarse = computeTimeline(incident(4).events, { now: at(300) });
    expect(windowRows(coarse.riskWindows, "dead-but-routed")).toEqual([row("dead-but-routed", 21, 30, 9_000, "critical", "possible", ["web-old"])]);
  });
});
