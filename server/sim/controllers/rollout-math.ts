/**
 * The arithmetic of a RollingUpdate, as pkg/controller/deployment does it: maxSurge / maxUnavailable
 * resolution (percent: surge rounds up, unavailable down; both 0 → unavailable 1), how far the new
 * ReplicaSet may grow, and how many old pods may go without dropping below minAvailable.
 */
import { fnv1a32, safeEncode } from "../core/rng";
import type { PodTemplateSpec } from "../k8s/types";

export function resolveIntOrPercent(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m?.[1]) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function surgeAndUnavailable(replicas: number, maxSurge: number | string | undefined, maxUnavailable: number | string | undefined): { surge: number; unavailable: number } {
  const surge = resolveIntOrPercent(maxSurge, replicas, true);
  let unavailable = resolveIntOrPercent(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

/** pod-template-hash: FNV-32a of the template, encoded like rand.SafeEncodeString. */
export function templateHash(template: PodTemplateSpec): string {
  return safeEncode(fnv1a32(JSON.stringify(template)));
}

export interface RsCounts {
  readonly specReplicas: number;
  readonly available: number;
}

/** Target size of the new ReplicaSet this round (NewRSNewReplicas for RollingUpdate). */
export function newReplicaSetTarget(replicas: number, surge: number, newRs: RsCounts, all: readonly RsCounts[]): number {
  const current = all.reduce((n, r) => n + r.specReplicas, 0);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return newRs.specReplicas;
  return Math.min(newRs.specReplicas + (maxTotal - current), replicas);
}

/**
 * New sizes for the old ReplicaSets (oldest first), as reconcileOldReplicaSets computes them: first
 * unhealthy old pods go (within maxScaledDown = pods over minAvailable, discounting unavailable new
 * pods), then available old pods down to minAvailable.
 */
export function planOldScaleDown(replicas: number, unavailable: number, newRs: RsCounts, olds: readonly RsCounts[]): number[] {
  const sizes = olds.map((r) => r.specReplicas);
  if (sizes.every((n) => n === 0)) return sizes;
  const allPods = sizes.reduce((n, s) => n + s, newRs.specReplicas);
  const minAvailable = replicas - unavailable;
  const maxScaledDown = allPods - minAvailable - (newRs.specReplicas - newRs.available);
  if (maxScaledDown <= 0) return sizes;
  let cleaned = 0;
  olds.forEach((r, i) => {
    const unhealthy = Math.max(0, (sizes[i] ?? 0) - r.available);
    const take = Math.min(unhealthy, maxScaledDown - cleaned);
    if (take > 0) {
      sizes[i] = (sizes[i] ?? 0) - take;
      cleaned += take;
    }
  });
  const available = olds.reduce((n, r) => n + r.available, newRs.available);
  if (available <= minAvailable) return sizes;
  let budget = available - minAvailable;
  sizes.forEach((size, i) => {
    const take = Math.min(size, budget);
    sizes[i] = size - take;
    budget -= take;
  });
  return sizes;
}
