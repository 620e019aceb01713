import { describe, expect, it } from "vitest";
import { eventProblem } from "./event-checks";
import { isClusterName, isNamespace, isPodName, toClusterName } from "./names";
import { at, EventLog } from "../testing/event-builder";
import { timeProblem } from "./time-limits";

describe("name rules", () => {
  it.each([
    ["prod", true],
    ["kind-dev.eu_1", true],
    ["gke:proj:zone", true],
    ["a", true],
    ["x".repeat(253), true],
    ["x".repeat(254), false],
    ["", false],
    ["-prod", false],
    ["prod.", false],
    ["a/b", false],
    ["../../etc/passwd", false],
    ["a..b", false],
    ["with space", false],
  ])("cluster %j → %s", (name, ok) => expect(isClusterName(name)).toBe(ok));

  it.each([
    ["default", true],
    ["kube-system", true],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
    ["Default", false],
    ["a.b", false],
    ["a_b", false],
    ["-a", false],
    ["", false],
  ])("namespace %j → %s", (name, ok) => expect(isNamespace(name)).toBe(ok));

  it.each([
    ["web-5984d6875f-f8f44", true],
    ["a.b-c", true],
    ["a..b", false],
    ["Web", false],
    ["web_1", false],
    ["a/b", false],
    ["", false],
  ])("pod %j → %s", (name, ok) => expect(isPodName(name)).toBe(ok));

  it.each([
    ["incident 42", "incident-42"],
    ["../../x..y", "x.y"],
    ["--", undefined],
    ["ünïcode", "n-code"],
  ])("toClusterName(%j) → %j", (raw, want) => expect(toClusterName(raw)).toBe(want));
});

describe("time rules", () => {
  const now = Date.UTC(2026, 11, 6);
  it.each([
    [Date.UTC(2000, 0, 1), undefined],
    [Date.UTC(2000, 0, 1) - 1, "946684799999 is not a valid time (before 2000-01-01)"],
    [Date.UTC(2100, 0, 1), "4102444800000 is not a valid time (after 2100-01-01)"],
    [9_000_000_000_000_000, "9000000000000000 is not a valid time (after 2100-01-01)"],
    [Number.NaN, "NaN is not a valid time (not a finite number of epoch milliseconds)"],
    ["2026-01-01", '"2026-01-01" is not a valid time (not a finite number of epoch milliseconds)'],
  ])("%j → %j", (v, want) => expect(timeProblem(v)).toBe(want));

  it("refuses more than 5 minutes after now only when now is given", () => {
    expect(timeProblem(now + 5 * 60_000, { now })).toBeUndefined();
    expect(timeProblem(now + 5 * 60_000 + 1, { now })).toBe(`${now + 300_001} is not a valid time (more than 5 minutes after the server's clock, 2026-12-06T00:00:00.000Z)`);
    expect(timeProblem(now + 3600_000)).toBeUndefined();
  });

  it("checks events built from outside data by the same rules", () => {
    const log = new EventLog("prod");
    log.pod("web-1").delete(5);
    const del = log.events.find((e) => e.type === "delete-requested");
    if (!del || del.type !== "delete-requested") throw new Error("fixture");
    expect(eventProblem(del)).toBeUndefined();
    expect(eventProblem({ ...del, range: [at(6), at(5)] })).toBe(`range: [${at(6)}, ${at(5)}] is inverted (range[0] is after range[1])`);
    expect(eventProblem({ ...del, deadline: 9e15 })).toBe("deadline: 9000000000000000 is not a valid time (after 2100-01-01)");
    expect(eventProblem({ ...del, graceSeconds: -1 })).toBe("graceSeconds: -1 is not a valid duration (0 to 315360000 seconds)");
    expect(eventProblem({ ...del, cluster: "a/b" })).toMatch(/^cluster: "a\/b" is not a valid cluster name/);
    expect(eventProblem({ ...del, pod: "Web" })).toMatch(/^pod: "Web" is not a valid pod name/);
  });
});
