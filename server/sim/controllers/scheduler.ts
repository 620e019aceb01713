/**
 * The scheduler: binds each new pod to the schedulable node running the fewest pods, writing
 * spec.nodeName and the PodScheduled condition in one update, and the µs-eventTime `Scheduled` event.
 */
import { k8sTime } from "../core/time-format";
import type { Node } from "../k8s/types";
import type { StoreChange } from "../api/store";
import { type ControllerContext, WorkQueue, nsName, splitKey } from "./context";
import { isTerminal, setPodCondition } from "./pod-api";

export class Scheduler {
  /** Pod uid → node, for pods bound and not terminal (the scheduler cache). */
  private readonly placed = new Map<string, string>();
  private readonly queue: WorkQueue;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ControllerContext) {
    const rng = ctx.rng.fork("scheduler");
    this.queue = new WorkQueue(ctx.clock, () => rng.between(5, 20), (key) => this.bind(key));
    this.unsubscribe = ctx.store.subscribe((c) => this.onChange(c));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onChange(c: StoreChange): void {
    if (c.resource !== "pods") return;
    const uid = c.object.metadata.uid;
    const pod = c.type === "DELETED" ? undefined : this.ctx.store.get("pods", c.object.metadata.namespace, c.object.metadata.name);
    if (!pod || pod.metadata.uid !== uid || isTerminal(pod)) this.placed.delete(uid);
    else if (pod.spec.nodeName) this.placed.set(uid, pod.spec.nodeName);
    if (c.type === "ADDED" && pod && !pod.spec.nodeName) this.queue.add(nsName(pod.metadata.namespace, pod.metadata.name));
  }

  private pickNode(nodes: readonly Node[]): Node | undefined {
    const load = new Map<string, number>();
    for (const n of this.placed.values()) load.set(n, (load.get(n) ?? 0) + 1);
    let best: Node | undefined;
    for (const n of nodes) {
      if (n.spec.unschedulable) continue;
      if (!best || (load.get(n.metadata.name) ?? 0) < (load.get(best.metadata.name) ?? 0)) best = n;
    }
    return best;
  }

  private bind(key: string): void {
    const [ns, name] = splitKey(key);
    const { store, clock, events } = this.ctx;
    const pod = store.get("pods", ns, name);
    if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp) return;
    const nodes = store.list("nodes").sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const node = this.pickNode(nodes);
    if (!node) {
      // Nothing schedulable: retry later, like the scheduler's backoff queue.
      clock.setTimer(1000, () => this.queue.add(key));
      return;
    }
    const bound = store.update("pods", ns, name, (p) => {
      p.spec.nodeName = node.metadata.name;
      setPodCondition(p, "PodScheduled", "True", k8sTime(clock.now()));
    });
    if (bound) events.recordScheduled(pod, node.metadata.name);
  }
}
