/**
 * The EndpointSlice controller. Conditions exactly as kubernetes-signals.md gives them:
 *   ready = publishNotReadyAddresses ∨ (podReady ∧ ¬terminating), serving = podReady,
 *   terminating = deletionTimestamp set;
 * an endpoint is dropped once its pod's phase is terminal or the pod is gone. Endpoints stay in the slice
 * they were placed in, new ones fill slices up to 100, an emptied extra slice is deleted, and the last
 * slice of a service stays as a placeholder with `endpoints: null` — as real slices look.
 */
import { k8sTime } from "../core/time-format";
import type { StoreChange } from "../api/store";
import { matchesLabels, selectorFromMap } from "../api/selectors";
import type { Endpoint, EndpointPort, EndpointSlice, KubeObject, Pod, Service } from "../k8s/types";
import type { Rng } from "../core/rng";
import { type ControllerContext, WorkQueue, nsName, splitKey } from "./context";
import { isPodReady, isTerminal } from "./pod-api";

export const MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
export const SERVICE_NAME = "kubernetes.io/service-name";
const CONTROLLER = "endpointslice-controller.k8s.io";
const TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
const MAX_PER_SLICE = 100;

function desiredEndpoint(pod: Pod, svc: Service): Endpoint | undefined {
  if (!pod.status.podIP || isTerminal(pod)) return undefined;
  const ready = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  return {
    addresses: [pod.status.podIP],
    conditions: { ready: svc.spec.publishNotReadyAddresses === true || (ready && !terminating), serving: ready, terminating },
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace ?? "", name: pod.metadata.name, uid: pod.metadata.uid },
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
  };
}

function slicePorts(svc: Service, pod: Pod | undefined): EndpointPort[] {
  return svc.spec.ports.map((p) => {
    let port = typeof p.targetPort === "number" ? p.targetPort : p.port;
    if (typeof p.targetPort === "string" && pod) {
      const found = pod.spec.containers.flatMap((c) => c.ports ?? []).find((cp) => cp.name === p.targetPort);
      if (found) port = found.containerPort;
    }
    return { ...(p.name ? { name: p.name } : {}), protocol: p.protocol, port };
  });
}

function isPod(o: KubeObject | undefined): o is Pod {
  return o?.kind === "Pod";
}

function readyTime(p: Pod): string | undefined {
  return p.status.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime;
}

/** When a pod change should stamp the slice's last-change-trigger-time, and with what. */
function triggerTime(c: StoreChange): string | undefined {
  if (c.type === "ADDED") return c.object.metadata.creationTimestamp;
  if (c.type !== "MODIFIED" || !isPod(c.object) || c.object.metadata.deletionTimestamp) return undefined;
  const now = readyTime(c.object);
  return isPod(c.previous) && readyTime(c.previous) !== now ? now : undefined;
}

export interface EndpointSliceOptions {
  /** Reaction time of the controller's sync (virtual ms range). */
  readonly syncMs?: readonly [number, number];
}

export class EndpointSliceController {
  /** Service key → the pods its selector picks, latest versions (an informer index). */
  private readonly selected = new Map<string, Map<string, Pod>>();
  /** Endpoint per pod version, so a sync only rebuilds what changed. */
  private readonly endpointOf = new WeakMap<Pod, Endpoint | null>();
  private readonly queue: WorkQueue;
  private readonly unsubscribe: () => void;
  private readonly triggers = new Map<string, string>();
  private readonly rng: Rng;

