/**
 * Termination-config lint per workload, from the newest pod spec seen and what was measured:
 * no preStop behind a Service or LB, preStop ≥ grace, no readiness probe, a single replica,
 * externalTrafficPolicy Local, and grace shorter than the measured drain.
 */
import { nsKey, type Collected } from "./collect";
import { servingContainerOf } from "./serving";
import type { LintFinding, PodLane } from "./types";
import { counted } from "../text/count";

function newestSpecLane(lanes: readonly PodLane[]): PodLane | undefined {
  return [...lanes].filter((l) => l.spec).sort((a, b) => (b.keyTimes.created?.at ?? 0) - (a.keyTimes.created?.at ?? 0))[0];
}

export function groupByWorkload(lanes: readonly PodLane[]): Map<string, PodLane[]> {
  const groups = new Map<string, PodLane[]>();
  for (const l of lanes) {
    const key = `${l.namespace}/${l.workload}`;
    const list = groups.get(key) ?? [];
    list.push(l);
    groups.set(key, list);
  }
  return groups;
}

export function lintWorkloads(lanes: readonly PodLane[], c: Collected): LintFinding[] {
  const out: LintFinding[] = [];
  for (const group of groupByWorkload(lanes).values()) {
    const lane = newestSpecLane(group);
    if (!lane?.spec) continue;
    const { namespace, workload } = lane;
    const add = (check: string, severity: LintFinding["severity"], message: string, fix?: string) =>
      out.push({ id: `${namespace}/${workload}/${check}`, namespace, workload, check, severity, message, ...(fix ? { fix } : {}) });
    const container = servingContainerOf(lane.spec);
    const grace = lane.spec.terminationGracePeriodSeconds;
    const routed = group.some((l) => l.endpoints.length > 0 || l.lbMembers.length > 0);
    if (container && routed && container.preStop.kind === "none") {
      add(
        "no-prestop",
        "warning",
        `${workload}: container ${container.name} has no preStop hook but is behind a Service or LB, so SIGTERM arrives while consumers still route to it.`,
        "Add `lifecycle.preStop` with a sleep (the `sleep` action or `sh -c \"sleep 10\"`) longer than your slowest consumer's propagation.",
      );
    }
    const sleep = container?.preStop.sleepSeconds;
    if (sleep !== undefined && sleep >= grace) {
      add(
        "prestop-exceeds-grace",
        "warning",
        `${workload}: the preStop sleep (${sleep} s) is not shorter than terminationGracePeriodSeconds (${grace} s), so the app gets only 2 s between SIGTERM and SIGKILL.`,
        `Raise terminationGracePeriodSeconds to at least ${sleep + 15} s.`,
      );
    }
    if (container && !container.readinessProbe && routed) {
      add("no-readiness-probe", "warning", `${workload}: container ${container.name} has no readiness probe: it receives traffic as soon as it starts, and stays in rotation if it stops serving.`, "Add a readinessProbe that checks the app can serve.");
    }
    const deployment = c.deployments.get(nsKey(namespace, workload));
    if (deployment && deployment.replicas === 1) {
      add("single-replica", "warning", `${workload}: 1 replica: every rollout, drain or restart leaves the service with no ready endpoint unless a surge pod is ready first.`, "Run at least 2 replicas with a PodDisruptionBudget.");
    }
    for (const svc of new Set(group.flatMap((l) => l.services))) {
      const s = c.services.get(nsKey(namespace, svc));
      if (s?.externalTrafficPolicy === "Local") {
        add(
          "external-traffic-policy-local",
          "info",
          `Service ${svc} uses externalTrafficPolicy: Local: the node's health check fails as soon as its last local endpoint is not ready, while the LB keeps sending for its check interval × threshold.`,
          "Keep pods serving (preStop sleep) longer than the LB's health-check interval × unhealthy threshold, or spread replicas so no node loses its last one.",
        );
      }
    }
    const killed = group.filter((l) => l.keyTimes.killedAtDeadline).length;
    if (killed > 0) {
      add(
        "grace-shorter-than-drain",
        "warning",
        `${workload}: ${counted(killed, "pod")} ${killed === 1 ? "was" : "were"} SIGKILLed at the ${grace} s grace deadline: the drain takes longer than the grace allows.`,
        "Raise terminationGracePeriodSeconds above preStop sleep + the longest drain, or make the app exit sooner on SIGTERM.",
      );
    }
  }
  return out;
}
