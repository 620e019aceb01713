/**
 * kube-proxy in iptables/nftables mode: per Service, new connections go to `ready` endpoints; only when
 * none is ready does it fall back to `serving ∧ terminating` ones (topology.go CategorizeEndpoints). Its
 * rules trail the EndpointSlices by a sync lag. For `externalTrafficPolicy: Local` it also answers the
 * health-check node port per node: 200 while the node has a local ready endpoint, else 503.
 *
 * It is not a load-balancer member source (the propagation budget covers it), so it emits no records.
 */
import type { ServerResponse } from "node:http";
import type { SimClock } from "../core/clock";
import type { Rng } from "../core/rng";
import type { ObjectStore } from "../api/store";
import { sendJson } from "../api/http-util";
import type { DataPlane } from "./data-plane";
import { followService, memberName, type BackendEndpoint } from "./endpoint-view";

export interface KubeProxyOptions {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly rng: Rng;
  /** Services to program, as "namespace/name". */
  readonly services: readonly string[];
  /** Rule sync lag (virtual ms range; default 300–1000). */
  readonly syncLagMs?: readonly [number, number];
}

interface Programmed {
  readonly endpoints: readonly BackendEndpoint[];
  readonly at: number;
}

export class KubeProxy implements DataPlane {
  readonly name = "kube-proxy";
  readonly kind = "kube-proxy (iptables)";
  private readonly programmed = new Map<string, Programmed>();
  private readonly stops: (() => void)[] = [];

  constructor(private readonly o: KubeProxyOptions) {
    for (const key of o.services) {
      const [ns = "", svc = ""] = key.split("/");
      this.stops.push(
        followService(o.store, o.clock, o.rng.fork(`kube-proxy/${key}`), ns, svc, { lagMs: o.syncLagMs ?? [300, 1000] }, (eps) => {
          this.programmed.set(key, { endpoints: eps, at: o.clock.now() });
        }),
      );
    }
  }

  /** Endpoints new connections can reach for the service, after kube-proxy's lag. */
  targets(namespace: string, service: string): { endpoints: readonly BackendEndpoint[]; fallbackToTerminating: boolean } {
    const eps = this.programmed.get(`${namespace}/${service}`)?.endpoints ?? [];
    const ready = eps.filter((e) => e.ready);
    if (ready.length > 0) return { endpoints: ready, fallbackToTerminating: false };
    const draining = eps.filter((e) => e.serving && e.terminating);
    return { endpoints: draining, fallbackToTerminating: draining.length > 0 };
  }

  /** Local ready endpoints on a node as the health-check node port counts them. */
  localReady(namespace: string, service: string, nodeName: string): number {
    const eps = this.programmed.get(`${namespace}/${service}`)?.endpoints ?? [];
    return eps.filter((e) => e.ready && e.nodeName === nodeName).length;
  }

  handle(rest: readonly string[], _url: URL, res: ServerResponse): boolean {
    if (rest.length > 0) return false;
    sendJson(res, 200, {
      mode: "iptables",
      services: this.o.services.map((key) => {
        const [ns = "", svc = ""] = key.split("/");
        const t = this.targets(ns, svc);
        const all = this.programmed.get(key);
        return {
          namespace: ns,
          name: svc,
          endpoints: t.endpoints.map(memberName),
          fallbackToTerminating: t.fallbackToTerminating,
          localEndpointsByNode: Object.fromEntries(
            [...new Set((all?.endpoints ?? []).flatMap((e) => (e.nodeName ? [e.nodeName] : [])))].map((n) => [n, this.localReady(ns, svc, n)]),
          ),
          lastSync: all ? new Date(Math.floor(all.at)).toISOString() : null,
        };
      }),
    });
    return true;
  }

  stop(): void {
    for (const s of this.stops) s();
  }
}
