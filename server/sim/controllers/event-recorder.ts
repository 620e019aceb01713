/**
 * core/v1 Events as the kubelet and controllers write them: named `<object>.<hex UnixNano>`, whole-second
 * first/lastTimestamp, empty eventTime, repeats folded into `count` (a MODIFIED with a newer
 * lastTimestamp). The scheduler's events.k8s.io-style event carries a µs eventTime and no timestamps.
 */
import type { SimClock } from "../core/clock";
import { k8sMicroTime, k8sTime } from "../core/time-format";
import type { ObjectStore } from "../api/store";
import type { CoreEvent, KubeObject, ObjectReference } from "../k8s/types";

export interface EventSource {
  readonly component: string;
  readonly host?: string;
}

export interface EventInput {
  readonly involved: KubeObject;
  readonly reason: string;
  readonly message: string;
  readonly type?: "Normal" | "Warning";
  readonly source: EventSource;
  /** `spec.containers{name}` for container-level kubelet events. */
  readonly fieldPath?: string;
}

function reference(obj: KubeObject, fieldPath?: string): ObjectReference {
  return {
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    apiVersion: obj.apiVersion,
    resourceVersion: obj.metadata.resourceVersion,
    ...(fieldPath ? { fieldPath } : {}),
  };
}

export class EventRecorder {
  /** Aggregation key → event name, for folding repeats. */
  private readonly folded = new Map<string, string>();
  private nanoSeq = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
  ) {}

  private eventName(objectName: string): string {
    const nanos = BigInt(Math.floor(this.clock.now())) * 1_000_000n + BigInt(this.nanoSeq++ % 1_000_000);
    return `${objectName}.${nanos.toString(16)}`;
  }

  /** Record a core/v1 event, folding an identical repeat into `count`. */
  record(e: EventInput): CoreEvent {
    const ns = e.involved.metadata.namespace ?? "default";
    const key = [e.involved.metadata.uid, e.fieldPath ?? "", e.reason, e.message, e.source.component, e.source.host ?? "", e.type ?? "Normal"].join("\u0000");
    const now = k8sTime(this.clock.now());
    const existing = this.folded.get(key);
    if (existing) {
      const updated = this.store.update("events", ns, existing, (ev) => {
        ev.count = (ev.count ?? 1) + 1;
        ev.lastTimestamp = now;
      });
      if (updated) return updated;
    }
    const created = this.store.create("events", {
      kind: "Event",
      apiVersion: "v1",
      metadata: { name: this.eventName(e.involved.metadata.name), namespace: ns, uid: "", resourceVersion: "", creationTimestamp: "" },
      involvedObject: reference(e.involved, e.fieldPath),
      reason: e.reason,
      message: e.message,
      source: e.source.host ? { component: e.source.component, host: e.source.host } : { component: e.source.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: e.type ?? "Normal",
      eventTime: null,
      reportingComponent: "",
      reportingInstance: "",
    });
    this.folded.set(key, created.metadata.name);
    // Real aggregation forgets old keys too; bound the cache for long-running simulators.
    if (this.folded.size > 20_000) {
      const oldest = this.folded.keys().next().value;
      if (oldest !== undefined) this.folded.delete(oldest);
    }
    return created;
  }

  /** The scheduler's Scheduled event (events.k8s.io semantics written through core/v1). */
  recordScheduled(pod: KubeObject, nodeName: string): CoreEvent {
    const ns = pod.metadata.namespace ?? "default";
    return this.store.create("events", {
      kind: "Event",
      apiVersion: "v1",
      metadata: { name: this.eventName(pod.metadata.name), namespace: ns, uid: "", resourceVersion: "", creationTimestamp: "" },
      involvedObject: reference(pod),
      reason: "Scheduled",
      message: `Successfully assigned ${ns}/${pod.metadata.name} to ${nodeName}`,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: "Normal",
      eventTime: k8sMicroTime(this.clock.now()),
      action: "Binding",
      reportingComponent: "default-scheduler",
      reportingInstance: "default-scheduler-sim-control-plane",
    });
  }
}
