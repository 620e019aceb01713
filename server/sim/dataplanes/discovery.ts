/**
 * An in-house service discovery that the gateways poll every N seconds (seed 000: 10 s). Between syncs
 * the gateways keep sending new connections to the last list they got — including pods already killed.
 * Members are the ready endpoints at each sync; a member missing from a sync is removed.
 */
import type { ServerResponse } from "node:http";
import type { SimClock, TimerId } from "../core/clock";
import type { ObjectStore } from "../api/store";
import { sendJson } from "../api/http-util";
import type { DataPlane } from "./data-plane";
import { memberName, serviceEndpoints } from "./endpoint-view";
import type { MemberLog } from "./member-log";

export interface DiscoveryOptions {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly members: MemberLog;
  readonly name?: string;
  /** LB name the members are recorded under (the gateways that use this discovery). */
  readonly lb: string;
  readonly namespace: string;
  readonly services: readonly string[];
  /** Virtual ms between syncs (default 10 s). */
  readonly syncIntervalMs?: number;
  /** Virtual ms until the first sync (default: one interval). */
  readonly firstSyncMs?: number;
}

export class DiscoveryService implements DataPlane {
  readonly kind = "discovery";
  readonly name: string;
  private readonly lists = new Map<string, string[]>();
  private timer: TimerId | undefined;
  private lastSync: number | undefined;
  private readonly interval: number;

  constructor(private readonly o: DiscoveryOptions) {
    this.name = o.name ?? "discovery";
    this.interval = o.syncIntervalMs ?? 10_000;
    this.timer = o.clock.setTimer(o.firstSyncMs ?? this.interval, () => this.sync());
  }

  /** Virtual time of the last sync, if any. */
  get lastSyncMs(): number | undefined {
    return this.lastSync;
  }

  /** Run one sync now (also what the timer does). */
  sync(): void {
    const { store, namespace, members, lb } = this.o;
    for (const svc of this.o.services) {
      const next = serviceEndpoints(store, namespace, svc).filter((e) => e.ready).map(memberName);
      const before = this.lists.get(svc) ?? [];
      for (const m of before) if (!next.includes(m)) members.set({ lb, source: "discovery", namespace, service: svc, member: m }, { state: "removed" });
      for (const m of next) members.set({ lb, source: "discovery", namespace, service: svc, member: m }, { state: "active", weight: 1 });
      this.lists.set(svc, next);
    }
    this.lastSync = this.o.clock.now();
    this.timer = this.o.clock.setTimer(this.interval, () => this.sync());
  }

  handle(rest: readonly string[], _url: URL, res: ServerResponse): boolean {
    if (rest.length > 0) return false;
    sendJson(res, 200, {
      syncIntervalSeconds: this.interval / 1000,
      lastSync: this.lastSync === undefined ? null : new Date(Math.floor(this.lastSync)).toISOString(),
      services: Object.fromEntries(this.lists),
    });
    return true;
  }

  stop(): void {
    if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
  }
}
