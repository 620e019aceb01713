// The per-workload termination-config lint of design §5: one workload per check, plus one that passes all.
import { describe, expect, it } from "vitest";
import type { PodOptions } from "../testing/event-builder";
import { at, EventLog } from "../testing/event-builder";
import { computeTimeline } from "./timeline";

const SLEEP_5 = { kind: "sleep", sleepSeconds: 5, sleepOnly: true } as const;

/** One pod of workload `wl` (ReplicaSet `${wl}-abc123`) behind Service `wl`, unless `routed` is false. */
function workload(log: EventLog, wl: string, opts: PodOptions = {}, routed = true) {
  const p = log.pod(`${wl}-abc123-x1`, { preStop: SLEEP_5, replicaSet: `${wl}-abc123`, ...opts });
  return routed ? p.serving(1, wl) : p.ready(1);
}

function findings(build: (log: EventLog) => void) {
  const log = new EventLog();
  build(log);
  return computeTimeline(log.events, { now: at(300) }).lint.map((l) => [l.workload, l.check, l.severity]);
}

describe("config lint", () => {
  it.each([
    { name: "no preStop behind a Service", build: (log: EventLog) => void workload(log, "nopre", { preStop: { kind: "none" } }), expected: [["nopre", "no-prestop", "warning"]] },
    { name: "no preStop but not routed → nothing", build: (log: EventLog) => void workload(log, "batch", { preStop: { kind: "none" } }, false), expected: [] },
    { name: "preStop sleep ≥ grace", build: (log: EventLog) => void workload(log, "longsleep", { preStop: { kind: "sleep", sleepSeconds: 30, sleepOnly: true }, grace: 30 }), expected: [["longsleep", "prestop-exceeds-grace", "warning"]] },
    { name: "preStop sleep 1 s under grace → nothing", build: (log: EventLog) => void workload(log, "okSleep", { preStop: { kind: "sleep", sleepSeconds: 29, sleepOnly: true }, grace: 30 }), expected: [] },
    { name: "no readiness probe", build: (log: EventLog) => void workload(log, "noready", { readinessProbe: false }), expected: [["noready", "no-readiness-probe", "warning"]] },
    {
      name: "a single replica",
      build: (log: EventLog) => {
        log.deployment("single", 1);
        workload(log, "single");
      },
      expected: [["single", "single-replica", "warning"]],
    },
    {
      name: "two replicas → nothing",
      build: (log: EventLog) => {
        log.deployment("pair", 2);
        workload(log, "pair");
      },
      expected: [],
    },
    {
      name: "externalTrafficPolicy: Local",
      build: (log: EventLog) => {
        log.service("local", { externalTrafficPolicy: "Local" });
        workload(log, "local");
      },
      expected: [["local", "external-traffic-policy-local", "info"]],
    },
    {
      name: "externalTrafficPolicy: Cluster → nothing",
      build: (log: EventLog) => {
        log.service("cluster", { externalTrafficPolicy: "Cluster" });
        workload(log, "cluster");
      },
      expected: [],
    },
    { name: "grace shorter than the measured drain (SIGKILL at the deadline)", build: (log: EventLog) => void workload(log, "slowdrain").delete(10).killing(10).exit(40, 137), expected: [["slowdrain", "grace-shorter-than-drain", "warning"]] },
    { name: "a clean config → nothing", build: (log: EventLog) => void workload(log, "good").delete(10).killing(10).endpoint(10.3, false, true, true, "good").exit(16), expected: [] },
  ])("$name", ({ build, expected }) => expect(findings(build)).toEqual(expected));

  it("says what to change", () => {
    const log = new EventLog();
    workload(log, "longsleep", { preStop: { kind: "sleep", sleepSeconds: 30, sleepOnly: true }, grace: 30 });
    const [f] = computeTimeline(log.events, { now: at(300) }).lint;
    expect(f).toMatchObject({ id: "default/longsleep/prestop-exceeds-grace", namespace: "default", fix: "Raise terminationGracePeriodSeconds to at least 45 s." });
  });

  it("lints each workload once, from its newest pod spec", () => {
    const log = new EventLog();
    workload(log, "web", { preStop: { kind: "none" } });
    log.pod("web-def456-x2", { preStop: SLEEP_5, replicaSet: "web-def456", createdAt: 50 }).serving(52, "web", 50.1);
    log.pod("web-def456-x3", { preStop: SLEEP_5, replicaSet: "web-def456", createdAt: 60, readinessProbe: false }).serving(62, "web", 60.1);
    expect(computeTimeline(log.events, { now: at(300) }).lint.map((l) => [l.workload, l.check])).toEqual([["web", "no-readiness-probe"]]);
  });
});
