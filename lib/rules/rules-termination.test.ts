// Table tests for the rules about how a pod's processes end (design §5): killed-at-grace-deadline,
// drain-outlives-pod, ghost-container and restart-blackhole. Exact windows, as in rules.test.ts.
import { describe, expect, it } from "vitest";
import { SLEEP_5, windowsOf, type RuleCase } from "../testing/rule-cases";
import { EventLog, row } from "../testing/event-builder";




describe("killed-at-grace-deadline: exit 137 (not OOM) at Killing + grace − 1 s or later, from SIGTERM to the kill", () => {
  const R = "killed-at-grace-deadline";
  const cases: RuleCase[] = [
    {
      name: "no preStop, grace 30 s: SIGKILL at 40 s",
      build: (log) => log.pod("p").serving(1).delete(10).killing(10).exit(40, 137),
      expected: [row(R, 10, 40, 30_000, "high", "certain", ["p"])],
    },
    {
      name: "preStop sleep 5 s: the window runs from SIGTERM (15 s)",
      build: (log) => log.pod("p", { preStop: SLEEP_5 }).serving(1).delete(10).killing(10).exit(40, 137),
      expected: [row(R, 15, 40, 25_000, "high", "certain", ["p"])],
    },
    {
      name: "boundary: exit stamped at Killing + grace − 1 s still counts (the stamps are ±1 s)",
      build: (log) => log.pod("p").serving(1).delete(10).killing(10).exit(39, 137),
      expected: [row(R, 10, 39, 29_000, "high", "certain", ["p"])],
    },
    {
      name: "boundary: exit 137 at Killing + grace − 2 s is an early kill, not the deadline",
      build: (log) => log.pod("p").serving(1).delete(10).killing(10).exit(38, 137),
      expected: [],
    },
    {
      name: "OOMKilled at the deadline is memory, not the grace period",
      build: (log) => log.pod("p").serving(1).delete(10).killing(10).exit(40, 137, "OOMKilled"),
      expected: [],
    },
    {
      name: "exit 143 (died of SIGTERM) → no window",
      build: (log) => log.pod("p").serving(1).delete(10).killing(10).exit(11, 143),
      expected: [],
    },
    {
      name: "exit 0 just before the deadline → no window",
      build: (log) => log.pod("p").serving(1).delete(10).killing(10).exit(39, 0),
      expected: [],
    },
    {
      name: "a delete with a shorter grace (10 s) than the spec sets the deadline",
      build: (log) => log.pod("p").serving(1).delete(10, 10).killing(10).exit(20, 137),
      expected: [row(R, 10, 20, 10_000, "high", "certain", ["p"])],
    },
    {
      name: "preStop sleep = grace: SIGTERM at the deadline, SIGKILL 2 s later",
      build: (log) => log.pod("p", { preStop: { kind: "sleep", sleepSeconds: 30, sleepOnly: true } }).serving(1).delete(10).killing(10).exit(42, 137),
      expected: [row(R, 40, 42, 2000, "high", "certain", ["p"])],
    },
    {
      name: "preStop sleep 45 s > grace 30 s: the kubelet cuts the hook at the deadline (SIGTERM 40 s), SIGKILL 2 s later",
      build: (log) => log.pod("p", { preStop: { kind: "sleep", sleepSeconds: 45, sleepOnly: true } }).serving(1).delete(10).killing(10).exit(42, 137),
      expected: [row(R, 40, 42, 2000, "high", "certain", ["p"])],
    },
    {
      name: "exec preStop that is not a sleep: SIGTERM estimated → possible",
      build: (log) => log.pod("p", { preStop: { kind: "exec", command: "/app/drain.sh" } }).serving(1).delete(10).killing(10).exit(40, 137),
      expected: [row(R, 10, 40, 30_000, "high", "possible", ["p"])],
    },
  ];
  it.each(cases)("$name", (c) => expect(windowsOf(c, R)).toEqual(c.expected));
});

