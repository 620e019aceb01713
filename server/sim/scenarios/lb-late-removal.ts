/**
 * lb-late-removal — seed 003 case 1: the LB controller (F5 CIS / BIG-IP pool members) acts in parallel
 * with the kubelet and, with a slow API or controller, removes pool members late.
 *
 * Deployment `web`, 3 replicas, maxSurge 1 / maxUnavailable 0, preStop `sh -c "sleep 3"`, grace 30 s,
 * drain 1 s then exit 0. Service `web` (LoadBalancer); the "bigip" LB follows the EndpointSlices 8–9 s
 * late and removes members outright. `kubectl rollout restart`.
 *
 * Expected windows, per old pod (3 each): `sigterm-before-deregistration` (SIGTERM at Killing + 3 s, the
 * pool member stays active until delete + 8–9 s) and `dead-but-routed` (exit at Killing + 4 s while the
 * member is still active for 4–5 s more).
 */
import { addCloudLb, addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, rollingRestart } from "./common";
import type { Scenario } from "./types";

const NS = "lb-late-removal";
const web: WorkloadSpec = {
  name: "web",
  namespace: NS,
  replicas: 3,
  graceSeconds: 30,
  preStop: { kind: "exec-sleep", seconds: 3 },
  onSigterm: { kind: "drain", seconds: 1 },
  readyAfterSeconds: 2,
  maxSurge: 1,
  maxUnavailable: 0,
};
const OLD = firstRevisionPrefix(web);

export const lbLateRemoval: Scenario = {
  name: "lb-late-removal",
  title: "Hardware LB removes pool members after the pods are gone",
  description: "The LB controller lags 8–9 s behind the EndpointSlices; pods with a 3 s preStop exit while still active pool members.",
  incident: "003",
  namespace: NS,
  expectedWindows: [
    { rule: "sigterm-before-deregistration", podPrefix: OLD },
    { rule: "dead-but-routed", podPrefix: OLD },
  ],
  expectedCounts: { "sigterm-before-deregistration": 3, "dead-but-routed": 3 },
  rationale:
    "Per old pod: SIGTERM = Killing + 3 s < member removal (delete + 8–9 s) + 2 s; exit = Killing + 4 s < member removal. Health checks (5 s × 3) would notice later than the controller, so removal is the controller's.",
  approxSeconds: 45,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/web`] });
    addCloudLb(ctx.cluster, {
      name: "bigip",
      namespace: NS,
      service: "web",
      targetType: "ip",
      controllerLagMs: [8000, 9000],
      healthCheck: { intervalMs: 5000, unhealthyThreshold: 3, healthyThreshold: 1 },
      deregistration: { mode: "remove" },
    });
    await deployWithService(ctx, web, { type: "LoadBalancer", loadBalancerIP: "203.0.113.30" });
    await ctx.sleep(12_000);
    await rollingRestart(ctx, web);
    await ctx.sleep(10_000);
  },
};
