/**
 * node-drain-local-policy — seed 002 "LB health check lags with externalTrafficPolicy: Local".
 *
 * Two nodes, Deployment `web` with 4 replicas (2 per node), no preStop, grace 30 s, drain 1 s then exit
 * 0; a PodDisruptionBudget minAvailable 2. Service `web` is a LoadBalancer with externalTrafficPolicy
 * Local: the cloud LB targets the nodes (instance mode) and health-checks kube-proxy's health-check node
 * port every 10 s, 3 failures to mark a node unhealthy. `kubectl drain sim-node-1` evicts both of its pods
 * (DisruptionTarget, then delete); replacements land on sim-node-2.
 *
 * Expected windows, per evicted pod (2 each):
 * - `sigterm-before-deregistration`: no preStop, SIGTERM at Killing;
 * - `dead-but-routed`: the LB keeps sim-node-1 (the pods' status.hostIP) `active` for 20–30 s after its
 *   local endpoints went away, and with policy Local that node only forwards to its own pods — which
 *   exited 1 s after SIGTERM. (The LB member is `<nodeIP>:<nodePort>`; an engine maps it to the pods
 *   whose hostIP it is while the Service's externalTrafficPolicy is Local.)
 */
import { addCloudLb, addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix } from "./common";
import type { Scenario } from "./types";

const NS = "node-drain-local-policy";
const web: WorkloadSpec = {
  name: "web",
  namespace: NS,
  replicas: 4,
  graceSeconds: 30,
  onSigterm: { kind: "drain", seconds: 1 },
  readyAfterSeconds: 2,
};
const PODS = firstRevisionPrefix(web);

export const nodeDrainLocalPolicy: Scenario = {
  name: "node-drain-local-policy",
  title: "Node drain behind an LB with externalTrafficPolicy: Local",
  description: "Draining a node: its pods exit within a second, but the cloud LB keeps sending new connections to the node until its health check fails 3 × 10 s later.",
  incident: "002",
  namespace: NS,
  nodes: 2,
  expectedWindows: [
    { rule: "sigterm-before-deregistration", podPrefix: PODS },
    { rule: "dead-but-routed", podPrefix: PODS },
  ],
  expectedCounts: { "sigterm-before-deregistration": 2, "dead-but-routed": 2 },
  rationale:
    "Both pods on sim-node-1 are evicted at t0: SIGTERM at Killing (no preStop) while the node stays an active LB member until ~t0+20–30 s; they exit at t0+1 s with the node still active, and policy Local sends that node's traffic only to them. sim-node-2 keeps 2 ready pods, so the Service never lacks endpoints.",
  approxSeconds: 60,
  async run(ctx) {
    const kubeProxy = addKubeProxy(ctx.cluster, { services: [`${NS}/web`] });
    addCloudLb(ctx.cluster, {
      name: "cloud-lb",
      namespace: NS,
      service: "web",
      targetType: "instance",
      nodes: ctx.cluster.nodes,
      kubeProxy,
      nodePort: 30080,
      healthCheck: { intervalMs: 10_000, unhealthyThreshold: 3, healthyThreshold: 2 },
    });
    ctx.cluster.addDisruptionBudget({ name: "web", namespace: NS, selector: { app: "web" }, minAvailable: 2 });
    await deployWithService(ctx, web, { type: "LoadBalancer", externalTrafficPolicy: "Local", loadBalancerIP: "203.0.113.20", nodePort: 30080 });
    await ctx.sleep(25_000);
    ctx.log("kubectl drain sim-node-1");
    const { refused } = await ctx.cluster.drainNode("sim-node-1");
    ctx.log(`drained (${refused} evictions refused by the budget)`);
    await ctx.cluster.waitForRollout(NS, "web");
    await ctx.sleep(35_000);
  },
};
