/**
 * A simulated node's kubelet: watches the pods bound to its node and runs one PodWorker per pod.
 * Pod IPs come from the node's pod CIDR and are never reused within a run, so an IP names one pod.
 */
import type { StoreChange } from "../api/store";
import type { Pod } from "../k8s/types";
import type { ControllerContext } from "./context";
import { DEFAULT_KUBELET_TIMINGS, type KubeletTimings } from "./kubelet-timings";
import { PodWorker } from "./pod-worker";
import type { PodRuntimes } from "./runtime";

export interface SimNode {
  readonly name: string;
  readonly ip: string;
  /** Second octet of the node's pod CIDR (10.<n>.0.0/16). */
  readonly cidrOctet: number;
}

export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  private readonly unsubscribe: () => void;
  private nextIp = 0;

  constructor(
    private readonly ctx: ControllerContext,
    readonly node: SimNode,
    private readonly runtimes: PodRuntimes,
    private readonly timings: KubeletTimings = DEFAULT_KUBELET_TIMINGS,
  ) {
    this.unsubscribe = ctx.store.subscribe((c) => this.onChange(c));
  }

  stop(): void {
    this.unsubscribe();
    for (const w of this.workers.values()) w.stop();
    this.workers.clear();
  }

  /** Stop and forget every pod worker of a namespace without writing anything (a test-bed reset). */
  forgetNamespace(namespace: string): void {
    for (const [uid, w] of this.workers) {
      if (w.namespace !== namespace) continue;
      w.stop();
      this.workers.delete(uid);
    }
  }

  /** Make the pod's liveness probe start failing (the process hangs). */
  failLiveness(podUid: string, container?: string): boolean {
    const w = this.workers.get(podUid);
    w?.failLiveness(container);
    return w !== undefined;
  }

  private allocateIp(): string {
    const n = this.nextIp++;
    return `10.${this.node.cidrOctet}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  private onChange(c: StoreChange): void {
    if (c.resource !== "pods") return;
    const uid = c.object.metadata.uid;
    if (c.type === "DELETED") {
      const w = this.workers.get(uid);
      if (!w) return;
      w.onRemoved();
      return;
    }
    const pod = this.ctx.store.get("pods", c.object.metadata.namespace, c.object.metadata.name);
    if (!pod || pod.metadata.uid !== uid || pod.spec.nodeName !== this.node.name) return;
    this.workerFor(pod).onPod(pod);
  }

  private workerFor(pod: Pod): PodWorker {
    let w = this.workers.get(pod.metadata.uid);
    if (!w) {
      w = new PodWorker(
        {
          ctx: this.ctx,
          nodeName: this.node.name,
          nodeIP: this.node.ip,
          runtimes: this.runtimes,
          allocateIp: () => this.allocateIp(),
          timings: this.timings,
          onDone: () => this.workers.delete(pod.metadata.uid),
        },
        pod,
      );
      this.workers.set(pod.metadata.uid, w);
    }
    return w;
  }
}
