/**
 * ipvs-weight-zero — seed 004: kube-proxy in IPVS mode with net.ipv4.vs.conn_reuse_mode=0.
 *
 * Deployment `dispatcher`, 3 replicas, maxSurge 1 / maxUnavailable 0, preStop `sh -c "sleep 5"`,
 * grace 30 s, drain 1 s then exit 0. Endpoints and IPVS weights update within a second, but a removed
 * real server keeps weight 0 until ActiveConn + InActConn == 0 (checked each minute); clients reusing
 * source ports keep landing on it for 30 s, and their entries expire over 60 s. `kubectl rollout restart`.
 *
 * Expected windows: `drain-outlives-pod` once per old pod (3): its real server is still there with
 * weight 0 and connections when the pod exits (Killing + 6 s) and for about a minute after. Nothing else:
 * weight 0 (not active) comes < 1 s after the delete, SIGTERM 5 s after Killing.
 */
import { addIpvs } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, rollingRestart } from "./common";
import type { Scenario } from "./types";

const NS = "ipvs-weight-zero";
const dispatcher: WorkloadSpec = {
  name: "dispatcher",
  namespace: NS,
  replicas: 3,
  graceSeconds: 30,
  preStop: { kind: "exec-sleep", seconds: 5 },
  onSigterm: { kind: "drain", seconds: 1 },
  readyAfterSeconds: 2,
  maxSurge: 1,
  maxUnavailable: 0,
};
const OLD = firstRevisionPrefix(dispatcher);

export const ipvsWeightZero: Scenario = {
  name: "ipvs-weight-zero",
  title: "IPVS real servers linger at weight 0 after their pods exit",
  description: "With conn_reuse_mode=0, port-reusing connections keep going to weight-0 real servers of pods that have already exited.",
  incident: "004",
  namespace: NS,
  expectedWindows: [{ rule: "drain-outlives-pod", podPrefix: OLD }],
  expectedCounts: { "drain-outlives-pod": 3 },
  rationale:
    "Per old pod: weight 0 (draining) at delete + 0.2–0.8 s; exit at Killing + 6 s while InActConn > 0 (port reuse for 30 s, then 60 s of expiry); the real server is deleted at the first minute check with no connections left.",
  approxSeconds: 170,
  async run(ctx) {
    const ipvs = addIpvs(ctx.cluster, { namespace: NS, service: "dispatcher", connReuseMode: 0, reuseWindowMs: 30_000, finTimeoutMs: 60_000, checkIntervalMs: 60_000 });
    await deployWithService(ctx, dispatcher);
    await ctx.sleep(3000);
    await rollingRestart(ctx, dispatcher);
    ctx.log("waiting for IPVS to delete the weight-0 real servers");
    await ctx.cluster.waitUntil(() => !ipvs.hasDraining(), {
      timeoutMs: 300_000,
      what: "weight-0 real servers to be deleted",
      pollMs: 1000,
    });
    await ctx.sleep(2000);
  },
};
