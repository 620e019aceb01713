/**
 * no-prestop-rollout — the shared/fixtures/real-v1.24-rollout shape: a rolling update of pods without a
 * preStop hook.
 *
 * Deployment `web`, 3 replicas, maxSurge 1 / maxUnavailable 0, no preStop, grace 30 s, the app drains
 * 1 s after SIGTERM and exits 0. `kubectl rollout restart`.
 *
 * Expected windows: `sigterm-before-deregistration` once per old pod (3): with no preStop, SIGTERM comes
 * with `Killing` (~10 ms after the delete), while the endpoint leaves the ready set ~20 ms after the
 * delete and consumers such as kube-proxy need the 2 s propagation budget on top — so SIGTERM lands inside
 * [deregistration, deregistration + 2 s]. Nothing else: no LB, exit 0 after the endpoint is not ready.
 */
import { addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, rollingRestart } from "./common";
import type { Scenario } from "./types";

const NS = "no-prestop-rollout";
const web: WorkloadSpec = {
  name: "web",
  namespace: NS,
  replicas: 3,
  graceSeconds: 30,
  onSigterm: { kind: "drain", seconds: 1 },
  readyAfterSeconds: 2,
  maxSurge: 1,
  maxUnavailable: 0,
};
const OLD = firstRevisionPrefix(web);

export const noPrestopRollout: Scenario = {
  name: "no-prestop-rollout",
  title: "Rolling restart without a preStop hook",
  description: "Old pods get SIGTERM the moment they are deleted, before kube-proxy and other consumers can have dropped them.",
  namespace: NS,
  expectedWindows: [{ rule: "sigterm-before-deregistration", podPrefix: OLD }],
  expectedCounts: { "sigterm-before-deregistration": 3 },
  rationale:
    "No preStop: SIGTERM = Killing ≈ delete + 10 ms; the endpoint is not ready at delete + ~20 ms, so SIGTERM falls before deregistration + 2 s budget for each of the 3 old pods.",
  approxSeconds: 20,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/web`] });
    await deployWithService(ctx, web);
    await ctx.sleep(3000);
    await rollingRestart(ctx, web);
    await ctx.sleep(3000);
  },
};
