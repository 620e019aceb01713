/**
 * What a data plane sees of a Service: its EndpointSlices merged into one list, delivered after the
 * consumer's own lag (an EDS push, a kube-proxy sync, an LB controller's reconcile). Deliveries keep their
 * order even when the lag has jitter.
 */
import type { SimClock } from "../core/clock";
import type { Rng } from "../core/rng";
import type { ObjectStore } from "../api/store";
import { SERVICE_NAME } from "../controllers/endpointslice";

export interface BackendEndpoint {
  readonly ip: string;
  readonly port: number;
  readonly podName: string;
  readonly podUid: string;
  readonly nodeName: string | undefined;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

/** The service's endpoints right now, from every slice labelled with its name. */
export function serviceEndpoints(store: ObjectStore, namespace: string, service: string): BackendEndpoint[] {
  const out: BackendEndpoint[] = [];
  for (const slice of store.list("endpointslices", namespace)) {
    if (slice.metadata.labels?.[SERVICE_NAME] !== service) continue;
    const port = slice.ports?.[0]?.port ?? 0;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses[0];
      if (!ip) continue;
      out.push({
        ip,
        port,
        podName: ep.targetRef.name,
        podUid: ep.targetRef.uid,
        nodeName: ep.nodeName,
        ready: ep.conditions.ready,
        serving: ep.conditions.serving,
        terminating: ep.conditions.terminating,
      });
    }
  }
  return out;
}

export function memberName(ep: { ip: string; port: number }): string {
  return `${ep.ip}:${ep.port}`;
}

export interface LagOptions {
  /** Virtual ms range of the consumer's reaction time. */
  readonly lagMs: readonly [number, number];
}

/**
 * Call `deliver` with the service's endpoints each time its slices change, `lagMs` later. Returns a stop
 * function.
 */
export function followService(
  store: ObjectStore,
  clock: SimClock,
  rng: Rng,
  namespace: string,
  service: string,
  o: LagOptions,
  deliver: (endpoints: readonly BackendEndpoint[]) => void,
): () => void {
  let lastDue = 0;
  const timers = new Set<number>();
  const schedule = (): void => {
    const snapshot = serviceEndpoints(store, namespace, service);
    const due = Math.max(lastDue, clock.now() + rng.between(o.lagMs[0], o.lagMs[1]));
    lastDue = due;
    const id = clock.setTimer(due - clock.now(), () => {
      timers.delete(id);
      deliver(snapshot);
    });
    timers.add(id);
  };
  const unsubscribe = store.subscribe((c) => {
    if (c.resource === "endpointslices" && c.object.metadata.namespace === namespace && c.object.metadata.labels?.[SERVICE_NAME] === service) schedule();
  });
  schedule();
  return () => {
    unsubscribe();
    for (const t of timers) clock.clearTimer(t);
  };
}
