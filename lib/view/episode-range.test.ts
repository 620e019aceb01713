import { describe, expect, it } from "vitest";
import type { PodLane, RiskWindow } from "../engine/types";
import { episodeActivityRange } from "./episode-range";

function lane(uid: string, extra: Partial<PodLane> = {}): PodLane {
  return { uid, name: uid, namespace: "ns", workload: "web", workloadKind: "Deployment", phases: [], keyTimes: { killedBySigkill: false, killedAtDeadline: false }, endpoints: [], lbMembers: [], restarts: [], services: ["web"], ...extra };
}

const win = (start: number, end?: number): RiskWindow => ({ id: `w${start}`, rule: "dead-but-routed", severity: "high", start, ...(end !== undefined ? { end } : {}), namespace: "ns", pods: [], confidence: "certain", explanation: "", evidence: [] });

describe("episodeActivityRange", () => {
  it("first delete to the episode's end, 1 s margin for a short episode", () => {
    expect(episodeActivityRange({ episode: { start: 10_000, end: 19_000 }, pods: [], replacements: [], windows: [], now: 100_000 })).toEqual({ from: 9_000, to: 20_000 });
  });

  it("extends to a window that began during it, an LB member closed after removal, and the last replacement ready", () => {
    const lb = lane("old", { lbMembers: [{ kind: "lb", key: "k", lbSource: "envoy-admin", lb: "gw", member: "m", intervals: [{ state: "active", start: 0, end: 26_000, eventId: "e" }] }] });
    const fresh = lane("new", { keyTimes: { killedBySigkill: false, killedAtDeadline: false, firstReady: { at: 31_000, range: [31_000, 31_000], clock: "node", precision: "exact" } } });
    const base = { episode: { start: 10_000, end: 20_000 }, now: 100_000 };
    expect(episodeActivityRange({ ...base, pods: [], replacements: [], windows: [win(15_000, 24_000), win(5_000, 60_000)] }).to).toBe(25_000);
    expect(episodeActivityRange({ ...base, pods: [lb], replacements: [], windows: [] }).to).toBe(27_000);
    expect(episodeActivityRange({ ...base, pods: [], replacements: [fresh], windows: [] }).to).toBe(32_000);
  });

  it("an open episode or window lasts until now; a long episode gets 4 % of its span each side", () => {
    expect(episodeActivityRange({ episode: { start: 0 }, pods: [], replacements: [], windows: [], now: 100_000 })).toEqual({ from: -4_000, to: 104_000 });
    expect(episodeActivityRange({ episode: { start: 0, end: 10_000 }, pods: [], replacements: [], windows: [win(5_000)], now: 50_000 })).toEqual({ from: -2_000, to: 52_000 });
  });
});
