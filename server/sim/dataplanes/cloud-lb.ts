/**
 * A cloud / hardware load balancer in front of a Service, on its own clocks:
 *
 * - `ip` targets (AWS IP mode, F5 CIS cluster mode): an LB controller follows the EndpointSlices after
 *   `controllerLagMs`; a new target is `initial` until `healthyThreshold` checks pass; a target whose
 *   endpoint stops being ready is deregistered — `remove`d at once, or `drain`ed for the deregistration
 *   delay while clients keep their keep-alive connections (the LB does not know the pod has exited).
 * - `instance` targets (externalTrafficPolicy: Local): one target per node; the health check hits
 *   kube-proxy's health-check node port, so a node turns unhealthy only after `unhealthyThreshold` ×
 *   `intervalMs` once its last local ready endpoint is gone (seed 002).
 *
 * Health checks of ip targets fail while the pod answers 503 or no longer runs.
 * Reads: `/__sim/dataplanes/<name>/targets` in the AWS DescribeTargetHealth shape, and the same targets
 * as a BIG-IP pool `/<namespace>/<name>` under `/__sim/dataplanes/<name>/mgmt/tm/ltm/pool/~<namespace>~<name>/members`
 * (and `…/members/stats`) in iControl REST's shape (bigip-view.ts), for the real BIG-IP poller.
 */
import type { ServerResponse } from "node:http";
import type { SimClock, TimerId } from "../core/clock";
import type { Rng } from "../core/rng";
import type { ObjectStore } from "../api/store";
import { sendJson } from "../api/http-util";
import type { SimNode } from "../controllers/kubelet";
import type { PodRuntimes } from "../controllers/runtime";
import type { DataPlane } from "./data-plane";
import { followService, memberName, type BackendEndpoint } from "./endpoint-view";
import type { KubeProxy } from "./kube-proxy";
import { bigipMembersView, bigipStatsView, type BigipViewTarget } from "./bigip-view";
import type { MemberLog, MemberSource } from "./member-log";

export interface HealthCheck {
  readonly intervalMs: number;
  readonly unhealthyThreshold: number;
  readonly healthyThreshold: number;
}

export type Deregistration = { readonly mode: "drain"; readonly delayMs: number } | { readonly mode: "remove" };

export interface CloudLbOptions {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly rng: Rng;
  readonly members: MemberLog;
  readonly runtimes: PodRuntimes;
  readonly name: string;
  readonly namespace: string;
  readonly service: string;
  readonly targetType: "ip" | "instance";
  readonly controllerLagMs?: readonly [number, number];
  readonly healthCheck?: HealthCheck;
  readonly deregistration?: Deregistration;
  /** Connections clients hold per target (keep-alive); reported on active and draining targets. */
  readonly keepAliveConnections?: number;
  readonly source?: MemberSource;
  /** Instance mode: the nodes and kube-proxy answering the health-check node port. */
  readonly nodes?: readonly SimNode[];
  readonly kubeProxy?: KubeProxy;
  readonly nodePort?: number;
}

type TargetState = "initial" | "active" | "unhealthy" | "draining";

interface Target {
  readonly id: string;
  readonly port: number;
  readonly podUid?: string;
  readonly nodeName?: string;
  state: TargetState;
  oks: number;
  fails: number;
  drainTimer?: TimerId;
}

const DEFAULT_HC: HealthCheck = { intervalMs: 10_000, unhealthyThreshold: 3, healthyThreshold: 2 };

export class CloudLoadBalancer implements DataPlane {
  readonly kind = "cloud-lb";
  private readonly targets = new Map<string, Target>();
  private readonly stopFollow: (() => void) | undefined;
  private hcTimer: TimerId | undefined;
  private readonly hc: HealthCheck;

  constructor(private readonly o: CloudLbOptions) {
    this.hc = o.healthCheck ?? DEFAULT_HC;
    if (o.targetType === "ip") {
      this.stopFollow = followService(o.store, o.clock, o.rng.fork(`cloud-lb/${o.name}`), o.namespace, o.service, { lagMs: o.controllerLagMs ?? [1000, 3000] }, (eps) => this.reconcile(eps));
    } else {
      for (const n of o.nodes ?? []) {
        const t: Target = { id: n.ip, port: o.nodePort ?? 30080, nodeName: n.name, state: "initial", oks: 0, fails: 0 };
        this.targets.set(memberName({ ip: t.id, port: t.port }), t);
      }
    }
    this.hcTimer = o.clock.setTimer(o.rng.between(0, this.hc.intervalMs), () => this.healthChecks());
  }

  get name(): string {
    return this.o.name;
  }

