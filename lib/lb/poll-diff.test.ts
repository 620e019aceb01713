import { describe, expect, it } from "vitest";
import type { MemberSnapshot } from "./members";
import { applyPoll, initialPollState } from "./poll-diff";

const m = (member: string, state: MemberSnapshot["state"], connections?: number): MemberSnapshot => ({
  lb: "be_web",
  source: "haproxy",
  member,
  state,
  ...(connections !== undefined ? { connections } : {}),
});
const target = { cluster: "prod", namespace: "shop" };

describe("poll → diff → observations", () => {
  it("first poll: members stamped exactly at that poll; later changes carry [previous poll, this poll]", () => {
    const first = applyPoll(initialPollState, [m("10.0.0.1:80", "active", 2), m("10.0.0.2:80", "active", 1)], 1_000, target);
    expect(first.events.map((e) => [e.member, e.state, e.at, e.range, e.precision])).toEqual([
      ["10.0.0.1:80", "active", 1_000, [1_000, 1_000], "exact"],
      ["10.0.0.2:80", "active", 1_000, [1_000, 1_000], "exact"],
    ]);
    const quiet = applyPoll(first.state, [m("10.0.0.1:80", "active", 2), m("10.0.0.2:80", "active", 1)], 3_000, target);
    expect(quiet.events).toEqual([]);
    const drained = applyPoll(quiet.state, [m("10.0.0.1:80", "draining", 2)], 5_000, target);
    expect(drained.events).toEqual([
      expect.objectContaining({ member: "10.0.0.1:80", state: "draining", connections: 2, at: 5_000, range: [3_000, 5_000], precision: "estimated", clock: "watcher", namespace: "shop", cluster: "prod", seq: 2, observedAt: 5_000 }),
      expect.objectContaining({ member: "10.0.0.2:80", state: "removed", connections: 0, at: 5_000, range: [3_000, 5_000], seq: 3 }),
    ]);
    expect(drained.events[0]?.id).toBe("lb:haproxy:be_web:10.0.0.1:80:5000:draining:2");
  });

  it("a member listed out of rotation (removed) and then deleted from the table is reported once", () => {
    const a = applyPoll(initialPollState, [m("10.0.0.1:80", "active")], 0, target);
    const b = applyPoll(a.state, [m("10.0.0.1:80", "removed")], 1_000, target);
    expect(b.events.map((e) => e.state)).toEqual(["removed"]);
    const c = applyPoll(b.state, [], 2_000, target);
    expect(c.events).toEqual([]);
  });

  it("a node agent's polls are on the node's clock", () => {
    const a = applyPoll(initialPollState, [m("10.0.0.1:80", "active")], 0, { cluster: "c", clock: "node" });
    const b = applyPoll(a.state, [m("10.0.0.1:80", "draining")], 1_000, { cluster: "c", clock: "node" });
    expect(b.events[0]).toMatchObject({ clock: "node", range: [0, 1_000], namespace: "" });
  });
});
