/**
 * force-delete — `kubectl delete pod --force --grace-period=0` on a running pod.
 *
 * Deployment `web`, 3 replicas, preStop `sh -c "sleep 5"`, grace 30 s, drain 3 s then exit 0. One pod is
 * force-deleted: one MODIFIED with deletionGracePeriodSeconds 0, then DELETED at once; the ReplicaSet
 * replaces it. The kubelet still stops the container with the spec grace, but skips preStop (the pod's
 * deletion grace is 0): its `Killing` event arrives after the object is gone, SIGTERM comes at once, and
 * the process drains 3 s with no pod object to show it.
 *
 * Expected windows: `ghost-container` once (the force-deleted pod), and `sigterm-before-deregistration`
 * once for it: SIGTERM (with Killing) comes within milliseconds of the endpoint's removal, inside the
 * 2 s propagation budget. Two pods stay ready, so no service-wide window.
 * (The DELETED of the pod and the EndpointSlice update that drops it are milliseconds apart, in either
 * order; that is ordering noise across resources, not a dead-but-routed window.)
 */
import { addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, livePods } from "./common";
import type { Scenario } from "./types";

const NS = "force-delete";
const web: WorkloadSpec = {
  name: "web",
  namespace: NS,
  replicas: 3,
  graceSeconds: 30,
  preStop: { kind: "exec-sleep", seconds: 5 },
  onSigterm: { kind: "drain", seconds: 3 },
  readyAfterSeconds: 2,
};
const PODS = firstRevisionPrefix(web);

export const forceDelete: Scenario = {
  name: "force-delete",
  title: "Force delete: the object goes, the process stays",
  description: "A running pod is force-deleted; the API forgets it at once while the kubelet keeps running preStop, SIGTERM and the drain for up to the spec grace.",
  namespace: NS,
  expectedWindows: [
    { rule: "ghost-container", podPrefix: PODS },
    { rule: "sigterm-before-deregistration", podPrefix: PODS },
  ],
  expectedCounts: { "ghost-container": 1, "sigterm-before-deregistration": 1 },
  rationale:
    "Grace 0 from a non-kubelet actor on a pod whose containers run: the object is gone while the process may run for the 30 s spec grace (here it exits after 3 s, unseen); the kubelet skips preStop, so SIGTERM lands before routing has dropped the pod.",
  approxSeconds: 45,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/web`] });
    await deployWithService(ctx, web);
    await ctx.sleep(3000);
    const [pod] = livePods(ctx, PODS);
    if (!pod) throw new Error("force-delete: no pod");
    ctx.log(`kubectl delete pod ${pod} --force --grace-period=0`);
    ctx.cluster.forceDeletePod(NS, pod);
    await ctx.cluster.waitForRollout(NS, "web");
    await ctx.sleep(32_000);
  },
};