  private record(t: Target, removed = false): void {
    const key = { lb: this.o.name, source: this.o.source ?? "cloud-lb", namespace: this.o.namespace, service: this.o.service, member: memberName({ ip: t.id, port: t.port }) };
    if (removed) return this.o.members.set(key, { state: "removed" });
    if (t.state === "initial") return;
    const conns = this.o.keepAliveConnections;
    if (t.state === "unhealthy") return this.o.members.set(key, { state: "unhealthy" });
    this.o.members.set(key, { state: t.state, weight: t.state === "active" ? 1 : 0, ...(conns !== undefined ? { connections: conns } : {}) });
  }

  private reconcile(eps: readonly BackendEndpoint[]): void {
    const ready = new Map(eps.filter((e) => e.ready).map((e) => [memberName(e), e]));
    for (const [key, e] of ready) {
      if (!this.targets.has(key)) this.targets.set(key, { id: e.ip, port: e.port, podUid: e.podUid, state: "initial", oks: 0, fails: 0 });
    }
    for (const [key, t] of this.targets) {
      if (ready.has(key) || t.state === "draining") continue;
      this.deregister(key, t);
    }
  }

  private deregister(key: string, t: Target): void {
    const d = this.o.deregistration ?? { mode: "remove" };
    if (d.mode === "remove" || t.state === "initial") {
      this.targets.delete(key);
      this.record(t, true);
      return;
    }
    t.state = "draining";
    this.record(t);
    t.drainTimer = this.o.clock.setTimer(d.delayMs, () => {
      this.targets.delete(key);
      this.record(t, true);
    });
  }

  private healthy(t: Target): boolean {
    if (this.o.targetType === "instance") return (this.o.kubeProxy?.localReady(this.o.namespace, this.o.service, t.nodeName ?? "") ?? 0) > 0;
    const rt = t.podUid ? this.o.runtimes.get(t.podUid) : undefined;
    return rt?.state === "serving";
  }

  private healthChecks(): void {
    for (const t of this.targets.values()) {
      if (t.state === "draining") continue;
      if (this.healthy(t)) {
        t.fails = 0;
        t.oks++;
        if ((t.state === "initial" || t.state === "unhealthy") && t.oks >= this.hc.healthyThreshold) {
          t.state = "active";
          this.record(t);
        }
      } else {
        t.oks = 0;
        t.fails++;
        if (t.state === "active" && t.fails >= this.hc.unhealthyThreshold) {
          t.state = "unhealthy";
          this.record(t);
        }
      }
    }
    this.hcTimer = this.o.clock.setTimer(this.hc.intervalMs, () => this.healthChecks());
  }

  /**
   * True while requests through this LB can fail: a target that still carries connections (active or
   * draining) belongs to a process answering 503 or no longer running. A gateway in front of the LB
   * sees those 5xx and resets.
   */
  routesToFailingBackend(): boolean {
    for (const t of this.targets.values()) {
      if (t.state !== "active" && t.state !== "draining") continue;
      const state = t.podUid ? this.o.runtimes.get(t.podUid)?.state : undefined;
      if (state === "halting" || state === "exited") return true;
    }
    return false;
  }

  handle(rest: readonly string[], _url: URL, res: ServerResponse): boolean {
    if (rest.join("/").startsWith(`mgmt/tm/ltm/pool/~${this.o.namespace}~${this.o.name}/members`)) return this.handleBigip(rest.slice(6), res);
    if (rest.length !== 1 || rest[0] !== "targets") return false;
    const aws = { initial: "initial", active: "healthy", unhealthy: "unhealthy", draining: "draining" } as const;
    sendJson(res, 200, {
      TargetHealthDescriptions: [...this.targets.values()].map((t) => ({
        Target: { Id: t.id, Port: t.port },
        HealthCheckPort: String(t.port),
        TargetHealth: {
          State: aws[t.state],
          ...(t.state === "draining" ? { Reason: "Target.DeregistrationInProgress", Description: "Target deregistration is in progress" } : {}),
          ...(t.state === "unhealthy" ? { Reason: "Target.FailedHealthChecks", Description: "Health checks failed" } : {}),
          ...(t.state === "initial" ? { Reason: "Elb.RegistrationInProgress", Description: "Target registration is in progress" } : {}),
        },
      })),
    });
    return true;
  }

  private handleBigip(tail: readonly string[], res: ServerResponse): boolean {
    const pool = { partition: this.o.namespace, name: this.o.name };
    const targets: BigipViewTarget[] = [...this.targets.values()].map((t) => ({
      address: t.id,
      port: t.port,
      state: t.state,
      connections: t.state === "active" || t.state === "draining" ? (this.o.keepAliveConnections ?? 0) : 0,
    }));
    if (tail.length === 0) sendJson(res, 200, bigipMembersView(pool, targets));
    else if (tail.length === 1 && tail[0] === "stats") sendJson(res, 200, bigipStatsView(pool, targets));
    else return false;
    return true;
  }

  stop(): void {
    this.stopFollow?.();
    if (this.hcTimer !== undefined) this.o.clock.clearTimer(this.hcTimer);
    for (const t of this.targets.values()) if (t.drainTimer !== undefined) this.o.clock.clearTimer(t.drainTimer);
  }
}
