// BIG-IP iControl REST answers in the documented shapes (members collection and members/stats).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bigipMembers, parseBigipStats, poolPathSegment } from "./bigip";

const json = (name: string) => JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8")) as unknown;

describe("BIG-IP pool members", () => {
  it("state, session and curConns → member states, weights and connections; route domains and IPv6 names", () => {
    const stats = parseBigipStats(json("bigip-pool-members-stats.json"));
    if ("error" in stats) throw new Error(stats.error);
    const members = bigipMembers(json("bigip-pool-members.json"), stats, { lb: "shop/web_80_pool", service: "web", namespace: "shop" });
    if (!Array.isArray(members)) throw new Error(members.error);
    expect(members.map((m) => `${m.member} ${m.state} w=${m.weight} cx=${m.connections}`)).toEqual([
      "10.244.1.7:8080 active w=1 cx=6",
      "10.244.2.9:8080 draining w=0 cx=3",
      "10.244.3.11:8080 unhealthy w=2 cx=0",
      "10.244.4.2:8080 removed w=0 cx=0",
      "[fd00:10:244:1::7]:8080 active w=1 cx=1",
    ]);
    expect(members.every((m) => m.lb === "shop/web_80_pool" && m.source === "bigip" && m.service === "web" && m.namespace === "shop")).toBe(true);
  });

  it("refuses answers of another shape, and builds iControl's ~partition~name path", () => {
    expect(bigipMembers({ items: [{ address: "10.0.0.1" }] }, new Map(), { lb: "x" })).toMatchObject({ error: expect.stringContaining("not a BIG-IP pool members answer") });
    expect(parseBigipStats({ entries: { a: { nested: 1 } } })).toMatchObject({ error: expect.stringContaining("members/stats") });
    expect(poolPathSegment("/Common/web_pool")).toBe("~Common~web_pool");
  });
});
