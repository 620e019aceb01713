import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import { envoySource } from "./envoy-poller";
import { startLbPoller } from "./poller";

const answer = (eds: string, cx: number) =>
  JSON.stringify({
    cluster_statuses: [
      {
        name: "shop/web/80",
        host_statuses: [
          { address: { socket_address: { address: "10.0.0.7", port_value: 8080 } }, stats: [{ name: "cx_active", type: "GAUGE", value: String(cx) }], health_status: { eds_health_status: eds }, weight: 1 },
        ],
      },
    ],
  });

describe("Envoy admin through the shared poller", () => {
  it("reads /clusters?format=json and reports the drain with the poll interval as its range", async () => {
    const answers = [answer("HEALTHY", 3), answer("DRAINING", 1)];
    const urls: string[] = [];
    let now = 1_000;
    const out: LifecycleEvent[] = [];
    const source = envoySource({ name: "gw", url: "http://127.0.0.1:9901/", service: "web", get: async (url) => (urls.push(url), answers.shift() ?? "{}") });
    const p = startLbPoller({ source, cluster: "c", namespace: "shop", intervalMs: 2000, now: () => now, sink: (e) => out.push(...e) }, { autoStart: false });
    await p.pollOnce();
    now = 3_000;
    await p.pollOnce();
    await p.stop();
    expect(urls).toEqual(["http://127.0.0.1:9901/clusters?format=json", "http://127.0.0.1:9901/clusters?format=json"]);
    expect(out.map((e) => e.type === "lb-member-changed" && [e.lb, e.member, e.state, e.connections, e.service, e.namespace, e.range])).toEqual([
      ["shop/web/80", "10.0.0.7:8080", "active", 3, "web", "shop", [1_000, 1_000]],
      ["shop/web/80", "10.0.0.7:8080", "draining", 1, "web", "shop", [1_000, 3_000]],
    ]);
  });

  it("an answer that is not Envoy's is a failed poll, not an empty LB", async () => {
    const source = envoySource({ name: "gw", url: "http://127.0.0.1:9901", get: async () => JSON.stringify({ cluster_statuses: [{ host_statuses: [{}] }] }) });
    const p = startLbPoller({ source, cluster: "c", intervalMs: 2000, now: () => 0, sink: () => {} }, { autoStart: false });
    await p.pollOnce();
    await p.stop();
    expect(p.health).toMatchObject({ polls: 0, errors: 1, lastError: expect.stringContaining("not an Envoy") });
  });
});
