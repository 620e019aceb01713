/**
 * probe-restart — a liveness probe restarts a container while its endpoint is still ready.
 *
 * Deployment `web`, 3 replicas, no preStop, grace 30 s; liveness httpGet /livez every 5 s (3 failures),
 * readiness /healthz every 1 s. One pod's worker hangs: /livez fails, /healthz still answers. After 3
 * failures the kubelet emits `Killing` "Container web failed liveness probe, will be restarted", SIGTERM
 * kills the process (exit 143), the kubelet notices ~1 s later (PLEG) and marks it unready, then restarts
 * it (restartCount 1, lastState.terminated) and it is ready again 2 s later.
 *
 * Expected windows: `restart-blackhole` once — Killing without deletion while the endpoint is ready, until
 * the endpoint turns not ready ~1 s later. The process is already dead (exit 143) for most of that second;
 * that is the blackhole this rule names, not a separate dead-but-routed window.
 */
import { addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, livePods } from "./common";
import type { Scenario } from "./types";

const NS = "probe-restart";
const web: WorkloadSpec = {
  name: "web",
  namespace: NS,
  replicas: 3,
  graceSeconds: 30,
  onSigterm: { kind: "die" },
  readyAfterSeconds: 2,
  liveness: { path: "/livez", periodSeconds: 5, failureThreshold: 3 },
};
const PODS = firstRevisionPrefix(web);

export const probeRestart: Scenario = {
  name: "probe-restart",
  title: "Liveness restart while the endpoint is ready",
  description: "A hung worker fails its liveness probe; the kubelet kills and restarts the container while the EndpointSlice still lists the pod ready.",
  namespace: NS,
  expectedWindows: [{ rule: "restart-blackhole", podPrefix: PODS }],
  expectedCounts: { "restart-blackhole": 1 },
  rationale:
    "Killing (probe restart, no deletion) at K with the endpoint ready until the kubelet's status update at K + ~1 s. The process died of SIGTERM (143) at K + ~20 ms, so that second is also dead-but-listed-ready time; restart-blackhole is the rule for exactly this case and covers it, so no separate dead-but-routed window. Restarts are not deregistrations: no sigterm-before-deregistration.",
  approxSeconds: 35,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/web`] });
    await deployWithService(ctx, web);
    await ctx.sleep(3000);
    const [pod] = livePods(ctx, PODS);
    if (!pod) throw new Error("probe-restart: no pod");
    ctx.log(`${pod}: worker hangs, /livez starts failing`);
    ctx.cluster.failLiveness(NS, pod);
    await ctx.cluster.waitUntil(() => (ctx.cluster.store.get("pods", NS, pod)?.status.containerStatuses?.[0]?.restartCount ?? 0) > 0, { timeoutMs: 60_000, what: `${pod} to restart` });
    await ctx.cluster.waitForRollout(NS, "web");
    await ctx.sleep(5000);
  },
};
