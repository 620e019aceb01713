/**
 * Load-balancer member state as watch-line-shaped records — the format pollers, the simulator and the
 * ingest API share, so recordings can carry data-plane state next to Kubernetes objects:
 *
 *   {"type":"MODIFIED","observedAt":"<RFC3339 ms>","object":{"apiVersion":"drainscope.io/v1alpha1",
 *    "kind":"LoadBalancerMember","metadata":{"name":"<ip>:<port>","namespace":"<ns>"},
 *    "spec":{"lb":"<lb>","source":"<source>","service":"<svc>"},
 *    "status":{"state":"active|draining|removed|unhealthy","weight":n?,"connections":n?}}}
 *
 * One record per change of a member's state, weight or connection count.
 */
import type { SimClock } from "../core/clock";
import { isoMillis } from "../core/time-format";

export type MemberState = "active" | "draining" | "removed" | "unhealthy";
export type MemberSource = "envoy-admin" | "discovery" | "ipvs" | "cloud-lb" | "haproxy";

export interface MemberKey {
  readonly lb: string;
  readonly source: MemberSource;
  readonly namespace: string;
  readonly service: string;
  /** "ip:port". */
  readonly member: string;
}

export interface MemberStatus {
  readonly state: MemberState;
  readonly weight?: number;
  readonly connections?: number;
}

export interface LoadBalancerMember {
  readonly apiVersion: "drainscope.io/v1alpha1";
  readonly kind: "LoadBalancerMember";
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: { readonly lb: string; readonly source: MemberSource; readonly service: string };
  readonly status: MemberStatus;
}

export interface MemberRecord {
  readonly type: "MODIFIED";
  readonly observedAt: string;
  readonly object: LoadBalancerMember;
  /** Virtual epoch ms of the change (not serialised into recordings' object). */
  readonly atMs: number;
}

export type MemberListener = (r: MemberRecord) => void;

function keyString(k: MemberKey): string {
  return `${k.source}\u0000${k.lb}\u0000${k.namespace}\u0000${k.member}`;
}

function sameStatus(a: MemberStatus | undefined, b: MemberStatus): boolean {
  return a !== undefined && a.state === b.state && a.weight === b.weight && a.connections === b.connections;
}

export class MemberLog {
  private readonly latest = new Map<string, MemberRecord>();
  private readonly all: MemberRecord[] = [];
  private readonly listeners = new Set<MemberListener>();

  /** `limit`: how many records the history keeps (a looping simulator runs for days). */
  constructor(
    private readonly clock: SimClock,
    private readonly limit = 100_000,
  ) {}

  /** Record a member's status; nothing happens if it did not change. */
  set(key: MemberKey, status: MemberStatus): void {
    const k = keyString(key);
    if (sameStatus(this.latest.get(k)?.object.status, status)) return;
    const at = this.clock.now();
    const clean: MemberStatus = {
      state: status.state,
      ...(status.weight !== undefined ? { weight: status.weight } : {}),
      ...(status.connections !== undefined ? { connections: status.connections } : {}),
    };
    const record: MemberRecord = {
      type: "MODIFIED",
      observedAt: isoMillis(at),
      atMs: at,
      object: {
        apiVersion: "drainscope.io/v1alpha1",
        kind: "LoadBalancerMember",
        metadata: { name: key.member, namespace: key.namespace },
        spec: { lb: key.lb, source: key.source, service: key.service },
        status: clean,
      },
    };
    this.latest.set(k, record);
    this.all.push(record);
    if (this.all.length > this.limit) this.all.splice(0, this.all.length - this.limit);
    for (const l of [...this.listeners]) l(record);
  }

  /** Mark every member of a namespace removed (its data planes are being torn down). */
  retireNamespace(namespace: string): void {
    for (const r of [...this.latest.values()]) {
      const o = r.object;
      if (o.metadata.namespace !== namespace || o.status.state === "removed") continue;
      this.set({ lb: o.spec.lb, source: o.spec.source, namespace, service: o.spec.service, member: o.metadata.name }, { state: "removed", connections: 0 });
    }
  }

  status(key: MemberKey): MemberStatus | undefined {
    return this.latest.get(keyString(key))?.object.status;
  }

  /** Every record so far, in order. */
  history(): readonly MemberRecord[] {
    return this.all;
  }

  /** The latest record of every member ever seen. */
  current(): readonly MemberRecord[] {
    return [...this.latest.values()];
  }

  subscribe(listener: MemberListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The line a recording stores for a member record (no internal fields). */
export function memberLine(r: MemberRecord): string {
  return JSON.stringify({ type: r.type, observedAt: r.observedAt, object: r.object });
}
