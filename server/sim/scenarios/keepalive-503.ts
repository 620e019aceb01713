/**
 * keepalive-503 — seed 001: a single-replica app behind a cloud LB, with a gateway that keeps HTTP
 * keep-alive connections through the LB.
 *
 * Deployment `app`, 1 replica, grace 30 s, preStop `sh -c "sleep 15"`; on SIGTERM the app goes "halting":
 * it answers 503 to everything (its readiness fails after 3 × 1 s) and exits 0 after 5 s. The
 * replacement is a slow Java start: ready after 25 s. The cloud LB targets pod IPs, deregisters with a
 * 30 s delay (draining) while the gateway's 8 keep-alive connections stay open; the gateway in front sees
 * 503s through the LB and ejects the LB's VIP (outlier detection) — the incident's 502s.
 * `kubectl delete pod` on the only pod.
 *
 * Expected windows (service `app`): `fallback-to-terminating` (delete → readiness fails at SIGTERM + 3 s:
 * zero ready, one serving+terminating), `no-ready-endpoints` (zero ready until the replacement is ready
 * at ~25 s; counted once whether or not it includes the fallback stretch), and `drain-outlives-pod` (the
 * LB target is draining with 8 connections from the exit at 20 s until the delay ends at ~31 s).
 */
import { addCloudLb, addEnvoyGateway, addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, livePods } from "./common";
import type { Scenario } from "./types";

const NS = "keepalive-503";
const LB_VIP = "203.0.113.10";
const app: WorkloadSpec = {
  name: "app",
  namespace: NS,
  replicas: 1,
  graceSeconds: 30,
  preStop: { kind: "exec-sleep", seconds: 15 },
  onSigterm: { kind: "fail-readiness", seconds: 5 },
  readyAfterSeconds: 25,
  image: "registry.example/java-app:2.3",
};
const OLD = firstRevisionPrefix(app);

export const keepalive503: Scenario = {
  name: "keepalive-503",
  title: "Keep-alive connections through a cloud LB to a halting pod",
  description:
    "The only pod is deleted; after its 15 s preStop it answers 503 on the keep-alive connections the LB still holds, the gateway ejects the LB, and the LB keeps the connections after the pod exits.",
  incident: "001",
  namespace: NS,
  expectedWindows: [
    { rule: "fallback-to-terminating", service: "app" },
    { rule: "no-ready-endpoints", service: "app" },
    { rule: "drain-outlives-pod", podPrefix: OLD },
  ],
  expectedCounts: { "fallback-to-terminating": 1, "no-ready-endpoints": 1, "drain-outlives-pod": 1 },
  rationale:
    "t0 delete → (F,T,T): fallback until readiness fails at t0+18 s; zero ready until the replacement is ready at ~t0+25 s; SIGTERM t0+15 s is after the LB moved the target to draining (t0+1–2 s) + 2 s, so no sigterm window; exit t0+20 s while the LB target is draining with 8 connections until ~t0+31 s.",
  approxSeconds: 75,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/app`] });
    const lb = addCloudLb(ctx.cluster, {
      name: "cloud-lb",
      namespace: NS,
      service: "app",
      targetType: "ip",
      controllerLagMs: [1000, 2000],
      healthCheck: { intervalMs: 5000, unhealthyThreshold: 2, healthyThreshold: 2 },
      deregistration: { mode: "drain", delayMs: 30_000 },
      keepAliveConnections: 8,
    });
    addEnvoyGateway(ctx.cluster, {
      name: "gateway",
      namespace: NS,
      staticHosts: [{ address: LB_VIP, port: 80, service: "app", healthy: () => !lb.routesToFailingBackend(), ejectMs: 30_000 }],
    });
    await deployWithService(ctx, app, { type: "LoadBalancer", loadBalancerIP: LB_VIP });
    await ctx.sleep(15_000);
    const [pod] = livePods(ctx, OLD);
    if (!pod) throw new Error("keepalive-503: no pod to delete");
    ctx.log(`kubectl delete pod ${pod}`);
    ctx.cluster.deletePod(NS, pod);
    await ctx.cluster.waitUntil(() => !ctx.cluster.store.get("pods", NS, pod), { timeoutMs: 120_000, what: `${pod} to be gone` });
    await ctx.cluster.waitForRollout(NS, "app");
    await ctx.sleep(25_000);
  },
};
