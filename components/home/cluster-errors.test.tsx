// The home page's cluster errors, rendered as the server renders them, from an /api/health body of the
// shape server/integration/never-pretend.test.ts asserts for a cluster whose API server answers 403.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { HealthView, ResourceHealthView } from "@/lib/view/api-types";
import { formatDateTime } from "@/lib/view/format";
import { ClusterErrors, clusterProblems } from "./cluster-errors";

const USER = "system:serviceaccount:ops:drainscope";

function forbidden(resource: string, qualified: string, group: string): ResourceHealthView {
  return {
    resource,
    connected: false,
    stale: false,
    lastEventAt: null,
    reconnects: 3,
    relists: 0,
    gaps: 0,
    openGapSince: "2026-11-22T06:00:00.000Z",
    failure: {
      kind: "forbidden",
      verb: "list",
      status: 403,
      message: `403: ${qualified} is forbidden: User "${USER}" cannot list resource "${resource}" in API group "${group}" at the cluster scope`,
      summary: `forbidden (403): user ${USER} may not list ${qualified} in all namespaces`,
      hint: `grant get, list and watch on ${qualified}`,
      check: `kubectl auth can-i list ${qualified} --all-namespaces --as=${USER} --context prod`,
      since: "2026-11-22T06:00:00.000Z",
      attempts: 3,
      retryAt: "2026-11-22T06:00:02.000Z",
    },
  };
}

const unreachable = (resource: string, gapSince: string): ResourceHealthView => ({
  resource,
  connected: false,
  stale: true,
  lastEventAt: null,
  reconnects: 9,
  relists: 0,
  gaps: 1,
  openGapSince: gapSince,
  failure: { kind: "unreachable", verb: "list", message: "connect ECONNREFUSED 10.0.0.9:6443", summary: "API server https://10.0.0.9:6443 unreachable (ECONNREFUSED)", hint: "check the server address", check: "kubectl cluster-info --context dr", since: "2026-11-22T05:00:00.000Z", attempts: 9, retryAt: "2026-11-22T06:00:30.000Z" },
});

const connected: ResourceHealthView = { resource: "services", connected: true, stale: false, lastEventAt: "2026-11-22T06:00:00.000Z", reconnects: 0, relists: 0, gaps: 0, openGapSince: null, failure: null };

const health: HealthView = {
  status: "degraded",
  mode: "cluster",
  notice: "watching prod, dr",
  clusters: [
    { name: "prod", server: "https://10.0.0.1:6443", simulated: false, eventsIngested: 0, objectsSkipped: 0, resources: [forbidden("pods", "pods", ""), forbidden("endpointslices", "endpointslices.discovery.k8s.io", "discovery.k8s.io"), connected] },
    { name: "dr", server: "https://10.0.0.9:6443", simulated: false, eventsIngested: 0, objectsSkipped: 0, resources: [unreachable("pods", "2026-11-22T05:10:00.000Z"), unreachable("events", "2026-11-22T05:00:00.000Z")] },
  ],
};

describe("ClusterErrors", () => {
  it("shows each failing cluster's errors per resource, with the fix and the kubectl line", () => {
    const html = renderToStaticMarkup(<ClusterErrors health={health} />);
    expect(html).toContain("Cluster errors");
    expect(html.match(/data-testid="cluster-error"/g)).toHaveLength(2);
    expect(html).toContain(`forbidden (403): user ${USER} may not list endpointslices.discovery.k8s.io in all namespaces`);
    expect(html).toContain(`kubectl auth can-i list endpointslices.discovery.k8s.io --all-namespaces --as=${USER} --context prod`);
    expect(html).toContain("gap open since 2026-11-22 06:00:00");
    expect(html).toContain("API server https://10.0.0.9:6443 unreachable (ECONNREFUSED)");
    expect(html).not.toContain("services");
    expect(html).toContain('href="/timeline?cluster=dr"');
  });

  it("groups the resources one failure hits, the earliest open gap first", () => {
    const problems = clusterProblems(health.clusters?.[1]?.resources ?? []);
    expect(problems.map((p) => [p.failure.kind, p.resources, p.gapSince])).toEqual([["unreachable", ["pods", "events"], Date.parse("2026-11-22T05:00:00.000Z")]]);
    expect(clusterProblems(health.clusters?.[0]?.resources ?? []).map((p) => p.resources)).toEqual([["pods"], ["endpointslices"]]);
  });

  it("renders nothing while every cluster is healthy", () => {
    expect(renderToStaticMarkup(<ClusterErrors health={{ status: "ok", clusters: [{ name: "prod", server: "x", simulated: false, eventsIngested: 1, objectsSkipped: 0, resources: [connected] }] }} />)).toBe("");
    expect(renderToStaticMarkup(<ClusterErrors health={undefined} />)).toBe("");
  });

  it("shows resources not in sync without a failure (a gap restored after a restart), and a store that cannot write", () => {
    const restored: ResourceHealthView = { ...connected, resource: "pods", connected: false, openGapSince: "2026-11-22T05:30:00.000Z" };
    const html = renderToStaticMarkup(
      <ClusterErrors
        health={{
          status: "degraded",
          store: { kind: "sqlite", location: "/data/drainscope.db", writable: false, cause: "database or disk is full", failingSince: "2026-11-22T06:00:00.000Z" },
          clusters: [{ name: "prod", server: "x", simulated: false, eventsIngested: 0, objectsSkipped: 0, resources: [restored, { ...restored, resource: "events", openGapSince: "2026-11-22T05:20:00.000Z" }, connected] }],
        }}
      />,
    );
    expect(html).toContain('data-testid="not-in-sync"');
    expect(html).toContain(`since ${formatDateTime(Date.parse("2026-11-22T05:20:00.000Z"))}: pods, events (gap open`);
    expect(html).toContain("The store cannot write (sqlite at /data/drainscope.db)");
    expect(html).toContain("database or disk is full");
    expect(html.match(/data-testid="cluster-error"/g)).toHaveLength(1);
  });
});
