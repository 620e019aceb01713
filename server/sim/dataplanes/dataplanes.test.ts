/**
 * The data planes' read APIs, served next to the API server, on a cluster stepped by a manual clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createManualClock, type ManualClock } from "../core/clock";
import { addCloudLb, addDiscovery, addEnvoyGateway, addIpvs, addKubeProxy } from "../cluster/planes";
import { startSimulatedCluster, type SimulatedCluster } from "../simulated-cluster";

let sim: SimulatedCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function setup(): Promise<{ sim: SimulatedCluster; clock: ManualClock }> {
  const clock = createManualClock(Date.UTC(2026, 10, 22, 6));
  sim = await startSimulatedCluster({ clock });
  const c = sim.cluster;
  addKubeProxy(c, { services: ["t/web"] });
  addEnvoyGateway(c, { name: "gateway", namespace: "t", services: ["web"], edsLagMs: [100, 100] });
  addDiscovery(c, { lb: "gateway", namespace: "t", services: ["web"], syncIntervalMs: 10_000, firstSyncMs: 4000 });
  addIpvs(c, { namespace: "t", service: "web", connReuseMode: 0 });
  addCloudLb(c, { name: "cloud-lb", namespace: "t", service: "web", targetType: "ip", controllerLagMs: [500, 500], healthCheck: { intervalMs: 1000, unhealthyThreshold: 2, healthyThreshold: 1 }, keepAliveConnections: 3 });
  c.createService({ name: "web", namespace: "t" });
  c.createDeployment({ name: "web", namespace: "t", replicas: 2, graceSeconds: 30, onSigterm: { kind: "drain", seconds: 1 }, readyAfterSeconds: 1 });
  clock.advance(6000);
  return { sim, clock };
}

const get = async (url: string, token?: string): Promise<Response> => fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe("data plane read APIs", () => {
  it("lists the planes without a token and serves each one's native shape", async () => {
    const { sim } = await setup();
    const index = (await (await get(`${sim.url}/__sim/dataplanes`)).json()) as { urls: Record<string, string> };
    expect(Object.keys(index.urls).sort()).toEqual(["cloud-lb", "discovery", "gateway", "ipvs", "kube-proxy"]);

    const envoy = (await (await get(index.urls.gateway ?? "")).json()) as {
      cluster_statuses: { name: string; host_statuses: { address: { socket_address: { address: string; port_value: number } }; health_status: { eds_health_status: string }; stats: { name: string; value?: string; type?: string }[] }[] }[];
    };
    const cluster = envoy.cluster_statuses[0];
    expect(cluster?.name).toBe("t/web/80");
    expect(cluster?.host_statuses).toHaveLength(2);
    const host = cluster?.host_statuses[0];
    expect(host?.address.socket_address.port_value).toBe(8080);
    expect(host?.health_status.eds_health_status).toBe("HEALTHY");
    expect(host?.stats).toContainEqual({ type: "GAUGE", name: "cx_active", value: "2" });
    expect(host?.stats).toContainEqual({ name: "cx_connect_fail" });
    const text = await (await get(`${sim.url}/__sim/dataplanes/gateway/clusters`)).text();
    expect(text).toMatch(/^t\/web\/80::10\.\d+\.\d+\.\d+:8080::health_flags::healthy$/m);

    const ipvs = await (await get(index.urls.ipvs ?? "")).text();
    expect(ipvs.split("\n").slice(0, 3)).toEqual([
      "IP Virtual Server version 1.2.1 (size=4096)",
      "Prot LocalAddress:Port Scheduler Flags",
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
    ]);
    expect(ipvs).toMatch(/-> 10\.\d+\.\d+\.\d+:8080\s+Masq\s+1\s+4\s+12/);

    const targets = (await (await get(index.urls["cloud-lb"] ?? "")).json()) as { TargetHealthDescriptions: { Target: { Port: number }; TargetHealth: { State: string } }[] };
    expect(targets.TargetHealthDescriptions.map((t) => t.TargetHealth.State)).toEqual(["healthy", "healthy"]);

    const discovery = (await (await get(index.urls.discovery ?? "")).json()) as { syncIntervalSeconds: number; services: Record<string, string[]> };
    expect(discovery.syncIntervalSeconds).toBe(10);
    expect(discovery.services.web).toHaveLength(2);

    const kubeProxy = (await (await get(index.urls["kube-proxy"] ?? "")).json()) as { services: { endpoints: string[]; fallbackToTerminating: boolean }[] };
    expect(kubeProxy.services[0]).toMatchObject({ fallbackToTerminating: false });
    expect(kubeProxy.services[0]?.endpoints).toHaveLength(2);
  });

  it("streams LoadBalancerMember records in the shared line shape, with the token only", async () => {
    const { sim, clock } = await setup();
    expect((await get(sim.membersUrl)).status).toBe(401);
    const list = (await (await get(sim.membersUrl, sim.token)).json()) as { items: { kind: string }[] };
    expect(list.items.length).toBeGreaterThan(0);
    const res = await get(`${sim.membersUrl}?watch=true`, sim.token);
    const reader = res.body?.getReader();
    if (!reader) throw new Error("no body");
    const [pod] = sim.cluster.pods("t");
    if (pod) sim.cluster.deletePod("t", pod.metadata.name);
    clock.advance(3000);
    let text = "";
    while (!text.includes('"state":"draining"') && !text.includes('"state":"removed"')) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const first = JSON.parse(text.split("\n")[0] ?? "{}") as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(["type", "observedAt", "object"]);
    expect(first.type).toBe("MODIFIED");
    expect(first.observedAt).toMatch(/^2026-11-22T06:00:\d\d\.\d{3}Z$/);
    expect(first.object).toMatchObject({
      apiVersion: "drainscope.io/v1alpha1",
      kind: "LoadBalancerMember",
      metadata: { name: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+:\d+$/), namespace: "t" },
      spec: { lb: expect.any(String), source: expect.stringMatching(/^(envoy-admin|discovery|ipvs|cloud-lb|haproxy)$/), service: "web" },
      status: { state: expect.stringMatching(/^(active|draining|removed|unhealthy)$/) },
    });
  });
});
