/**
 * large-rollout — 1,000 pods, for performance work on the watcher, store, engine and UI.
 *
 * Deployment `web`, 1,000 replicas on 4 nodes, maxSurge 25% / maxUnavailable 25%, no preStop, grace
 * 30 s, drain 1 s then exit 0. `kubectl rollout restart` replaces all 1,000 pods in a handful of rounds.
 *
 * Expected windows: `sigterm-before-deregistration` once per old pod (1,000): no preStop, SIGTERM at
 * Killing. The Service always keeps ≥ 750 ready endpoints (maxUnavailable 25%).
 */
import { addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, rollingRestart } from "./common";
import type { Scenario } from "./types";

const NS = "large-rollout";
const web: WorkloadSpec = {
  name: "web",
  namespace: NS,
  replicas: 1000,
  graceSeconds: 30,
  onSigterm: { kind: "drain", seconds: 1 },
  readyAfterSeconds: 2,
  maxSurge: "25%",
  maxUnavailable: "25%",
};
const OLD = firstRevisionPrefix(web);

export const largeRollout: Scenario = {
  name: "large-rollout",
  title: "Rolling restart of 1,000 pods",
  description: "A 1,000-replica Deployment rolled 25% at a time: a large, fast recording for performance work.",
  namespace: NS,
  nodes: 4,
  expectedWindows: [{ rule: "sigterm-before-deregistration", podPrefix: OLD }],
  expectedCounts: { "sigterm-before-deregistration": 1000 },
  rationale: "Every old pod gets SIGTERM with Killing (no preStop), inside deregistration + 2 s; ≥ 750 endpoints stay ready.",
  approxSeconds: 40,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/web`] });
    await deployWithService(ctx, web);
    await ctx.sleep(2000);
    await rollingRestart(ctx, web, " (1,000 pods)");
    await ctx.sleep(2000);
  },
};
