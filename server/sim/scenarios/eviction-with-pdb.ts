/**
 * eviction-with-pdb — evictions through the Eviction API with a PodDisruptionBudget.
 *
 * Deployment `web`, 3 replicas, no preStop, grace 30 s, drain 1 s then exit 0; PDB maxUnavailable 1
 * (minAvailable 2). Evict pod A: allowed — a DisruptionTarget condition (EvictionByEvictionAPI), then the
 * graceful delete. Evict pod B at once: refused (429) — nothing at all changes on B. Retry 5 s later, as
 * `kubectl drain` does, once A's replacement is ready: allowed.
 *
 * Expected windows: `sigterm-before-deregistration` for each evicted pod (2): no preStop, so SIGTERM
 * comes with Killing, inside deregistration + 2 s. The refusal leaves no trace and no window.
 */
import { addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, livePods } from "./common";
import type { Scenario } from "./types";

const NS = "eviction-with-pdb";
const web: WorkloadSpec = {
  name: "web",
  namespace: NS,
  replicas: 3,
  graceSeconds: 30,
  onSigterm: { kind: "drain", seconds: 1 },
  readyAfterSeconds: 2,
};
const PODS = firstRevisionPrefix(web);

export const evictionWithPdb: Scenario = {
  name: "eviction-with-pdb",
  title: "Evictions gated by a PodDisruptionBudget",
  description: "Two pods evicted under a maxUnavailable 1 budget: the second eviction is refused until the first pod's replacement is ready.",
  namespace: NS,
  expectedWindows: [{ rule: "sigterm-before-deregistration", podPrefix: PODS }],
  expectedCounts: { "sigterm-before-deregistration": 2 },
  rationale: "Each evicted pod: DisruptionTarget, delete, Killing and SIGTERM together (no preStop) → SIGTERM before deregistration + 2 s. The refused eviction changes nothing.",
  approxSeconds: 30,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/web`] });
    ctx.cluster.addDisruptionBudget({ name: "web", namespace: NS, selector: { app: "web" }, maxUnavailable: 1 });
    await deployWithService(ctx, web);
    await ctx.sleep(3000);
    const [a, b] = livePods(ctx, PODS);
    if (!a || !b) throw new Error("eviction-with-pdb: need two pods");
    ctx.log(`evict ${a}: ${ctx.cluster.evictPod(NS, a).code}`);
    const refused = ctx.cluster.evictPod(NS, b);
    ctx.log(`evict ${b}: ${refused.code}${refused.allowed ? "" : ` (${refused.message})`}`);
    if (refused.allowed) throw new Error("eviction-with-pdb: the budget should have refused the second eviction");
    await ctx.sleep(5000);
    const retry = ctx.cluster.evictPod(NS, b);
    ctx.log(`evict ${b} again: ${retry.code}`);
    if (!retry.allowed) throw new Error("eviction-with-pdb: the retry should have been allowed");
    await ctx.cluster.waitForRollout(NS, "web");
    await ctx.sleep(3000);
  },
};
