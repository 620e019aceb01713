import { describe, expect, it } from "vitest";
import { gateLbSources, type Every } from "./leader-gated-lb";
import type { LbSources } from "./lb-sources";

describe("LB sources gated on leadership", () => {
  it("polls only while this replica leads, and stops with the runtime", async () => {
    const log: string[] = [];
    let leading = false;
    let tick = () => {};
    const every: Every = (fn) => {
      tick = fn;
      return () => log.push("cancelled");
    };
    let n = 0;
    const start = (): LbSources => {
      const id = ++n;
      log.push(`start ${id}`);
      return { health: () => [{ name: `gw${id}`, kind: "envoy", polls: 0, errors: 0, members: 0, gaps: 0 }], openGaps: () => [], stop: async () => void log.push(`stop ${id}`) };
    };
    const lb = gateLbSources(start, () => leading, every);
    expect(lb.health()).toEqual([]);
    leading = true;
    tick();
    tick();
    expect(lb.health().map((h) => h.name)).toEqual(["gw1"]);
    leading = false;
    tick();
    expect(lb.health()).toEqual([]);
    leading = true;
    tick(); // still stopping the first ones: not yet
    expect(lb.health()).toEqual([]);
    await new Promise((r) => setImmediate(r));
    tick();
    expect(lb.health().map((h) => h.name)).toEqual(["gw2"]);
    await lb.stop();
    expect(log).toEqual(["start 1", "stop 1", "start 2", "cancelled", "stop 2"]);
  });
});
