/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods (not terminating, not terminal), creating
 * from the template (`SuccessfulCreate` "Created pod: X") or deleting the least valuable first
 * (`SuccessfulDelete` "Deleted pod: X": unscheduled < pending < not ready < ready, newest first), and
 * reports status counts the way the real controller does (terminating pods are not counted).
 */
import type { Rng } from "../core/rng";
import { podFromReplicaSet } from "../k8s/builders";
import type { Pod, ReplicaSet } from "../k8s/types";
import type { StoreChange } from "../api/store";
import { type ControllerContext, WorkQueue, nsName, splitKey } from "./context";
import { deletePod, isPodReady, isTerminal } from "./pod-api";

export function ownerUid(obj: { metadata: { ownerReferences?: { uid: string; controller?: boolean }[] } }): string | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.controller)?.uid;
}

export function isActive(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp === undefined && !isTerminal(pod);
}

/** Lower rank = deleted first. */
function deletionRank(pod: Pod): number {
  if (!pod.spec.nodeName) return 0;
  if (pod.status.phase === "Pending") return 1;
  if (!isPodReady(pod)) return 2;
  return 3;
}

export class ReplicaSetController {
  /** ReplicaSet uid → its pods by uid, latest version (an informer index). */
  private readonly owned = new Map<string, Map<string, Pod>>();
  private readonly queue: WorkQueue;
  private readonly unsubscribe: () => void;
  private readonly rng: Rng;

  constructor(private readonly ctx: ControllerContext) {
    this.rng = ctx.rng.fork("replicaset-controller");
    this.queue = new WorkQueue(ctx.clock, () => this.rng.between(3, 10), (key) => this.sync(key));
    this.unsubscribe = ctx.store.subscribe((c) => this.onChange(c));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onChange(c: StoreChange): void {
    if (c.resource === "replicasets") {
      if (c.type !== "DELETED") this.queue.add(nsName(c.object.metadata.namespace, c.object.metadata.name));
      return;
    }
    if (c.resource !== "pods") return;
    const owner = c.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === "ReplicaSet");
    if (!owner) return;
    let pods = this.owned.get(owner.uid);
    if (!pods) this.owned.set(owner.uid, (pods = new Map()));
    const pod = c.type === "DELETED" ? undefined : this.ctx.store.get("pods", c.object.metadata.namespace, c.object.metadata.name);
    if (pod && pod.metadata.uid === c.object.metadata.uid) pods.set(pod.metadata.uid, pod);
    else pods.delete(c.object.metadata.uid);
    this.queue.add(nsName(c.object.metadata.namespace, owner.name));
  }

  private ownedPods(rs: ReplicaSet): Pod[] {
    return [...(this.owned.get(rs.metadata.uid)?.values() ?? [])];
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const { store, events, clock } = this.ctx;
    const rs = store.get("replicasets", ns, name);
    if (!rs) return;
    const active = this.ownedPods(rs).filter(isActive);
    const diff = active.length - rs.spec.replicas;
    const source = { component: "replicaset-controller" };
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) {
        const pod = store.create("pods", podFromReplicaSet(rs, this.rng));
        events.record({ involved: rs, reason: "SuccessfulCreate", message: `Created pod: ${pod.metadata.name}`, source });
      }
    } else if (diff > 0) {
      const victims = [...active]
        .sort((a, b) => deletionRank(a) - deletionRank(b) || (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? 1 : -1))
        .slice(0, diff);
      for (const pod of victims) {
        deletePod(store, clock, ns, pod.metadata.name);
        events.record({ involved: rs, reason: "SuccessfulDelete", message: `Deleted pod: ${pod.metadata.name}`, source });
      }
    }
    const now = this.ownedPods(rs).filter(isActive);
    const ready = now.filter(isPodReady).length;
    store.update("replicasets", ns, name, (r) => {
      r.status = {
        replicas: now.length,
        ...(now.length > 0 ? { fullyLabeledReplicas: now.length } : {}),
        ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
        observedGeneration: r.metadata.generation ?? 1,
      };
    });
  }
}
