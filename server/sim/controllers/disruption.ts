/**
 * The eviction API with PodDisruptionBudgets. Budgets live in the simulator only (the watcher does not
 * read them); what the watcher sees is the pod: a DisruptionTarget condition then a graceful delete when
 * the eviction is allowed, nothing at all when a budget refuses it (HTTP 429 on a real server).
 */
import type { SimClock } from "../core/clock";
import { k8sTime } from "../core/time-format";
import type { ObjectStore } from "../api/store";
import { matchesLabels, selectorFromMap } from "../api/selectors";
import type { Labels, Pod } from "../k8s/types";
import { deletePod, isPodReady, isTerminal, setPodCondition } from "./pod-api";

export interface DisruptionBudget {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Labels;
  readonly minAvailable?: number;
  readonly maxUnavailable?: number;
}

export type EvictionResult =
  | { readonly allowed: true; readonly code: 201 }
  | { readonly allowed: false; readonly code: 429 | 404; readonly message: string };

function healthy(pod: Pod): boolean {
  return isPodReady(pod) && pod.metadata.deletionTimestamp === undefined && !isTerminal(pod);
}

export class DisruptionController {
  private readonly budgets: DisruptionBudget[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
  ) {}

  addBudget(b: DisruptionBudget): void {
    this.removeBudgets(b.namespace, b.name);
    this.budgets.push(b);
  }

  /** Remove budgets of a namespace (all, or the one named). */
  removeBudgets(namespace: string, name?: string): void {
    for (let i = this.budgets.length - 1; i >= 0; i--) {
      const b = this.budgets[i];
      if (b && b.namespace === namespace && (name === undefined || b.name === name)) this.budgets.splice(i, 1);
    }
  }

  /** How many more pods the budget lets go right now. */
  disruptionsAllowed(b: DisruptionBudget): number {
    const sel = selectorFromMap(b.selector);
    const pods = this.store.list("pods", b.namespace).filter((p) => matchesLabels(sel, p.metadata.labels) && !isTerminal(p));
    const healthyCount = pods.filter(healthy).length;
    const desired = b.minAvailable ?? Math.max(0, pods.length - (b.maxUnavailable ?? 0));
    return Math.max(0, healthyCount - desired);
  }

  evict(namespace: string, name: string): EvictionResult {
    const pod = this.store.get("pods", namespace, name);
    if (!pod) return { allowed: false, code: 404, message: `pods "${name}" not found` };
    if (pod.metadata.deletionTimestamp === undefined) {
      for (const b of this.budgets) {
        if (b.namespace !== namespace || !matchesLabels(selectorFromMap(b.selector), pod.metadata.labels)) continue;
        if (healthy(pod) && this.disruptionsAllowed(b) <= 0) {
          return { allowed: false, code: 429, message: `Cannot evict pod as it would violate the pod's disruption budget.` };
        }
      }
      this.store.update("pods", namespace, name, (p) => {
        setPodCondition(p, "DisruptionTarget", "True", k8sTime(this.clock.now()), "EvictionByEvictionAPI", "Eviction API: evicting");
      });
    }
    deletePod(this.store, this.clock, namespace, name);
    return { allowed: true, code: 201 };
  }
}
