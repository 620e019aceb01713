/**
 * long-connection-sigkill — seed 003 case 4: long-lived connections that never finish within the grace
 * period are cut when the kubelet SIGKILLs the container at the deadline.
 *
 * Deployment `stream`, 3 replicas, maxSurge 1 / maxUnavailable 0, preStop `sh -c "sleep 10"`, grace 30 s;
 * on SIGTERM the app waits for its streaming connections, which last 10 minutes. The "bigip" LB removes
 * members 1–2 s after the endpoint changes. `kubectl rollout restart`.
 *
 * Expected windows: `killed-at-grace-deadline` once per old pod (3): SIGTERM at Killing + 10 s, SIGKILL
 * max(30 − 10, 2) = 20 s later → exit 137 (reason Error) at Killing + 30 s. No routing window: the member
 * is gone 1–2 s after the delete, long before SIGTERM (and removed outright, not draining).
 */
import { addCloudLb, addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, rollingRestart } from "./common";
import type { Scenario } from "./types";

const NS = "long-connection-sigkill";
const stream: WorkloadSpec = {
  name: "stream",
  namespace: NS,
  replicas: 3,
  graceSeconds: 30,
  preStop: { kind: "exec-sleep", seconds: 10 },
  onSigterm: { kind: "drain", seconds: 600 },
  readyAfterSeconds: 2,
  maxSurge: 1,
  maxUnavailable: 0,
};
const OLD = firstRevisionPrefix(stream);

export const longConnectionSigkill: Scenario = {
  name: "long-connection-sigkill",
  title: "Long-lived connections SIGKILLed at the grace deadline",
  description: "Streaming connections outlive the 30 s grace period; each old pod is SIGKILLed (exit 137) at its deadline, cutting them.",
  incident: "003",
  namespace: NS,
  expectedWindows: [{ rule: "killed-at-grace-deadline", podPrefix: OLD }],
  expectedCounts: { "killed-at-grace-deadline": 3 },
  rationale:
    "Per old pod: Killing → preStop 10 s → SIGTERM → the app keeps serving its streams → SIGKILL after max(30 − 10, 2) s → exit 137 Error with finishedAt − Killing = 30 s ≥ grace − 1 s. The LB dropped the member 1–2 s after the delete, so SIGTERM (+10 s) is after deregistration + 2 s.",
  approxSeconds: 55,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/stream`] });
    addCloudLb(ctx.cluster, {
      name: "bigip",
      namespace: NS,
      service: "stream",
      targetType: "ip",
      controllerLagMs: [1000, 2000],
      healthCheck: { intervalMs: 5000, unhealthyThreshold: 3, healthyThreshold: 1 },
      deregistration: { mode: "remove" },
    });
    await deployWithService(ctx, stream, { type: "LoadBalancer", loadBalancerIP: "203.0.113.40" });
    await ctx.sleep(8000);
    await rollingRestart(ctx, stream);
    await ctx.sleep(3000);
  },
};
