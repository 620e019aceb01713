/**
 * clean-rollout — the shared/fixtures/real-v1.24-clean-rollout case, done right.
 *
 * Deployment `web`, 3 replicas, maxSurge 1 / maxUnavailable 0, preStop `sh -c "sleep 5"`, grace 30 s,
 * the app drains 2 s after SIGTERM and exits 0; an Envoy gateway follows the EndpointSlices with a
 * 0.5–1.5 s EDS lag. `kubectl rollout restart` replaces all three pods.
 *
 * Expected windows: none. Each old pod leaves the ready set ~20 ms after its delete and the gateway
 * ≤ 1.5 s later, while SIGTERM comes 5 s after `Killing` (> deregistration + 2 s budget); the process
 * exits 2 s after that, when nothing routes to it; the service never lacks ready endpoints.
 */
import { addEnvoyGateway, addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, rollingRestart } from "./common";
import type { Scenario } from "./types";

const NS = "clean-rollout";
const web: WorkloadSpec = {
  name: "web",
  namespace: NS,
  replicas: 3,
  graceSeconds: 30,
  preStop: { kind: "exec-sleep", seconds: 5 },
  onSigterm: { kind: "drain", seconds: 2 },
  readyAfterSeconds: 2,
  maxSurge: 1,
  maxUnavailable: 0,
};

export const cleanRollout: Scenario = {
  name: "clean-rollout",
  title: "Rolling restart with a preStop sleep longer than propagation",
  description:
    "Three pods replaced one by one; preStop sleep 5 s outlasts endpoint and gateway propagation, the app drains 2 s and exits 0. The reference for a clean verdict.",
  namespace: NS,
  expectedWindows: [],
  expectedCounts: {},
  rationale:
    "SIGTERM = Killing + 5 s, well after the pod left the EndpointSlice ready set (~20 ms) and the gateway (≤ 1.5 s) plus the 2 s budget; exit 0 at SIGTERM + 2 s while nothing routes to the pod; maxUnavailable 0 keeps 3 ready endpoints throughout.",
  approxSeconds: 30,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/web`] });
    addEnvoyGateway(ctx.cluster, { name: "gateway", namespace: NS, services: ["web"], edsLagMs: [500, 1500] });
    await deployWithService(ctx, web);
    await ctx.sleep(3000);
    await rollingRestart(ctx, web);
    await ctx.sleep(3000);
  },
};
