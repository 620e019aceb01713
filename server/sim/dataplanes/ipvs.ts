/**
 * kube-proxy in IPVS mode (seed 004): a virtual server per Service; a real server per ready endpoint.
 * When an endpoint stops being ready the real server gets weight 0 and stays until
 * ActiveConn + InActConn == 0, checked every minute (graceful_termination.go). With
 * `net.ipv4.vs.conn_reuse_mode=0`, new connections that reuse a source port still land on the weight-0
 * server for a while, so its InActConn stays up — after the pod is gone.
 *
 * Connection counts follow a small deterministic model, updated every tick: active connections finish
 * with a 2 s half-life and are reset when the process exits; inactive entries (FIN/TIME_WAIT) expire
 * linearly over `finTimeoutMs` once nothing new arrives.
 */
import type { ServerResponse } from "node:http";
import type { SimClock, TimerId } from "../core/clock";
import type { Rng } from "../core/rng";
import type { ObjectStore } from "../api/store";
import { sendJson, sendText } from "../api/http-util";
import type { PodRuntimes } from "../controllers/runtime";
import type { DataPlane } from "./data-plane";
import { followService, memberName, type BackendEndpoint } from "./endpoint-view";
import type { MemberLog } from "./member-log";

export interface IpvsOptions {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly rng: Rng;
  readonly members: MemberLog;
  readonly runtimes: PodRuntimes;
  readonly name?: string;
  readonly namespace: string;
  readonly service: string;
  readonly syncLagMs?: readonly [number, number];
  readonly connReuseMode: 0 | 1;
  readonly checkIntervalMs?: number;
  readonly tickMs?: number;
  readonly activeConns?: number;
  readonly inactConns?: number;
  readonly finTimeoutMs?: number;
  /** With conn_reuse_mode 0: how long port-reusing connections keep arriving at a weight-0 server. */
  readonly reuseWindowMs?: number;
}

interface RealServer {
  readonly ip: string;
  readonly port: number;
  readonly podUid: string;
  weight: number;
  active: number;
  inact: number;
  zeroSince?: number;
  a0: number;
  i0: number;
}

export class IpvsTable implements DataPlane {
  readonly kind = "ipvs";
  readonly name: string;
  private readonly servers = new Map<string, RealServer>();
  private readonly stopFollow: () => void;
  private readonly loops: { id: TimerId }[] = [];
  private virtualServer = "";

  constructor(private readonly o: IpvsOptions) {
    this.name = o.name ?? "ipvs";
    this.stopFollow = followService(o.store, o.clock, o.rng.fork("ipvs"), o.namespace, o.service, { lagMs: o.syncLagMs ?? [200, 800] }, (eps) => this.sync(eps));
    this.every(o.tickMs ?? 1000, () => this.tick());
    this.every(o.checkIntervalMs ?? 60_000, () => this.deleteIdle());
  }

  /** The virtual server, "clusterIP:port". */
  private vs(): string {
    if (!this.virtualServer) {
      const svc = this.o.store.get("services", this.o.namespace, this.o.service);
      if (svc) this.virtualServer = `${svc.spec.clusterIP}:${svc.spec.ports[0]?.port ?? 80}`;
    }
    return this.virtualServer || this.o.service;
  }

  /** True while some real server is kept at weight 0. */
  hasDraining(): boolean {
    return [...this.servers.values()].some((r) => r.weight === 0);
  }

  private get lb(): string {
    return `ipvs/${this.vs()}`;
  }

  private every(ms: number, fn: () => void): void {
    const slot = { id: 0 };
    const loop = (): void => {
      fn();
      slot.id = this.o.clock.setTimer(ms, loop);
    };
    slot.id = this.o.clock.setTimer(ms, loop);
    this.loops.push(slot);
  }

  private record(rs: RealServer, removed = false): void {
    this.o.members.set(
      { lb: this.lb, source: "ipvs", namespace: this.o.namespace, service: this.o.service, member: memberName(rs) },
      removed ? { state: "removed" } : { state: rs.weight > 0 ? "active" : "draining", weight: rs.weight, connections: rs.active + rs.inact },
    );
  }

  private sync(eps: readonly BackendEndpoint[]): void {
    const ready = eps.filter((e) => e.ready);
    for (const e of ready) {
      const key = memberName(e);
      if (this.servers.has(key)) continue;
      const rs: RealServer = { ip: e.ip, port: e.port, podUid: e.podUid, weight: 1, active: this.o.activeConns ?? 4, inact: this.o.inactConns ?? 12, a0: 0, i0: 0 };
      this.servers.set(key, rs);
      this.record(rs);
    }
    for (const [key, rs] of this.servers) {
      if (rs.weight === 0 || ready.some((e) => memberName(e) === key)) continue;
      rs.weight = 0;
      rs.zeroSince = this.o.clock.now();
      rs.a0 = rs.active;
      rs.i0 = rs.inact;
      this.record(rs);
    }
  }

  private tick(): void {
    const now = this.o.clock.now();
    const fin = this.o.finTimeoutMs ?? 120_000;
    const reuse = this.o.connReuseMode === 0 ? (this.o.reuseWindowMs ?? 30_000) : 0;
    for (const rs of this.servers.values()) {
      if (rs.weight > 0 || rs.zeroSince === undefined) continue;
      const t = now - rs.zeroSince;
      const exited = this.o.runtimes.get(rs.podUid)?.state === "exited";
      rs.active = exited ? 0 : Math.round(rs.a0 * 0.5 ** (t / 2000));
      const total = rs.a0 + rs.i0;
      rs.inact = t < reuse ? total - rs.active : Math.round(total * Math.max(0, 1 - (t - reuse) / fin));
      this.record(rs);
    }
  }

  private deleteIdle(): void {
    for (const [key, rs] of this.servers) {
      if (rs.weight === 0 && rs.active + rs.inact === 0) {
        this.servers.delete(key);
        this.record(rs, true);
      }
    }
  }

  handle(rest: readonly string[], url: URL, res: ServerResponse): boolean {
    if (rest.length > 0) return false;
    const rows = [...this.servers.values()];
    if (url.searchParams.get("format") === "json") {
      sendJson(res, 200, { virtualServer: this.vs(), scheduler: "rr", connReuseMode: this.o.connReuseMode, realServers: rows.map((r) => ({ address: memberName(r), forward: "Masq", weight: r.weight, activeConn: r.active, inActConn: r.inact })) });
      return true;
    }
    const lines = [
      "IP Virtual Server version 1.2.1 (size=4096)",
      "Prot LocalAddress:Port Scheduler Flags",
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
      `TCP  ${this.vs()} rr`,
      ...rows.map((r) => `  -> ${memberName(r).padEnd(28)}Masq    ${String(r.weight).padEnd(7)}${String(r.active).padEnd(11)}${r.inact}`),
    ];
    sendText(res, 200, lines.join("\n") + "\n");
    return true;
  }

  stop(): void {
    this.stopFollow();
    for (const slot of this.loops) this.o.clock.clearTimer(slot.id);
  }
}
