/** Helpers shared by scenario scripts. */
import { podTemplate, type WorkloadSpec } from "../k8s/builders";
import { templateHash } from "../controllers/rollout-math";
import type { ServiceSpec } from "../k8s/builders";
import type { ScenarioContext } from "./types";

/** Name prefix of the pods of a workload's first ReplicaSet: `<name>-<pod-template-hash>-`. */
export function firstRevisionPrefix(w: WorkloadSpec): string {
  return `${w.name}-${templateHash(podTemplate(w))}-`;
}

/** Create a Service and a Deployment, then wait until the Deployment is rolled out. */
export async function deployWithService(ctx: ScenarioContext, w: WorkloadSpec, svc: Omit<ServiceSpec, "clusterIP" | "namespace" | "name"> = {}): Promise<void> {
  ctx.cluster.createService({ name: w.name, namespace: w.namespace, ...svc });
  ctx.cluster.createDeployment(w);
  ctx.log(`deployment ${w.namespace}/${w.name}: ${w.replicas} replicas`);
  await ctx.cluster.waitForRollout(w.namespace, w.name);
}

/** Pods of the workload that are not being deleted. */
export function livePods(ctx: ScenarioContext, prefix: string): string[] {
  return ctx.cluster
    .pods(ctx.namespace, prefix)
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name);
}

/** `kubectl rollout restart`, then wait until the new revision is out and the first one's pods are gone. */
export async function rollingRestart(ctx: ScenarioContext, w: WorkloadSpec, note = ""): Promise<void> {
  ctx.log(`kubectl rollout restart deployment/${w.name}${note}`);
  ctx.cluster.rolloutRestart(w.namespace, w.name);
  await ctx.cluster.waitForRollout(w.namespace, w.name);
  await podsGone(ctx, firstRevisionPrefix(w));
}

/** Wait until no pod with this prefix exists any more. */
export function podsGone(ctx: ScenarioContext, prefix: string, timeoutMs = 600_000): Promise<void> {
  return ctx.cluster.waitUntil(() => ctx.cluster.pods(ctx.namespace, prefix).length === 0, { timeoutMs, what: `pods ${prefix}* to be gone` });
}
