// The simulated apiserver's authentication and authorisation answers, byte for byte like kube-apiserver's.
import { afterEach, describe, expect, it } from "vitest";
import { readAll } from "./auth";
import { startTestApi, type TestApi } from "./testing";

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const get = (path: string, token?: string) => fetch(`${api?.server.url ?? ""}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe("simulated apiserver auth", () => {
  it("answers 403 with the authorizer's Status for each verb and scope", async () => {
    api = await startTestApi({ auth: { tokens: { "t-bob": { user: "bob" } }, rules: [readAll("drainscope-sim"), { subject: "bob", verbs: ["list"], resources: ["pods"], apiGroups: [""] }] } });
    expect((await get("/api/v1/pods", "t-bob")).status).toBe(200);
    const watch = await get("/apis/discovery.k8s.io/v1/endpointslices?watch=true", "t-bob");
    expect([watch.status, await watch.json()]).toEqual([
      403,
      {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: 'endpointslices.discovery.k8s.io is forbidden: User "bob" cannot watch resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope',
        reason: "Forbidden",
        details: { group: "discovery.k8s.io", kind: "endpointslices" },
        code: 403,
      },
    ]);
    const one = await get("/api/v1/namespaces/demo/pods/web-1", "t-bob");
    expect([one.status, await one.json()]).toMatchObject([
      403,
      { message: 'pods "web-1" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "demo"', details: { name: "web-1", kind: "pods" } },
    ]);
    const pods = await get("/api/v1/namespaces/demo/pods?watch=1", "t-bob");
    expect((await pods.json()) as unknown).toMatchObject({ message: 'pods is forbidden: User "bob" cannot watch resource "pods" in API group "" in the namespace "demo"', details: { kind: "pods" } });
  });

  it("answers 401 to unknown tokens and other schemes, keeps health and version public, and audits who did what", async () => {
    api = await startTestApi();
    expect((await get("/api/v1/pods", "nope")).status).toBe(401);
    const basic = await fetch(`${api.server.url}/api/v1/pods`, { headers: { authorization: "Basic dTpw" } });
    expect(basic.status).toBe(401);
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/version")).status).toBe(200);
    expect((await get("/api")).status).toBe(401);
    expect((await get("/api", api.token)).status).toBe(200);
    expect(api.server.auth.audit().map((e) => [e.path, e.authorization, e.user, e.via, e.code])).toEqual([
      ["/api/v1/pods", "Bearer nope", undefined, undefined, 401],
      ["/api/v1/pods", "Basic dTpw", undefined, undefined, 401],
      ["/healthz", undefined, undefined, undefined, 200],
      ["/version", undefined, undefined, undefined, 200],
      ["/api", undefined, undefined, undefined, 401],
      ["/api", `Bearer ${api.token}`, "drainscope-sim", "token", 200],
    ]);
  });

  it("applies rule changes and revocations to the next request", async () => {
    api = await startTestApi();
    expect((await get("/api/v1/services", api.token)).status).toBe(200);
    api.server.auth.setRules([{ subject: "drainscope-sim", verbs: ["*"], resources: ["pods"] }]);
    expect((await get("/api/v1/services", api.token)).status).toBe(403);
    expect((await get("/api/v1/pods", api.token)).status).toBe(200);
    api.server.auth.revokeToken(api.token);
    expect((await get("/api/v1/pods", api.token)).status).toBe(401);
  });
});
