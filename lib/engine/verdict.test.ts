// Verdicts say what is known: CLEAN needs finished terminations whose routing track was observed; a risk
// window decides; otherwise `in-progress` (live) or `incomplete`, each with its reason in plain words.
import { describe, expect, it } from "vitest";
import { at, EventLog } from "../testing/event-builder";
import { computeTimeline } from "./timeline";
import { formatVerdict } from "./verdict";

const SLEEP_5 = { kind: "sleep", sleepSeconds: 5, sleepOnly: true } as const;

type Build = (log: EventLog) => void;

/** A graceful stop at 10 s with its routing track: not ready 0.3 s later, exit after the sleep, removal. */
const cleanStop: Build = (log) => {
  log.pod("web-stay", { preStop: SLEEP_5 }).serving(1);
  log.pod("web-a", { preStop: SLEEP_5, ip: "10.0.0.21" }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true).exit(16).endpoint(16.2, false, false, true).endpointRemoved(16.5).removed(16.8);
};

const CASES: readonly { name: string; build: Build; live?: boolean; now?: number; verdict: string; reason?: string }[] = [
  { name: "terminations and their EndpointSlices observed", build: cleanStop, verdict: "clean" },
  {
    name: "a pod stopped with no EndpointSlice data at all",
    build: (log) => {
      log.pod("web-a", { preStop: SLEEP_5 }).ready(1).delete(10).killing(10).exit(16).removed(16.8);
    },
    verdict: "incomplete",
    reason: "no EndpointSlice data for this pod",
  },
  {
    name: "one of two pods without EndpointSlice data",
    build: (log) => {
      log.pod("web-stay", { preStop: SLEEP_5 }).serving(1);
      log.pod("web-a", { preStop: SLEEP_5 }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true).exit(16).endpointRemoved(16.5).removed(16.8);
      log.pod("web-b", { preStop: SLEEP_5 }).ready(1).delete(11).killing(11).exit(17).removed(17.8);
    },
    verdict: "incomplete",
    reason: "no EndpointSlice data for 1 of 2 pods",
  },
  {
    name: "still terminating while a watcher records (live)",
    build: (log) => {
      log.pod("web-stay", { preStop: SLEEP_5 }).serving(1);
      log.pod("web-a", { preStop: SLEEP_5 }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true);
    },
    live: true,
    now: at(12),
    verdict: "in-progress",
    reason: "this pod not finished yet",
  },
  {
    name: "the recording ends before the pod was removed",
    build: (log) => {
      log.pod("web-stay", { preStop: SLEEP_5 }).serving(1);
      log.pod("web-a", { preStop: SLEEP_5 }).serving(1).delete(10).killing(10).endpoint(10.3, false, true, true);
    },
    now: at(12),
    verdict: "incomplete",
    reason: "the data ends before this pod finished terminating",
  },
  {
    name: "the service has LB members but this pod's were never seen",
    build: (log) => {
      cleanStop(log);
      log.pod("web-lb", { preStop: SLEEP_5, ip: "10.0.0.9" }).serving(1);
      log.lb("10.0.0.9:8080", "active", 2, { service: "web" });
    },
    verdict: "incomplete",
    reason: "no load-balancer member data for this pod",
  },
  {
    name: "a watcher gap over the episode",
    build: (log) => {
      cleanStop(log);
      log.gap(12, 14);
    },
    verdict: "incomplete",
    reason: "the watcher was disconnected during this episode",
  },
  {
    name: "a watcher gap before the episode does not matter",
    build: (log) => {
      cleanStop(log);
      log.gap(2, 4);
    },
    verdict: "clean",
  },
  {
    name: "a risk window decides even without routing data (SIGKILL at the grace deadline)",
    build: (log) => {
      log.pod("web-a", { grace: 10 }).ready(1).delete(10).killing(10).exit(20, 137).removed(20.5);
    },
    verdict: "risky",
  },
];

describe("episode verdicts", () => {
  it.each(CASES)("$name → $verdict", ({ build, live, now, verdict, reason }) => {
    const log = new EventLog();
    build(log);
    const [episode, ...more] = computeTimeline(log.events, { now: now ?? at(600), ...(live !== undefined ? { live } : {}) }).episodes;
    expect(more).toEqual([]);
    expect([episode?.verdict, episode?.verdictReason]).toEqual([verdict, reason]);
  });

  it("the summary of an undecided episode says no window was seen, not that it was clean", () => {
    const log = new EventLog();
    log.pod("web-a", { preStop: SLEEP_5 }).ready(1).delete(10).killing(10).exit(16).removed(16.8);
    expect(computeTimeline(log.events, { now: at(600) }).episodes[0]?.summary).toBe("No risk window seen among 1 pod, but too little data to call it clean.");
  });

  it("formats verdicts as people read them", () => {
    expect(formatVerdict("clean")).toBe("CLEAN");
    expect(formatVerdict("in-progress", "2 of 3 pods not finished yet")).toBe("IN PROGRESS: 2 of 3 pods not finished yet");
    expect(formatVerdict("incomplete", "no EndpointSlice data for these pods")).toBe("INCOMPLETE: no EndpointSlice data for these pods");
  });
});