  constructor(
    private readonly ctx: ControllerContext,
    options: EndpointSliceOptions = {},
  ) {
    this.rng = ctx.rng.fork("endpointslice-controller");
    const [lo, hi] = options.syncMs ?? [5, 25];
    this.queue = new WorkQueue(ctx.clock, () => this.rng.between(lo, hi), (key) => this.sync(key));
    this.unsubscribe = ctx.store.subscribe((c) => this.onChange(c));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onChange(c: StoreChange): void {
    const ns = c.object.metadata.namespace;
    if (c.resource === "services") {
      const key = nsName(ns, c.object.metadata.name);
      const svc = c.type === "DELETED" ? undefined : this.ctx.store.get("services", ns, c.object.metadata.name);
      if (svc?.spec.selector) {
        const sel = selectorFromMap(svc.spec.selector);
        this.selected.set(key, new Map(this.ctx.store.list("pods", ns).filter((p) => matchesLabels(sel, p.metadata.labels)).map((p) => [p.metadata.uid, p])));
      } else this.selected.delete(key);
      this.queue.add(key);
      return;
    }
    if (c.resource !== "pods") return;
    const pod = c.type === "DELETED" ? undefined : this.ctx.store.get("pods", ns, c.object.metadata.name);
    for (const svc of this.ctx.store.list("services", ns)) {
      const sel = svc.spec.selector;
      if (!sel) continue;
      const s = selectorFromMap(sel);
      const key = nsName(ns, svc.metadata.name);
      const picks = pod !== undefined && matchesLabels(s, pod.metadata.labels);
      const picked = this.selected.get(key);
      if (!picks && !picked?.has(c.object.metadata.uid)) continue;
      if (picks && pod) picked?.set(pod.metadata.uid, pod);
      else picked?.delete(c.object.metadata.uid);
      const t = triggerTime(c);
      if (t && (this.triggers.get(key) ?? "") < t) this.triggers.set(key, t);
      this.queue.add(key);
    }
  }

  private endpointFor(pod: Pod, svc: Service): Endpoint | undefined {
    let ep = this.endpointOf.get(pod);
    if (ep === undefined) {
      ep = desiredEndpoint(pod, svc) ?? null;
      this.endpointOf.set(pod, ep);
    }
    return ep ?? undefined;
  }

  private slicesOf(ns: string, service: string): EndpointSlice[] {
    return this.ctx.store
      .list("endpointslices", ns)
      .filter((s) => s.metadata.labels?.[SERVICE_NAME] === service && s.metadata.labels[MANAGED_BY] === CONTROLLER)
      .sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : a.metadata.name < b.metadata.name ? -1 : 1));
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const { store } = this.ctx;
    const svc = store.get("services", ns, name);
    const slices = this.slicesOf(ns, name);
    const trigger = this.triggers.get(key);
    this.triggers.delete(key);
    if (!svc || !svc.spec.selector) {
      for (const s of slices) store.delete("endpointslices", ns, s.metadata.name);
      return;
    }
    const pods = [...(this.selected.get(key)?.values() ?? [])];
    const desired = new Map<string, Endpoint>();
    for (const p of pods) {
      const ep = svc.spec.publishNotReadyAddresses ? desiredEndpoint(p, svc) : this.endpointFor(p, svc);
      if (ep) desired.set(p.metadata.uid, ep);
    }
    const ports = slicePorts(svc, pods[0]);
    const placed = new Set<string>();
    const next = slices.map((s) => {
      const kept: Endpoint[] = [];
      for (const ep of s.endpoints ?? []) {
        const want = desired.get(ep.targetRef.uid);
        if (want && !placed.has(ep.targetRef.uid)) {
          kept.push(want);
          placed.add(ep.targetRef.uid);
        }
      }
      return { slice: s, endpoints: kept };
    });
    const fresh = [...desired.entries()].filter(([uid]) => !placed.has(uid)).map(([, ep]) => ep);
    for (const slot of next) {
      while (fresh.length > 0 && slot.endpoints.length < MAX_PER_SLICE) {
        const ep = fresh.shift();
        if (ep) slot.endpoints.push(ep);
      }
    }
    while (fresh.length > 0 || next.length === 0) {
      next.push({ slice: this.createSlice(svc, trigger), endpoints: fresh.splice(0, MAX_PER_SLICE) });
    }
    const nonEmpty = next.filter((n) => n.endpoints.length > 0).length;
    next.forEach((n, i) => {
      const keepAsPlaceholder = nonEmpty === 0 && i === 0;
      if (n.endpoints.length === 0 && !keepAsPlaceholder) {
        store.delete("endpointslices", ns, n.slice.metadata.name);
        return;
      }
      const endpoints = n.endpoints.length > 0 ? n.endpoints : null;
      const slicePortsNow = n.endpoints.length > 0 ? ports : null;
      // Like the real reconciler, only write slices whose endpoints or ports changed.
      if (JSON.stringify([endpoints, slicePortsNow]) === JSON.stringify([n.slice.endpoints, n.slice.ports])) return;
      store.update("endpointslices", ns, n.slice.metadata.name, (s) => {
        s.endpoints = endpoints;
        s.ports = slicePortsNow;
        const annotations = { ...s.metadata.annotations };
        if (trigger) annotations[TRIGGER_TIME] = trigger;
        else delete annotations[TRIGGER_TIME];
        s.metadata.annotations = Object.keys(annotations).length > 0 ? annotations : undefined;
      });
    });
  }

  private createSlice(svc: Service, trigger: string | undefined): EndpointSlice {
    return this.ctx.store.create("endpointslices", {
      kind: "EndpointSlice",
      apiVersion: "discovery.k8s.io/v1",
      metadata: {
        name: "",
        generateName: `${svc.metadata.name}-`,
        namespace: svc.metadata.namespace,
        uid: "",
        resourceVersion: "",
        creationTimestamp: "",
        labels: { ...svc.metadata.labels, [MANAGED_BY]: CONTROLLER, [SERVICE_NAME]: svc.metadata.name },
        annotations: { [TRIGGER_TIME]: trigger ?? k8sTime(this.ctx.clock.now()) },
        ownerReferences: [{ apiVersion: "v1", kind: "Service", name: svc.metadata.name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      addressType: "IPv4",
      endpoints: null,
      ports: null,
    });
  }
}
