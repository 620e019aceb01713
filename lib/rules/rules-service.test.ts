// Table tests for the per-service rules (no-ready-endpoints, fallback-to-terminating), the watcher-gap
// rule (unobserved) and how a gap lowers every overlapping window's confidence to "possible".
import { describe, expect, it } from "vitest";
import { computeTimeline } from "../engine/timeline";
import { SLEEP_5, windowsOf, type RuleCase } from "../testing/rule-cases";
import { at, EventLog, row, windowRows, type WindowRow } from "../testing/event-builder";
import { exactTime } from "../model/time";




/**
 * The only pod of Service web ("old", preStop sleep 5 s) is deleted at 10 s: not ready 10.3 s, stops
 * serving at `stopsServing`, removed from the slice 0.5 s later. A replacement ("new") is listed at 10.6 s
 * and becomes ready at `newReady` (listed ready 50 ms later), or never when undefined.
 */
function replaced(log: EventLog, stopsServing: number, newReady: number | undefined): void {
  log.pod("old", { preStop: SLEEP_5 }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true).endpoint(stopsServing, false, false, true).endpointRemoved(stopsServing + 0.5);
  if (newReady !== undefined) log.pod("new", { createdAt: 10.5 }).serving(newReady, "web", 10.6);
}

describe("no-ready-endpoints and fallback-to-terminating (per service)", () => {
  const cases: (RuleCase & { readonly fallback: readonly WindowRow[] })[] = [
    {
      name: "the only pod leaves; its replacement is ready 3.75 s later; the old one serves throughout",
      build: (log) => replaced(log, 16, 14),
      expected: [row("no-ready-endpoints", 10.3, 14.05, 3750, "critical", "certain", ["old", "new"])],
      fallback: [row("fallback-to-terminating", 10.3, 14.05, 3750, "medium", "certain", ["old", "new"])],
    },
    {
      name: "the terminating pod stops serving at 12 s: fallback ends there, the outage does not",
      build: (log) => replaced(log, 12, 14),
      expected: [row("no-ready-endpoints", 10.3, 14.05, 3750, "critical", "certain", ["old", "new"])],
      fallback: [row("fallback-to-terminating", 10.3, 12, 1700, "medium", "certain", ["old", "new"])],
    },
    {
      name: "the replacement was ready first (maxSurge 1, maxUnavailable 0) → no window",
      build: (log) => {
        log.pod("new", { createdAt: 5 }).serving(8, "web", 5.1);
        log.pod("old", { preStop: SLEEP_5 }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true).endpoint(16, false, false, true).endpointRemoved(16.5);
      },
      expected: [],
      fallback: [],
    },
    {
      name: "open interval: no replacement by `now`; fallback ends when the old pod stops serving",
      build: (log) => replaced(log, 16, undefined),
      now: 60,
      expected: [row("no-ready-endpoints", 10.3, undefined, undefined, "critical", "certain", ["old"])],
      fallback: [row("fallback-to-terminating", 10.3, 16, 5700, "medium", "certain", ["old"])],
    },
    {
      name: "a new service whose first pod is not ready yet is not an outage (hadReady)",
      build: (log) => log.pod("first").serving(5),
      expected: [],
      fallback: [],
    },
    {
      name: "a pod that never became ready → no window",
      build: (log) => log.pod("first").endpoint(0.1, false, false, false),
      expected: [],
      fallback: [],
    },
    {
      name: "a Service without a selector → no window",
      build: (log) => {
        log.service("web", { hasSelector: false });
        replaced(log, 16, 14);
      },
      expected: [],
      fallback: [],
    },
    {
      name: "a pod listed in two slices counts once, in its best state: one slice still ready → no window",
      build: (log) =>
        log.pod("p").endpoint(0.1, true, true, false, "web", "web-a").endpoint(0.1, true, true, false, "web", "web-b").endpoint(10, false, false, false, "web", "web-a"),
      expected: [],
      fallback: [],
    },
    {
      name: "order-inferred start (endpointInferred) → possible",
      build: (log) => {
        log.pod("old", { preStop: SLEEP_5 }).serving(1).delete(10).killing(10).endpointInferred(10.3, 11, false, true, true).endpoint(16, false, false, true);
        log.pod("new", { createdAt: 10.5 }).serving(14, "web", 10.6);
      },
      expected: [row("no-ready-endpoints", 10.3, 14.05, 3750, "critical", "possible", ["old", "new"])],
      fallback: [row("fallback-to-terminating", 10.3, 14.05, 3750, "medium", "possible", ["old", "new"])],
    },
  ];
  it.each(cases)("no-ready-endpoints: $name", (c) => expect(windowsOf(c, "no-ready-endpoints")).toEqual(c.expected));
  it.each(cases)("fallback-to-terminating: $name", (c) => expect(windowsOf(c, "fallback-to-terminating")).toEqual(c.fallback));

  it("names the service and leaves lb unset", () => {
    const log = new EventLog();
    replaced(log, 16, 14);
    const w = computeTimeline(log.events, { now: at(300) }).riskWindows.filter((x) => x.rule === "no-ready-endpoints" || x.rule === "fallback-to-terminating");
    // Same start: ordered by id.
    expect(w.map((x) => [x.rule, x.namespace, x.service, x.lb])).toEqual([
      ["fallback-to-terminating", "default", "web", undefined],
      ["no-ready-endpoints", "default", "web", undefined],
    ]);
  });
});

