import { describe, expect, it } from "vitest";
import { diffMembers, parseEnvoyClusters, type MemberSnapshot } from "./members";

// The shape Envoy's admin endpoint answers with (trimmed to what we read).
const envoy = (hosts: { ip: string; eds?: string; cx?: number; failed?: boolean }[]) => ({
  cluster_statuses: [
    {
      name: "web",
      host_statuses: hosts.map((h) => ({
        address: { socket_address: { address: h.ip, port_value: 8080 } },
        stats: [{ name: "cx_active", value: String(h.cx ?? 0) }, { name: "rq_active", value: "0" }],
        health_status: { eds_health_status: h.eds ?? "HEALTHY", ...(h.failed ? { failed_active_health_check: true } : {}) },
        weight: 1,
      })),
    },
  ],
});

describe("Envoy admin members", () => {
  it("maps health flags to member states and keeps cx_active", () => {
    const members = parseEnvoyClusters(envoy([{ ip: "10.0.0.1", cx: 3 }, { ip: "10.0.0.2", eds: "DRAINING", cx: 1 }, { ip: "10.0.0.3", failed: true }]), { service: (c) => c });
    expect(members).toEqual([
      { lb: "web", source: "envoy-admin", member: "10.0.0.1:8080", state: "active", weight: 1, connections: 3, service: "web" },
      { lb: "web", source: "envoy-admin", member: "10.0.0.2:8080", state: "draining", weight: 1, connections: 1, service: "web" },
      { lb: "web", source: "envoy-admin", member: "10.0.0.3:8080", state: "unhealthy", weight: 1, connections: 0, service: "web" },
    ]);
  });

  it("rejects an answer that is not Envoy's", () => {
    expect(parseEnvoyClusters({ cluster_statuses: [{ host_statuses: [{}] }] })).toMatchObject({ error: expect.stringContaining("not an Envoy") });
  });

  it("diffs polls: new and changed members are reported, vanished ones as removed with 0 connections", () => {
    const a = parseEnvoyClusters(envoy([{ ip: "10.0.0.1", cx: 3 }, { ip: "10.0.0.2", cx: 1 }])) as MemberSnapshot[];
    const first = diffMembers(new Map(), a);
    expect(first.changes.map((c) => `${c.member} ${c.state} ${c.connections}`)).toEqual(["10.0.0.1:8080 active 3", "10.0.0.2:8080 active 1"]);
    const same = diffMembers(first.next, a);
    expect(same.changes).toEqual([]);
    const b = parseEnvoyClusters(envoy([{ ip: "10.0.0.1", eds: "DRAINING", cx: 2 }])) as MemberSnapshot[];
    const second = diffMembers(same.next, b);
    expect(second.changes.map((c) => `${c.member} ${c.state} ${c.connections}`)).toEqual(["10.0.0.1:8080 draining 2", "10.0.0.2:8080 removed 0"]);
  });
});
