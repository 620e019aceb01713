/**
 * Pod deletion and eviction with the API server's semantics (rest/delete.go BeforeDelete, pod strategy,
 * eviction subresource):
 *
 * - graceful delete: deletionTimestamp = floor(request + grace), deletionGracePeriodSeconds = grace;
 * - a later, shorter delete keeps `deletionTimestamp − grace` constant;
 * - grace 0 (force delete, or the kubelet's final delete): one MODIFIED with grace 0 and the timestamp
 *   moved back to `dT − g` (≈ the original request), then DELETED at once;
 * - unscheduled or already-terminal pods are deleted with grace 0;
 * - eviction adds a DisruptionTarget condition (reason EvictionByEvictionAPI) first, unless a
 *   PodDisruptionBudget refuses it (429), which changes nothing on the pod.
 */
import type { SimClock } from "../core/clock";
import { k8sTime } from "../core/time-format";
import type { ObjectStore } from "../api/store";
import type { Pod } from "../k8s/types";

export type DeleteOutcome = "not-found" | "terminating" | "deleted" | "unchanged";

function deadline(now: number, graceSeconds: number): string {
  return k8sTime(now + graceSeconds * 1000);
}

/** The request time a deletionTimestamp encodes: dT − grace. */
export function deletionRequestMs(pod: Pod): number | undefined {
  const dt = pod.metadata.deletionTimestamp;
  if (!dt) return undefined;
  return Date.parse(dt) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
}

export function isTerminal(pod: Pod): boolean {
  return pod.status.phase === "Succeeded" || pod.status.phase === "Failed";
}

/**
 * DELETE on a pod. `graceSeconds` undefined = the pod's spec grace.
 * Returns "terminating" when the pod now waits for its kubelet, "deleted" when it is gone.
 */
export function deletePod(store: ObjectStore, clock: SimClock, namespace: string, name: string, graceSeconds?: number): DeleteOutcome {
  const pod = store.get("pods", namespace, name);
  if (!pod) return "not-found";
  let grace = graceSeconds ?? pod.spec.terminationGracePeriodSeconds;
  if (!pod.spec.nodeName || isTerminal(pod)) grace = 0;
  const now = clock.now();

  if (pod.metadata.deletionTimestamp !== undefined) {
    const current = pod.metadata.deletionGracePeriodSeconds ?? 0;
    if (grace >= current) return "unchanged";
    const request = deletionRequestMs(pod) ?? now;
    store.update("pods", namespace, name, (p) => {
      p.metadata.deletionTimestamp = k8sTime(request + grace * 1000);
      p.metadata.deletionGracePeriodSeconds = grace;
    });
  } else {
    store.update("pods", namespace, name, (p) => {
      p.metadata.deletionTimestamp = deadline(now, grace);
      p.metadata.deletionGracePeriodSeconds = grace;
    });
  }
  if (grace > 0) return "terminating";
  store.delete("pods", namespace, name);
  return "deleted";
}

/** `kubectl delete pod --force --grace-period=0`. */
export function forceDeletePod(store: ObjectStore, clock: SimClock, namespace: string, name: string): DeleteOutcome {
  return deletePod(store, clock, namespace, name, 0);
}

/** Add or refresh a pod condition, moving lastTransitionTime only when the status flips. */
export function setPodCondition(
  pod: Pod,
  type: string,
  status: "True" | "False",
  nowIso: string,
  reason?: string,
  message?: string,
): void {
  const conditions = (pod.status.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  const next = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : nowIso,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
  if (existing) conditions[conditions.indexOf(existing)] = next;
  else conditions.push(next);
}

export function isPodReady(pod: Pod): boolean {
  return pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}
