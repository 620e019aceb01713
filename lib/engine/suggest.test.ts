// Suggested preStop sleep and grace from measured propagation (design §1, §5): "preStop sleep of 5 s is
// shorter than the 11 s the LB took to drop the pod: raise it to 15 s". Following a suggestion must clear
// the sigterm-before-deregistration window it was made from.
import { describe, expect, it } from "vitest";
import type { PreStopSummary } from "../model/events";
import { at, EventLog, windowRows } from "../testing/event-builder";
import { computeTimeline } from "./timeline";
import type { EngineOptions } from "./types";

const sleep = (s: number): PreStopSummary => ({ kind: "sleep", sleepSeconds: s, sleepOnly: true });

/**
 * Pod deleted at 10 s; endpoint not ready at 10.3 s; a cloud LB drops its member at `lbGone`
 * (propagation = lbGone − 10 s); the app exits `drain` seconds after SIGTERM.
 */
function measured(preStop: PreStopSummary, lbGone: number, drain = 1, grace = 30): EventLog {
  const log = new EventLog();
  log.pod("web-keep", { preStop, grace, ip: "10.4.0.2" }).serving(1);
  const p = log.pod("web-1", { preStop, grace, ip: "10.4.0.3" }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true);
  p.exit(10 + (preStop.sleepSeconds ?? 0) + drain);
  log.lb("10.4.0.3:8080", "active", 2, { source: "cloud-lb", lb: "alb-web" }).lb("10.4.0.3:8080", "removed", lbGone, { source: "cloud-lb", lb: "alb-web" });
  return log;
}

function run(log: EventLog, opts: Omit<EngineOptions, "now"> = {}) {
  return computeTimeline(log.events, { now: at(300), ...opts });
}

describe("suggestions", () => {
  it("preStop sleep 5 s, LB took 11 s → suggest 15 s (11 s + 2 s budget, rounded up to 5 s)", () => {
    expect(run(measured(sleep(5), 21)).suggestions).toEqual([
      {
        namespace: "default",
        workload: "web",
        measuredPropagationMs: 11_000,
        measuredDrainMs: 1000,
        currentPreStopSleepSeconds: 5,
        suggestedPreStopSleepSeconds: 15,
        currentGraceSeconds: 30,
        suggestedGraceSeconds: 30,
        needsChange: true,
        message: "web: preStop sleep of 5 s is shorter than the 11.0 s routing took to drop a pod (+2 s): raise it to 15 s.",
      },
    ]);
  });

  it("following the suggestion clears the SIGTERM window", () => {
    expect(windowRows(run(measured(sleep(5), 21)).riskWindows, "sigterm-before-deregistration")).toHaveLength(1);
    expect(windowRows(run(measured(sleep(15), 21)).riskWindows, "sigterm-before-deregistration")).toEqual([]);
  });

  it("a long drain raises the grace too: sleep 15 + drain 25 + 5 → 45 s", () => {
    const [s] = run(measured(sleep(5), 21, 25)).suggestions;
    expect([s?.suggestedPreStopSleepSeconds, s?.measuredDrainMs, s?.suggestedGraceSeconds, s?.message]).toEqual([
      15,
      25_000,
      45,
      "web: preStop sleep of 5 s is shorter than the 11.0 s routing took to drop a pod (+2 s): raise it to 15 s and terminationGracePeriodSeconds to 45 s.",
    ]);
  });

  it("no preStop at all → add one of at least 5 s", () => {
    const [s] = run(measured({ kind: "none" }, 10.4)).suggestions;
    expect([s?.currentPreStopSleepSeconds, s?.suggestedPreStopSleepSeconds, s?.needsChange, s?.message]).toEqual([
      0,
      5,
      true,
      "web: no preStop sleep, and routing took up to 0.4 s to drop a pod (+2 s for consumers to catch up): add a preStop sleep of 5 s.",
    ]);
  });

  it("settings that already cover the propagation need no change", () => {
    const [s] = run(measured(sleep(5), 10.5)).suggestions;
    expect([s?.suggestedPreStopSleepSeconds, s?.suggestedGraceSeconds, s?.needsChange, s?.message]).toEqual([
      5,
      30,
      false,
      "web: routing dropped pods within 0.5 s; a preStop sleep of 5 s and a grace of 30 s cover it (current settings are enough).",
    ]);
  });

  it("uses the service's own budget (seed 000: 10 s): 11 s + 10 s → 25 s (grace 25 + 1 + 5 → 35 s), and that clears the window", () => {
    const opts = { serviceBudgetsMs: { "default/web": 10_000 } };
    const [s] = run(measured(sleep(5), 21), opts).suggestions;
    expect([s?.suggestedPreStopSleepSeconds, s?.suggestedGraceSeconds]).toEqual([25, 35]);
    expect(s?.message).toBe("web: preStop sleep of 5 s is shorter than the 11.0 s routing took to drop a pod (+10 s): raise it to 25 s and terminationGracePeriodSeconds to 35 s.");
    expect(windowRows(run(measured(sleep(20), 21), opts).riskWindows, "sigterm-before-deregistration")).toHaveLength(1);
    expect(windowRows(run(measured(sleep(25), 21), opts).riskWindows, "sigterm-before-deregistration")).toEqual([]);
  });

  it("no suggestion for a workload that never left routing while observed", () => {
    const log = new EventLog();
    log.pod("web-1").serving(1);
    expect(run(log).suggestions).toEqual([]);
  });
});
