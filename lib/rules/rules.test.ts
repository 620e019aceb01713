// Table tests for the routing rules of design §5: dead-but-routed, sigterm-before-deregistration and
// slow-endpoint-removal. Every case builds a lifecycle-event log by hand (times in seconds from T0) and
// asserts the exact windows of the rule under test: interval, duration, severity, confidence and pods.
import { describe, expect, it } from "vitest";
import { SLEEP_5, windowsOf, type RuleCase } from "../testing/rule-cases";
import { EventLog, row, type PodBuilder } from "../testing/event-builder";
import { RISK_RULE_IDS, RISK_RULES } from "./ids";



const NGINX_QUIT = { kind: "exec", command: "/usr/sbin/nginx -s quit" } as const;

/** A pod that became ready at 1 s and is listed ready from 1.05 s. */
function servingPod(log: EventLog, name: string, opts: Parameters<EventLog["pod"]>[1] = {}): PodBuilder {
  return log.pod(name, opts).serving(1);
}

describe("rule catalogue", () => {
  it("has every rule of design §5 with its severity", () => {
    expect(RISK_RULES).toEqual({
      "dead-but-routed": "critical",
      "sigterm-before-deregistration": "high",
      "killed-at-grace-deadline": "high",
      "drain-outlives-pod": "high",
      "no-ready-endpoints": "critical",
      "fallback-to-terminating": "medium",
      "slow-endpoint-removal": "medium",
      "ghost-container": "medium",
      "restart-blackhole": "medium",
      unobserved: "info",
    });
    expect(RISK_RULE_IDS).toHaveLength(10);
  });
});

describe("dead-but-routed: from the exit (or removal) while an EndpointSlice lists the pod ready or an LB member is active", () => {
  const R = "dead-but-routed";
  const cases: RuleCase[] = [
    {
      name: "EndpointSlice still lists the pod ready 3 s after its container exited",
      build: (log) => servingPod(log, "p").delete(10).killing(10).exit(12).endpoint(15, false, false, true),
      expected: [row(R, 12, 15, 3000, "critical", "certain", ["p"])],
    },
    {
      name: "an LB member stays active 7 s after the exit",
      build: (log) => {
        servingPod(log, "p", { ip: "10.1.0.7" }).delete(10).killing(10).endpoint(10.3, false, true, true).exit(11);
        log.lb("10.1.0.7:8080", "active", 2).lb("10.1.0.7:8080", "removed", 18);
      },
      expected: [row(R, 11, 18, 7000, "critical", "certain", ["p"])],
    },
    {
      name: "no window when every routing set dropped the pod before it exited",
      build: (log) => {
        servingPod(log, "p", { ip: "10.1.0.7" }).delete(10).killing(10).endpoint(10.3, false, true, true).exit(11);
        log.lb("10.1.0.7:8080", "active", 2).lb("10.1.0.7:8080", "removed", 10.8);
      },
      expected: [],
    },
    {
      name: "serving-but-terminating is not routing for new connections: no window",
      build: (log) => servingPod(log, "p").delete(10).killing(10).endpoint(10.3, false, true, true).exit(12),
      expected: [],
    },
    {
      name: "boundary: routing ends exactly at the exit stamp → no window",
      build: (log) => servingPod(log, "p").delete(10).killing(10).endpoint(12, false, false, true).exit(12),
      expected: [],
    },
    {
      name: "boundary: routing ends inside the exit's second → window, only possible (exit may be as late as 12.999)",
      build: (log) => servingPod(log, "p").delete(10).killing(10).exit(12).endpoint(12.5, false, false, true),
      expected: [row(R, 12, 12.5, 500, "critical", "possible", ["p"])],
    },
    {
      name: "open interval: the LB member is still active at `now` → end undefined",
      build: (log) => {
        servingPod(log, "p", { ip: "10.1.0.7" }).delete(10).killing(10).endpoint(10.3, false, true, true).exit(11);
        log.lb("10.1.0.7:8080", "active", 2);
      },
      now: 60,
      expected: [row(R, 11, undefined, undefined, "critical", "certain", ["p"])],
    },
    {
      name: "exit unseen: from the pod's removal, and only possible",
      build: (log) => {
        servingPod(log, "p", { ip: "10.1.0.7" }).delete(10).killing(10).endpoint(10.3, false, true, true).removed(20);
        log.lb("10.1.0.7:8080", "active", 2).lb("10.1.0.7:8080", "removed", 25);
      },
      expected: [row(R, 20, 25, 5000, "critical", "possible", ["p"])],
    },
    {
      name: "an order-inferred end (endpointInferred) makes it possible",
      build: (log) => servingPod(log, "p").delete(10).killing(10).exit(12).endpointInferred(14, 16, false, false, true),
      expected: [row(R, 12, 14, 2000, "critical", "possible", ["p"])],
    },
  ];
  it.each(cases)("$name", (c) => expect(windowsOf(c, R)).toEqual(c.expected));
});

