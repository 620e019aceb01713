/**
 * The simulator's own HTTP paths next to the Kubernetes API (the API server checks the token first):
 *
 *   GET /__sim/lb-members                 latest record of every LB member
 *   GET /__sim/lb-members?watch=true      every record so far, then live, as newline-delimited JSON
 *                                         (`&since=N` skips the first N records)
 *   GET /__sim/dataplanes                 the data planes and their URLs (no token needed)
 *   GET /__sim/dataplanes/<name>/…        a data plane's own read API (Envoy admin, ipvsadm, …)
 *   GET /__sim/scenario                   what the simulator is playing
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../api/http-util";
import type { SimRouteHandler } from "../api/api-server";
import { memberLine } from "../dataplanes/member-log";
import type { SimCluster } from "./sim-cluster";

export interface ScenarioStatus {
  readonly name: string | undefined;
  readonly state: "idle" | "running" | "done" | "failed";
  readonly round: number;
  readonly error?: string;
}

/** Where each data plane answers, given the API server's base URL. */
export function dataPlaneUrls(cluster: SimCluster, baseUrl: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of cluster.dataPlanes()) {
    const base = `${baseUrl}/__sim/dataplanes/${p.name}`;
    out[p.name] = p.kind === "envoy" ? `${base}/clusters?format=json` : p.kind === "cloud-lb" ? `${base}/targets` : base;
  }
  return out;
}

function streamMembers(cluster: SimCluster, url: URL, req: IncomingMessage, res: ServerResponse): void {
  const since = Number(url.searchParams.get("since") ?? "0");
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  const history = cluster.members.history();
  for (const r of history.slice(Number.isFinite(since) && since > 0 ? since : 0)) res.write(memberLine(r) + "\n");
  const unsubscribe = cluster.members.subscribe((r) => res.write(memberLine(r) + "\n"));
  req.on("close", unsubscribe);
  res.on("close", unsubscribe);
}

export function simRoutes(cluster: SimCluster, baseUrl: () => string, scenario: () => ScenarioStatus): SimRouteHandler {
  return (rest, url, req, res) => {
    const [head, plane, ...tail] = rest;
    if (head === "lb-members" && plane === undefined) {
      const watch = url.searchParams.get("watch");
      if (watch === "true" || watch === "1") {
        streamMembers(cluster, url, req, res);
        return true;
      }
      sendJson(res, 200, { kind: "LoadBalancerMemberList", apiVersion: "drainscope.io/v1alpha1", items: cluster.members.current().map((r) => r.object), records: cluster.members.history().length });
      return true;
    }
    if (head === "dataplanes") {
      if (plane === undefined) {
        sendJson(res, 200, { dataPlanes: cluster.dataPlanes().map((p) => ({ name: p.name, kind: p.kind })), urls: dataPlaneUrls(cluster, baseUrl()) });
        return true;
      }
      const target = cluster.dataPlanes().find((p) => p.name === plane);
      return target ? target.handle(tail, url, res) : false;
    }
    if (head === "scenario" && plane === undefined) {
      sendJson(res, 200, scenario());
      return true;
    }
    return false;
  };
}