describe("unobserved: the watcher was disconnected or relisting", () => {
  const cases: RuleCase[] = [
    { name: "a closed gap is an info window, certain", build: (log) => void log.gap(30, 45), expected: [row("unobserved", 30, 45, 15_000, "info", "certain", [])] },
    { name: "a gap still open at `now` has no end", build: (log) => void log.gap(30, undefined), now: 60, expected: [row("unobserved", 30, undefined, undefined, "info", "certain", [])] },
    { name: "no gap → no window", build: (log) => void log.pod("p").serving(1), expected: [] },
  ];
  it.each(cases)("$name", (c) => expect(windowsOf(c, "unobserved")).toEqual(c.expected));
});

describe("confidence: certain when every bound is observed, possible when a window overlaps a watcher gap", () => {
  /** dead-but-routed [12, 15], certain on its own. */
  const deadButRouted = (log: EventLog): EventLog => {
    log.pod("p").serving(1).delete(10).killing(10).exit(12).endpoint(15, false, false, true);
    return log;
  };
  const cases: (RuleCase & { readonly note: boolean })[] = [
    { name: "no gap → certain", build: (log) => void deadButRouted(log), expected: [row("dead-but-routed", 12, 15, 3000, "critical", "certain", ["p"])], note: false },
    {
      name: "a gap over its end → possible",
      build: (log) => void deadButRouted(log).gap(14, 20),
      expected: [row("dead-but-routed", 12, 15, 3000, "critical", "possible", ["p"])],
      note: true,
    },
    {
      name: "a gap ending 1 ms into it → possible",
      build: (log) => void deadButRouted(log).gap(5, 12.001),
      expected: [row("dead-but-routed", 12, 15, 3000, "critical", "possible", ["p"])],
      note: true,
    },
    {
      name: "a gap that starts exactly at its end → still certain",
      build: (log) => void deadButRouted(log).gap(15, 20),
      expected: [row("dead-but-routed", 12, 15, 3000, "critical", "certain", ["p"])],
      note: false,
    },
    {
      name: "a gap long after it → still certain",
      build: (log) => void deadButRouted(log).gap(100, 110),
      expected: [row("dead-but-routed", 12, 15, 3000, "critical", "certain", ["p"])],
      note: false,
    },
    {
      name: "a gap still open from before it → possible",
      build: (log) => void deadButRouted(log).gap(11, undefined),
      expected: [row("dead-but-routed", 12, 15, 3000, "critical", "possible", ["p"])],
      note: true,
    },
  ];
  it.each(cases)("$name", (c) => {
    expect(windowsOf(c, "dead-but-routed")).toEqual(c.expected);
    const log = new EventLog();
    c.build(log);
    const w = computeTimeline(log.events, { now: at(300) }).riskWindows.find((x) => x.rule === "dead-but-routed");
    expect(w?.explanation.endsWith("The watcher was not connected for part of this window.")).toBe(c.note);
  });

  it("an open window is lowered by a gap that starts after its start", () => {
    const log = new EventLog();
    log.pod("p", { ip: "10.1.0.7" }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true).exit(11);
    log.lb("10.1.0.7:8080", "active", 2).gap(40, 45);
    expect(windowRows(computeTimeline(log.events, { now: at(60) }).riskWindows, "dead-but-routed")).toEqual([
      row("dead-but-routed", 11, undefined, undefined, "critical", "possible", ["p"]),
    ]);
  });
});

describe("service teardown is not an outage", () => {
  it("endpoints dropped when the Service is deleted, and after, give no window; a re-created Service counts again", () => {
    const log = new EventLog();
    log.service("web");
    const a = log.pod("a").serving(1);
    // Teardown: the Service is deleted, its slice goes 0.4 s later on another stream.
    log.push({ id: "svc:web:deleted", namespace: "default", source: "service", ...exactTime(at(20), "watcher"), type: "service-seen", name: "web", uid: "svc-web", hasSelector: true, serviceType: "ClusterIP", publishNotReadyAddresses: false, deleted: true });
    a.endpointRemoved(20.4);
    // Re-created later with a new pod, which then loses its endpoint: that one is a real outage.
    log.push({ id: "svc:web:again", namespace: "default", source: "service", ...exactTime(at(30), "watcher"), type: "service-seen", name: "web", uid: "svc-web-2", hasSelector: true, serviceType: "ClusterIP", publishNotReadyAddresses: false, deleted: false });
    const b = log.pod("b").serving(31);
    b.endpoint(40, false, false, false);
    const tl = computeTimeline(log.events, { now: at(60) });
    expect(tl.riskWindows.filter((w) => w.rule === "no-ready-endpoints").map((w) => [w.start, w.end])).toEqual([[at(40), undefined]]);
  });
});

describe("explanations of windows that have not ended", () => {
  it("say so in plain words (they read 'for still open')", () => {
    const explain = (newReady: number | undefined) => {
      const log = new EventLog();
      replaced(log, 16, newReady);
      return computeTimeline(log.events, { now: at(60) }).riskWindows.find((w) => w.rule === "no-ready-endpoints")?.explanation;
    };
    expect(explain(undefined)).toBe("Service web had no ready endpoint so far (still open): new connections were refused or sent only to terminating pods.");
    expect(explain(14)).toBe("Service web had no ready endpoint for 3.8 s: new connections were refused or sent only to terminating pods.");
  });
});