describe("drain-outlives-pod: an LB member still holds connections after the pod's containers exited", () => {
  const R = "drain-outlives-pod";
  const IPVS = { source: "ipvs", lb: "10.96.0.10:80" } as const;
  const M = "10.1.0.7:8080";
  /** preStop sleep 5 s: SIGTERM 15 s, exit 16 s; IPVS real server active from 2 s, weight 0 at 10.9 s. */
  const drained = (log: EventLog, connections: number) => {
    log.pod("p", { preStop: SLEEP_5, ip: "10.1.0.7" }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true).exit(16);
    log.lb(M, "active", 2, { ...IPVS, weight: 1, connections: 30 }).lb(M, "draining", 10.9, { ...IPVS, weight: 0, connections });
  };
  const cases: RuleCase[] = [
    {
      name: "IPVS weight 0 with connections until the real server is deleted at 40 s",
      build: (log) => {
        drained(log, 12);
        log.lb(M, "removed", 40, IPVS);
      },
      expected: [row(R, 16, 40, 24_000, "high", "certain", ["p"])],
    },
    {
      name: "connections reached 0 before the exit → no window",
      build: (log) => {
        drained(log, 12);
        log.lb(M, "draining", 15, { ...IPVS, weight: 0, connections: 0 }).lb(M, "removed", 40, IPVS);
      },
      expected: [],
    },
    {
      name: "successive polls that only change the count are one window, ending when the count hits 0",
      build: (log) => {
        drained(log, 40);
        log
          .lb(M, "draining", 30, { ...IPVS, weight: 0, connections: 22 })
          .lb(M, "draining", 60, { ...IPVS, weight: 0, connections: 3 })
          .lb(M, "draining", 90, { ...IPVS, weight: 0, connections: 0 })
          .lb(M, "removed", 120, IPVS);
      },
      expected: [row(R, 16, 90, 74_000, "high", "certain", ["p"])],
    },
    {
      name: "a draining member with unknown connections (ELB deregistration delay) counts",
      build: (log) => {
        log.pod("p", { preStop: SLEEP_5, ip: "10.1.0.7" }).serving(1).delete(10).killing(10).exit(16);
        log.lb(M, "active", 2, { source: "aws-elbv2" }).lb(M, "draining", 11, { source: "aws-elbv2" }).lb(M, "removed", 30, { source: "aws-elbv2" });
      },
      expected: [row(R, 16, 30, 14_000, "high", "certain", ["p"])],
    },
    {
      name: "unhealthy with connections after the exit counts; unhealthy with none does not",
      build: (log) => {
        log.pod("p", { preStop: SLEEP_5, ip: "10.1.0.7" }).serving(1).delete(10).killing(10).exit(16);
        log.lb(M, "active", 2).lb(M, "unhealthy", 18, { connections: 3 }).lb(M, "unhealthy", 25, { connections: 0 }).lb(M, "removed", 35);
      },
      expected: [row(R, 18, 25, 7000, "high", "certain", ["p"])],
    },
    {
      name: "an active member after the exit is dead-but-routed, not a drain",
      build: (log) => {
        log.pod("p", { preStop: SLEEP_5, ip: "10.1.0.7" }).serving(1).delete(10).killing(10).exit(16);
        log.lb(M, "active", 2, { connections: 5 }).lb(M, "removed", 25);
      },
      expected: [],
    },
    {
      name: "open interval: still draining at `now`",
      build: (log) => drained(log, 12),
      now: 60,
      expected: [row(R, 16, undefined, undefined, "high", "certain", ["p"])],
    },
    {
      name: "exit unseen and removal known only from a relist → possible, from the inferred removal",
      build: (log) => {
        log.pod("p", { preStop: SLEEP_5, ip: "10.1.0.7" }).serving(1).delete(10).killing(10).removedByRelist(20, 26);
        log.lb(M, "active", 2, IPVS).lb(M, "draining", 10.9, { ...IPVS, weight: 0, connections: 4 }).lb(M, "removed", 50, IPVS);
      },
      expected: [row(R, 20, 50, 30_000, "high", "possible", ["p"])],
    },
  ];
  it.each(cases)("$name", (c) => expect(windowsOf(c, R)).toEqual(c.expected));
});

describe("ghost-container: after a force delete, the process may run on for the spec grace", () => {
  const R = "ghost-container";
  const cases: RuleCase[] = [
    {
      name: "force delete, exit never seen: the full 30 s spec grace, possible",
      build: (log) => log.pod("p").serving(1).forceDelete(10).removed(10.1),
      expected: [row(R, 10, 40, 30_000, "medium", "possible", ["p"])],
    },
    {
      name: "spec grace 60 s",
      build: (log) => log.pod("p", { grace: 60 }).serving(1).forceDelete(10).removed(10.1),
      expected: [row(R, 10, 70, 60_000, "medium", "possible", ["p"])],
    },
    {
      name: "an exit seen earlier ends the window",
      build: (log) => log.pod("p").serving(1).forceDelete(10).removed(10.1).killing(10).exit(13, 143),
      expected: [row(R, 10, 13, 3000, "medium", "possible", ["p"])],
    },
    {
      name: "a graceful delete → no window",
      build: (log) => log.pod("p").serving(1).delete(10).killing(10).exit(12).removed(12.5),
      expected: [],
    },
  ];
  it.each(cases)("$name", (c) => expect(windowsOf(c, R)).toEqual(c.expected));
});

describe("restart-blackhole: a liveness/startup restart (Killing without deletion) while the endpoint is still ready", () => {
  const R = "restart-blackhole";
  const cases: RuleCase[] = [
    {
      name: "liveness restart at 20 s, endpoint not ready at 23.5 s",
      build: (log) => log.pod("p").serving(1).killing(20, "probe-restart").endpoint(23.5, false, false, false).started(25).ready(30).endpoint(30.05, true),
      expected: [row(R, 20, 23.5, 3500, "medium", "certain", ["p"])],
    },
    {
      name: "container back (started) before the endpoint noticed: ends at the restart",
      build: (log) => log.pod("p").serving(1).killing(20, "probe-restart").started(22),
      expected: [row(R, 20, 22, 2000, "medium", "certain", ["p"])],
    },
    {
      name: "readiness failed before the restart → no window",
      build: (log) => log.pod("p").serving(1).endpoint(18, false, false, false).killing(20, "probe-restart").started(22),
      expected: [],
    },
    {
      name: "boundary: endpoint not ready exactly at the Killing stamp → no window",
      build: (log) => log.pod("p").serving(1).endpoint(20, false, false, false).killing(20, "probe-restart").started(22),
      expected: [],
    },
    {
      name: "open interval: still ready and not back at `now`",
      build: (log) => log.pod("p").serving(1).killing(20, "probe-restart"),
      now: 60,
      expected: [row(R, 20, undefined, undefined, "medium", "certain", ["p"])],
    },
    {
      name: "an order-inferred end → possible",
      build: (log) => log.pod("p").serving(1).killing(20, "probe-restart").endpointInferred(23, 24, false),
      expected: [row(R, 20, 23, 3000, "medium", "possible", ["p"])],
    },
    {
      name: "the Killing of a deletion is not a restart",
      build: (log) => log.pod("p", { preStop: SLEEP_5 }).serving(1).delete(20).killing(20).endpoint(20.3, false, true, true),
      expected: [],
    },
  ];
  it.each(cases)("$name", (c) => expect(windowsOf(c, R)).toEqual(c.expected));
});
