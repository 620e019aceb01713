// The simulated API server's Leases behave like a real API server's: create, get, optimistic
// concurrency on update (409 Conflict with the real Status body), AlreadyExists, NotFound, 401/403 as
// authentication and RBAC decide, 400 for a body that is not a Lease for that URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SIM_USER } from "./api-server";
import { readAll } from "./auth";
import { leaseHolder } from "./leases";
import { startTestApi, type TestApi } from "./testing";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});

const BASE = "/apis/coordination.k8s.io/v1/namespaces/demo/leases";
const lease = (spec: Record<string, unknown>, resourceVersion?: string, name = "drainscope-watcher") => ({
  apiVersion: "coordination.k8s.io/v1",
  kind: "Lease",
  metadata: { name, ...(resourceVersion ? { resourceVersion } : {}) },
  spec,
});

async function call(method: string, path: string, body?: unknown, token = api.token) {
  const res = await fetch(`${api.server.url}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { metadata?: { resourceVersion?: string }; spec?: Record<string, unknown> } };
}

describe("simulated API server: coordination.k8s.io/v1 Leases", () => {
  const spec = { holderIdentity: "pod-a", leaseDurationSeconds: 15, acquireTime: "2026-11-22T06:00:00.000000Z", renewTime: "2026-11-22T06:00:00.000000Z", leaseTransitions: 0 };

  it("404 before it exists, 201 on create, then 409 AlreadyExists", async () => {
    const missing = await call("GET", `${BASE}/drainscope-watcher`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ kind: "Status", reason: "NotFound", message: 'leases.coordination.k8s.io "drainscope-watcher" not found', code: 404 });
    const created = await call("POST", BASE, lease(spec));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: "Lease", metadata: { name: "drainscope-watcher", namespace: "demo" }, spec });
    const again = await call("POST", BASE, lease(spec));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: "AlreadyExists", details: { name: "drainscope-watcher", group: "coordination.k8s.io", kind: "leases" } });
  });

  it("updates only from the current resourceVersion: a stale one gets 409 Conflict", async () => {
    const current = await call("GET", `${BASE}/drainscope-watcher`);
    const rv = current.body.metadata?.resourceVersion ?? "";
    const renewed = await call("PUT", `${BASE}/drainscope-watcher`, lease({ ...spec, renewTime: "2026-11-22T06:00:05.000000Z" }, rv));
    expect(renewed.status).toBe(200);
    expect(Number(renewed.body.metadata?.resourceVersion)).toBeGreaterThan(Number(rv));
    expect(renewed.body.spec?.renewTime).toBe("2026-11-22T06:00:05.000000Z");
    // A second replica that read the old version loses the race.
    const stale = await call("PUT", `${BASE}/drainscope-watcher`, lease({ ...spec, holderIdentity: "pod-b" }, rv));
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      reason: "Conflict",
      message: 'Operation cannot be fulfilled on leases.coordination.k8s.io "drainscope-watcher": the object has been modified; please apply your changes to the latest version and try again',
      code: 409,
    });
    expect((await call("GET", `${BASE}/drainscope-watcher`)).body.spec?.holderIdentity).toBe("pod-a");
  });

  it("refuses anonymous callers (401) and identities without a rule for the verb (403, as RBAC does)", async () => {
    expect((await call("POST", BASE, lease(spec, undefined, "other"), "")).status).toBe(401);
    api.server.auth.setRules([readAll(DEFAULT_SIM_USER.user)]);
    try {
      expect((await call("GET", `${BASE}/drainscope-watcher`)).status).toBe(200);
      const refused = await call("PUT", `${BASE}/drainscope-watcher`, lease(spec));
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        reason: "Forbidden",
        message: 'leases.coordination.k8s.io "drainscope-watcher" is forbidden: User "drainscope-sim" cannot update resource "leases" in API group "coordination.k8s.io" in the namespace "demo"',
      });
    } finally {
      api.server.auth.setRules([readAll(DEFAULT_SIM_USER.user), leaseHolder(DEFAULT_SIM_USER.user)]);
    }
    expect((await call("PUT", `${BASE}/drainscope-watcher`, lease(spec))).status).toBe(200);
  });

  it("refuses bodies that are not Leases, names that differ from the URL, and unknown leases", async () => {
    expect((await call("POST", BASE, { ...lease(spec), kind: "ConfigMap" })).status).toBe(400);
    expect((await call("POST", BASE, lease({ ...spec, renewTime: "yesterday" }, undefined, "other"))).status).toBe(400);
    expect((await call("POST", BASE, lease(spec, "5", "other"))).status).toBe(400);
    expect((await call("PUT", `${BASE}/drainscope-watcher`, lease(spec, undefined, "another"))).status).toBe(400);
    expect((await call("PUT", `${BASE}/nobody`, lease(spec, "1", "nobody"))).status).toBe(404);
    expect((await call("DELETE", `${BASE}/drainscope-watcher`)).status).toBe(405);
    expect((await call("GET", "/apis/coordination.k8s.io/v1/namespaces/other/leases/drainscope-watcher")).status).toBe(404);
  });
});
