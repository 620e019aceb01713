/**
 * An Envoy-style gateway fed by EDS: its upstream hosts follow the EndpointSlices after an EDS lag, and
 * its admin API answers `GET /clusters?format=json` in Envoy's shape (cluster_statuses[].host_statuses[]
 * with socket_address, health_status.eds_health_status, stats with cx_active/rq_active…; zero-valued
 * stats omit "value", as proto3 JSON does). Without `format=json` it answers Envoy's text format.
 *
 * Hosts are the ready endpoints; with `includeDraining`, serving+terminating ones stay as DRAINING.
 * Static hosts (e.g. a cloud LB's VIP) get outlier detection: ejected (unhealthy) while `healthy()` is false.
 */
import type { ServerResponse } from "node:http";
import type { SimClock, TimerId } from "../core/clock";
import type { Rng } from "../core/rng";
import type { ObjectStore } from "../api/store";
import { sendJson, sendText } from "../api/http-util";
import type { DataPlane } from "./data-plane";
import { followService, type BackendEndpoint } from "./endpoint-view";
import type { MemberLog, MemberState } from "./member-log";

export interface StaticHost {
  readonly address: string;
  readonly port: number;
  /** Service the host fronts (for the member record). */
  readonly service: string;
  /** False while requests through this host fail (5xx): outlier detection ejects it. */
  readonly healthy: () => boolean;
  /** How long an ejection lasts (virtual ms, default 30 s). */
  readonly ejectMs?: number;
}

export interface EnvoyGatewayOptions {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly rng: Rng;
  readonly members: MemberLog;
  /** LB name in member records and the URL segment under /__sim/dataplanes/. */
  readonly name: string;
  readonly namespace: string;
  readonly services?: readonly string[];
  readonly edsLagMs?: readonly [number, number];
  readonly includeDraining?: boolean;
  /** cx_active per healthy host (default 2). */
  readonly connectionsPerHost?: number;
  readonly staticHosts?: readonly StaticHost[];
}

interface HostView {
  readonly cluster: string;
  readonly service: string;
  readonly address: string;
  readonly port: number;
  readonly state: MemberState;
  readonly connections: number;
}

export class EnvoyGateway implements DataPlane {
  readonly kind = "envoy";
  private readonly hosts = new Map<string, HostView[]>();
  private readonly stops: (() => void)[] = [];
  private readonly ejectedUntil = new Map<string, number>();
  private poll: TimerId | undefined;

  constructor(private readonly o: EnvoyGatewayOptions) {
    for (const svc of o.services ?? []) {
      const cluster = `${o.namespace}/${svc}/80`;
      this.stops.push(
        followService(o.store, o.clock, o.rng.fork(`envoy/${svc}`), o.namespace, svc, { lagMs: o.edsLagMs ?? [500, 1500] }, (eps) => this.applyEds(cluster, svc, eps)),
      );
    }
    if ((o.staticHosts ?? []).length > 0) {
      this.pollStatic();
    }
  }

  get name(): string {
    return this.o.name;
  }

  private record(h: HostView): void {
    this.o.members.set(
      { lb: this.o.name, source: "envoy-admin", namespace: this.o.namespace, service: h.service, member: `${h.address}:${h.port}` },
      h.state === "removed" ? { state: "removed" } : { state: h.state, weight: 1, connections: h.connections },
    );
  }

  private applyEds(cluster: string, service: string, eps: readonly BackendEndpoint[]): void {
    const per = this.o.connectionsPerHost ?? 2;
    const next: HostView[] = [];
    for (const e of eps) {
      if (e.ready) next.push({ cluster, service, address: e.ip, port: e.port, state: "active", connections: per });
      else if (this.o.includeDraining && e.serving && e.terminating) next.push({ cluster, service, address: e.ip, port: e.port, state: "draining", connections: per });
    }
    const before = this.hosts.get(cluster) ?? [];
    for (const old of before) {
      if (!next.some((h) => h.address === old.address && h.port === old.port)) this.record({ ...old, state: "removed", connections: 0 });
    }
    for (const h of next) this.record(h);
    this.hosts.set(cluster, next);
  }

  private pollStatic(): void {
    const now = this.o.clock.now();
    const cluster = `${this.o.namespace}/static`;
    const views: HostView[] = [];
    for (const s of this.o.staticHosts ?? []) {
      const key = `${s.address}:${s.port}`;
      if (!s.healthy() && (this.ejectedUntil.get(key) ?? 0) <= now) this.ejectedUntil.set(key, now + (s.ejectMs ?? 30_000));
      const ejected = (this.ejectedUntil.get(key) ?? 0) > now;
      const view: HostView = { cluster, service: s.service, address: s.address, port: s.port, state: ejected ? "unhealthy" : "active", connections: this.o.connectionsPerHost ?? 2 };
      views.push(view);
      this.record(view);
    }
    this.hosts.set(cluster, views);
    this.poll = this.o.clock.setTimer(1000, () => this.pollStatic());
  }

  private clusterStatuses(): object[] {
    return [...this.hosts.entries()].map(([name, hosts]) => ({
      name,
      added_via_api: true,
      host_statuses: hosts.map((h) => {
        const stat = (n: string, v: number, gauge = false): object => ({ ...(gauge ? { type: "GAUGE" } : {}), name: n, ...(v !== 0 ? { value: String(v) } : {}) });
        return {
          address: { socket_address: { address: h.address, port_value: h.port } },
          stats: [stat("cx_connect_fail", 0), stat("cx_total", h.connections), stat("rq_error", 0), stat("rq_success", 0), stat("rq_timeout", 0), stat("rq_total", 0), stat("cx_active", h.connections, true), stat("rq_active", 0, true)],
          health_status: {
            ...(h.state === "unhealthy" ? { failed_outlier_check: true } : {}),
            eds_health_status: h.state === "draining" ? "DRAINING" : "HEALTHY",
          },
          weight: 1,
          locality: {},
        };
      }),
      observability_name: name,
    }));
  }

  handle(rest: readonly string[], url: URL, res: ServerResponse): boolean {
    if (rest.length !== 1 || rest[0] !== "clusters") return false;
    if (url.searchParams.get("format") === "json") {
      sendJson(res, 200, { cluster_statuses: this.clusterStatuses() });
      return true;
    }
    const lines: string[] = [];
    for (const [name, hosts] of this.hosts) {
      for (const h of hosts) {
        const p = `${name}::${h.address}:${h.port}`;
        lines.push(`${p}::cx_active::${h.connections}`, `${p}::rq_active::0`, `${p}::weight::1`);
        lines.push(`${p}::health_flags::${h.state === "unhealthy" ? "/failed_outlier_check" : h.state === "draining" ? "/pending_dynamic_removal" : "healthy"}`);
      }
    }
    sendText(res, 200, lines.join("\n") + "\n");
    return true;
  }

  stop(): void {
    for (const s of this.stops) s();
    if (this.poll !== undefined) this.o.clock.clearTimer(this.poll);
  }
}