describe("sigterm-before-deregistration: from SIGTERM until out of every ready/active set + the propagation budget", () => {
  const R = "sigterm-before-deregistration";
  const cases: RuleCase[] = [
    {
      name: "no preStop: SIGTERM at Killing, endpoint not ready 0.4 s later → window to 0.4 s + 2 s",
      build: (log) => servingPod(log, "p").delete(10).killing(10).endpoint(10.4, false, true, true).exit(11),
      expected: [row(R, 10, 12.4, 2400, "high", "certain", ["p"])],
    },
    {
      name: "boundary (in-pod report): SIGTERM at deregistration + 2 s exactly → no window",
      build: (log) => servingPod(log, "p", { preStop: NGINX_QUIT }).delete(10).killing(10).endpoint(10.4, false, true, true).signal("sigterm-received", 12.4),
      expected: [],
    },
    {
      name: "boundary (in-pod report): SIGTERM 1 ms before deregistration + 2 s → a 1 ms window, certain",
      build: (log) => servingPod(log, "p", { preStop: NGINX_QUIT }).delete(10).killing(10).endpoint(10.4, false, true, true).signal("sigterm-received", 12.399),
      expected: [row(R, 12.399, 12.4, 1, "high", "certain", ["p"])],
    },
    {
      name: "boundary (stamped): preStop sleep 2 s puts SIGTERM at 12 s, deregistered at 10.000 → no window",
      build: (log) => servingPod(log, "p", { preStop: { kind: "sleep", sleepSeconds: 2, sleepOnly: true } }).delete(10).killing(10).endpoint(10, false, true, true),
      expected: [],
    },
    {
      name: "boundary (stamped): deregistered 1 ms later → 1 ms window, possible (SIGTERM's stamp reaches past the end)",
      build: (log) => servingPod(log, "p", { preStop: { kind: "sleep", sleepSeconds: 2, sleepOnly: true } }).delete(10).killing(10).endpoint(10.001, false, true, true),
      expected: [row(R, 12, 12.001, 1, "high", "possible", ["p"])],
    },
    {
      name: "preStop sleep 5 s outlasts endpoint propagation → no window",
      build: (log) => servingPod(log, "p", { preStop: SLEEP_5 }).delete(10).killing(10).endpoint(10.4, false, true, true),
      expected: [],
    },
    {
      name: "per-service budget 10 s (seed 000's gateways): the same 5 s sleep is too short",
      build: (log) => servingPod(log, "p", { preStop: SLEEP_5 }).delete(10).killing(10).endpoint(10.4, false, true, true),
      opts: { serviceBudgetsMs: { "default/web": 10_000 } },
      expected: [row(R, 15, 20.4, 5400, "high", "certain", ["p"])],
    },
    {
      name: "an override can also shorten the budget (1 s)",
      build: (log) => servingPod(log, "p").delete(10).killing(10).endpoint(10.4, false, true, true),
      opts: { serviceBudgetsMs: { "default/web": 1000 } },
      expected: [row(R, 10, 11.4, 1400, "high", "certain", ["p"])],
    },
    {
      name: "a budget override for another service does not apply",
      build: (log) => servingPod(log, "p", { preStop: SLEEP_5 }).delete(10).killing(10).endpoint(10.4, false, true, true),
      opts: { serviceBudgetsMs: { "default/other": 10_000, "prod/web": 10_000 } },
      expected: [],
    },
    {
      name: "global propagationBudgetMs 6 s",
      build: (log) => servingPod(log, "p", { preStop: SLEEP_5 }).delete(10).killing(10).endpoint(10.4, false, true, true),
      opts: { propagationBudgetMs: 6000 },
      expected: [row(R, 15, 16.4, 1400, "high", "certain", ["p"])],
    },
    {
      name: "pod behind two services, one overridden to 1 s: the other keeps the 2 s default, the larger wins",
      build: (log) =>
        log.pod("p").serving(1, "web").serving(1, "web-internal").delete(10).killing(10).endpoint(10.4, false, true, true, "web").endpoint(10.4, false, true, true, "web-internal"),
      opts: { serviceBudgetsMs: { "default/web-internal": 1000 } },
      expected: [row(R, 10, 12.4, 2400, "high", "certain", ["p"])],
    },
    {
      name: "an LB member active after the endpoint left keeps the pod routable",
      build: (log) => {
        servingPod(log, "p", { preStop: SLEEP_5, ip: "10.1.0.7" }).delete(10).killing(10).endpoint(10.4, false, true, true);
        log.lb("10.1.0.7:8080", "active", 2).lb("10.1.0.7:8080", "removed", 16);
      },
      expected: [row(R, 15, 18, 3000, "high", "certain", ["p"])],
    },
    {
      name: "open interval: still active in the LB at `now` → end undefined",
      build: (log) => {
        servingPod(log, "p", { ip: "10.1.0.7" }).delete(10).killing(10).endpoint(10.4, false, true, true);
        log.lb("10.1.0.7:8080", "active", 2);
      },
      now: 60,
      expected: [row(R, 10, undefined, undefined, "high", "certain", ["p"])],
    },
    {
      name: "boundary: unready exactly 1 s before the delete stamp (the slack) → not routable then, no window",
      build: (log) => servingPod(log, "p").endpoint(9, false, false, false).delete(10).killing(10),
      expected: [],
    },
    {
      name: "boundary: unready 1 ms inside the slack → consumers may route until 9.001 + 2 s",
      build: (log) => servingPod(log, "p").endpoint(9.001, false, false, false).delete(10).killing(10),
      expected: [row(R, 10, 11.001, 1001, "high", "certain", ["p"])],
    },
    {
      name: "not routable when its termination began (readiness failed at 5 s) → no window",
      build: (log) => servingPod(log, "p").endpoint(5, false, false, false).delete(10).killing(10),
      expected: [],
    },
    {
      name: "exec preStop that is not a sleep: SIGTERM only known as an interval → possible, from its lower bound",
      build: (log) => servingPod(log, "p", { preStop: NGINX_QUIT }).delete(10).killing(10).endpoint(10.4, false, true, true).exit(13),
      expected: [row(R, 10, 12.4, 2400, "high", "possible", ["p"])],
    },
    {
      name: "exec preStop, exit at 11 s: SIGTERM surely inside the window, but its start is estimated → possible",
      build: (log) => servingPod(log, "p", { preStop: NGINX_QUIT }).delete(10).killing(10).endpoint(10.4, false, true, true).exit(11),
      expected: [row(R, 10, 12.4, 2400, "high", "possible", ["p"])],
    },
    {
      name: "exec `sleep 15 && nginx -s quit`: SIGTERM no earlier than 25 s → no window",
      build: (log) =>
        servingPod(log, "p", { preStop: { kind: "exec", sleepSeconds: 15, sleepOnly: false, command: "sh -c 'sleep 15 && /usr/sbin/nginx -s quit'" } })
          .delete(10).killing(10).endpoint(10.4, false, true, true).exit(27),
      expected: [],
    },
    {
      name: "order-inferred deregistration (endpointInferred) → possible",
      build: (log) => servingPod(log, "p").delete(10).killing(10).endpointInferred(10.5, 11, false, true, true),
      expected: [row(R, 10, 12.5, 2500, "high", "possible", ["p"])],
    },
    {
      name: "Killing never seen: SIGTERM inferred from the delete → possible",
      build: (log) => servingPod(log, "p").delete(10).endpoint(10.4, false, true, true),
      expected: [row(R, 10, 12.4, 2400, "high", "possible", ["p"])],
    },
  ];
  it.each(cases)("$name", (c) => expect(windowsOf(c, R)).toEqual(c.expected));
});

