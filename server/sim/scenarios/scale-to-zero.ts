/**
 * scale-to-zero — seed 002 "all pods drained at once": every pod of a Service goes at the same time.
 *
 * Deployment `web`, 3 replicas, preStop `sh -c "sleep 5"`, grace 30 s, drain 2 s then exit 0.
 * `kubectl scale deployment/web --replicas=0`.
 *
 * Expected windows (service `web`): `fallback-to-terminating` — from the deletes until the pods exit
 * 7 s later there are zero ready endpoints but three serving+terminating ones (kube-proxy falls back to
 * them); `no-ready-endpoints` — zero ready endpoints from then on (once, whether or not it is counted
 * from the deletes). No per-pod window: SIGTERM comes 5 s after Killing, exit 0 while not routed.
 */
import { addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, podsGone } from "./common";
import type { Scenario } from "./types";

const NS = "scale-to-zero";
const web: WorkloadSpec = {
  name: "web",
  namespace: NS,
  replicas: 3,
  graceSeconds: 30,
  preStop: { kind: "exec-sleep", seconds: 5 },
  onSigterm: { kind: "drain", seconds: 2 },
  readyAfterSeconds: 2,
};

export const scaleToZero: Scenario = {
  name: "scale-to-zero",
  title: "All pods of a Service removed at once",
  description: "Scaling to zero leaves the Service with terminating endpoints only, then with none.",
  incident: "002",
  namespace: NS,
  expectedWindows: [
    { rule: "fallback-to-terminating", service: "web" },
    { rule: "no-ready-endpoints", service: "web" },
  ],
  expectedCounts: { "fallback-to-terminating": 1, "no-ready-endpoints": 1 },
  rationale:
    "All three pods deleted within milliseconds: zero ready endpoints from then on; serving+terminating until the exits at +7 s (fallback), nothing after. SIGTERM at Killing + 5 s is after deregistration + 2 s; exit 0 while not routed.",
  approxSeconds: 25,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/web`] });
    await deployWithService(ctx, web);
    await ctx.sleep(3000);
    ctx.log("kubectl scale deployment/web --replicas=0");
    ctx.cluster.scale(NS, "web", 0);
    await podsGone(ctx, firstRevisionPrefix(web));
    await ctx.sleep(3000);
  },
};
