import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import type { MemberSnapshot } from "../../lib/lb/members";
import { startLbPoller, type LbSource } from "./poller";

/** A source that answers from a script: a member list, or an error. */
function scripted(answers: (MemberSnapshot[] | Error)[]): LbSource {
  let i = 0;
  return {
    name: "edge",
    kind: "test",
    read: async () => {
      const a = answers[Math.min(i++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a ?? [];
    },
  };
}

const member = (state: MemberSnapshot["state"]): MemberSnapshot => ({ lb: "web", source: "test", member: "10.0.0.1:80", state });

describe("LB poller", () => {
  it("an outage keeps the last snapshot, records a gap [last good poll, next good poll] and widens the change's range", async () => {
    let now = 10_000;
    const out: LifecycleEvent[] = [];
    const p = startLbPoller(
      { source: scripted([[member("active")], new Error("connect ECONNREFUSED"), new Error("connect ECONNREFUSED"), [member("draining")]]), cluster: "c", intervalMs: 1000, now: () => now, sink: (e) => out.push(...e) },
      { autoStart: false },
    );
    await p.pollOnce();
    now = 11_000;
    await p.pollOnce();
    expect(p.health).toMatchObject({ polls: 1, errors: 1, failingSince: 10_000, lastError: "connect ECONNREFUSED", lastSuccessAt: 10_000 });
    expect(p.openGap()).toMatchObject({ type: "watcher-gap", resource: "lb:edge", from: 10_000, reason: "LB source edge did not answer: connect ECONNREFUSED" });
    expect(p.openGap()?.to).toBeUndefined();
    now = 12_000;
    await p.pollOnce();
    now = 13_000;
    await p.pollOnce();
    expect(out.map((e) => (e.type === "watcher-gap" ? `gap ${e.resource} ${e.from}-${e.to}` : e.type === "lb-member-changed" ? `${e.state} ${e.range.join("-")}` : e.type))).toEqual([
      "active 10000-10000",
      "gap lb:edge 10000-13000",
      "draining 10000-13000",
    ]);
    expect(p.health).toMatchObject({ polls: 2, errors: 2, gaps: 1, failingSince: undefined, members: 1 });
    expect(p.openGap()).toBeUndefined();
    await p.stop();
  });

  it("stopping while the source is down closes the gap at the stop", async () => {
    let now = 0;
    const out: LifecycleEvent[] = [];
    const p = startLbPoller({ source: scripted([[member("active")], new Error("boom")]), cluster: "c", intervalMs: 1000, now: () => now, sink: (e) => out.push(...e) }, { autoStart: false });
    await p.pollOnce();
    now = 1_000;
    await p.pollOnce();
    now = 5_000;
    await p.stop();
    expect(out.at(-1)).toMatchObject({ type: "watcher-gap", from: 0, to: 5_000, resource: "lb:edge" });
  });

  it("polls on the injected sleep until stopped", async () => {
    let now = 0;
    let polls = 0;
    const source: LbSource = { name: "s", kind: "test", read: async () => (polls++, [member("active")]) };
    const p = startLbPoller({
      source,
      cluster: "c",
      intervalMs: 500,
      now: () => now,
      sink: () => {},
      sleep: async (ms) => {
        now += ms;
        await new Promise((r) => setImmediate(r));
      },
    });
    for (let i = 0; i < 100 && polls < 5; i++) await new Promise((r) => setImmediate(r));
    await p.stop();
    expect(polls).toBeGreaterThanOrEqual(5);
    expect(p.health.lastSuccessAt).toBeGreaterThanOrEqual(2_000);
  });
});