describe("slow-endpoint-removal: delete request → endpoint not ready, when longer than 1 s", () => {
  const R = "slow-endpoint-removal";
  const pod = (log: EventLog) => servingPod(log, "p", { preStop: { kind: "sleep", sleepSeconds: 15, sleepOnly: true }, ip: "10.1.0.7" });
  const cases: RuleCase[] = [
    {
      name: "boundary: not ready exactly 1 s after the delete → no window",
      build: (log) => pod(log).delete(10).killing(10).endpoint(11, false, true, true),
      expected: [],
    },
    {
      name: "1 ms over the stamp → no window: the request may have come up to 999 ms after its whole-second stamp",
      build: (log) => pod(log).delete(10).killing(10).endpoint(11.001, false, true, true),
      expected: [],
    },
    {
      name: "boundary: 1 s after the latest possible request time → no window; 1 ms more → window",
      build: (log) => {
        pod(log).delete(10).killing(10).endpoint(11.999, false, true, true);
        servingPod(log, "q", { preStop: { kind: "sleep", sleepSeconds: 15, sleepOnly: true }, ip: "10.1.0.8" }).delete(10).killing(10).endpoint(12.0, false, true, true);
      },
      expected: [row(R, 10, 12.0, 2000, "medium", "certain", ["q"])],
    },
    {
      name: "2.5 s of controller lag, more than the stamp's slack → certain",
      build: (log) => pod(log).delete(10).killing(10).endpoint(12.5, false, true, true),
      expected: [row(R, 10, 12.5, 2500, "medium", "certain", ["p"])],
    },
    {
      name: "slowEndpointRemovalMs 5 s raises the threshold → no window",
      build: (log) => pod(log).delete(10).killing(10).endpoint(12.5, false, true, true),
      opts: { slowEndpointRemovalMs: 5000 },
      expected: [],
    },
    {
      name: "open interval: still listed ready at `now`",
      build: (log) => pod(log).delete(10).killing(10),
      now: 60,
      expected: [row(R, 10, undefined, undefined, "medium", "possible", ["p"])],
    },
    {
      name: "order-inferred removal from the ready set → possible",
      build: (log) => pod(log).delete(10).killing(10).endpointInferred(13, 14, false, true, true),
      expected: [row(R, 10, 13, 3000, "medium", "possible", ["p"])],
    },
    {
      name: "force delete is not measured (the object is gone at once) → no window",
      build: (log) => pod(log).forceDelete(10).endpoint(13, false, true, true),
      expected: [],
    },
    {
      name: "already not ready when deleted → no window",
      build: (log) => pod(log).endpoint(5, false, false, false).delete(10).killing(10),
      expected: [],
    },
    {
      name: "only EndpointSlices count: a slow LB is not endpoint lag",
      build: (log) => {
        pod(log).delete(10).killing(10).endpoint(10.3, false, true, true);
        log.lb("10.1.0.7:8080", "active", 2).lb("10.1.0.7:8080", "removed", 20);
      },
      expected: [],
    },
  ];
  it.each(cases)("$name", (c) => expect(windowsOf(c, R)).toEqual(c.expected));
});
