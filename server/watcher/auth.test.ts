// The watcher authenticates to the (strict) simulated apiserver as kubectl would: token, token file,
// exec plugin, a 401 that reloads the credentials once, and a 403 on one resource only.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readAll } from "../sim/api/auth";
import type { KubeconfigOptions } from "../sim/api/kubeconfig";
import { startTestApi, type TestApi } from "../sim/api/testing";
import { addPod, listPods, removeTempDirs, requests, targetFor, tempDir, until, watch, type RunningWatcher } from "./auth-testing";
import { ApiError } from "./kube-transport";
import { findClusters, probeCluster, type ClusterTarget } from "./kubeconfig";

let api: TestApi | undefined;
let running: RunningWatcher | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await running?.watcher.stop();
  running = undefined;
  await api?.close();
  api = undefined;
  removeTempDirs();
});

async function target(o: Omit<KubeconfigOptions, "server">): Promise<ClusterTarget> {
  if (!api) throw new Error("no api");
  return targetFor(api.server.url, o);
}

const list = listPods;

/** An exec credential plugin: prints `<prefix>-<n>` for its n-th run, valid for `ttlMs`; counts runs in a file. */
function execPlugin(dir: string, prefix: string, ttlMs: number): { command: string; args: string[]; runs: () => number } {
  const script = join(dir, "plugin.mjs");
  const counter = join(dir, "runs");
  writeFileSync(counter, "0");
  writeFileSync(
    script,
    [
      'import { readFileSync, writeFileSync } from "node:fs";',
      "const [counter, prefix, ttl] = process.argv.slice(2);",
      'const n = Number(readFileSync(counter, "utf8")) + 1;',
      "writeFileSync(counter, String(n));",
      "const expirationTimestamp = new Date(Date.now() + Number(ttl)).toISOString();",
      'process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: `${prefix}-${n}`, expirationTimestamp } }));',
    ].join("\n"),
  );
  chmodSync(script, 0o700);
  return { command: process.execPath, args: [script, counter, prefix, String(ttlMs)], runs: () => Number(readFileSync(counter, "utf8")) };
}

describe("watcher authentication against the simulated apiserver", () => {
  it("sends the kubeconfig's bearer token on every list and watch", async () => {
    api = await startTestApi();
    addPod(api, "a");
    const t = await target({ token: api.token });
    running = watch(t.transport, ["pods"]);
    await until("pod a", () => running?.podNames().has("a") ?? false);
    addPod(api, "b");
    await until("pod b", () => running?.podNames().has("b") ?? false);
    const bearer = `Bearer ${api.token}`;
    expect(requests(api.server.auth.audit())).toEqual([
      ["GET /api/v1/pods", bearer, 200],
      ["GET /api/v1/pods (watch)", bearer, 200],
    ]);
    expect(running.watcher.health.resources[0]?.lastError).toBeUndefined();
  });

  it("re-reads a token-file on every request: after a rotation the old token is never sent again", async () => {
    api = await startTestApi();
    addPod(api, "a");
    const tokenFile = join(tempDir(), "token");
    writeFileSync(tokenFile, "rotating-1\n");
    api.server.auth.addToken("rotating-1", { user: "drainscope-sim" });
    const t = await target({ tokenFile });
    running = watch(t.transport, ["pods"]);
    await until("the watch", () => running?.watcher.health.resources[0]?.connected ?? false);

    writeFileSync(tokenFile, "rotating-2\n");
    api.server.auth.addToken("rotating-2", { user: "drainscope-sim" });
    api.server.auth.revokeToken("rotating-1");
    api.server.faults.apply({ fault: "drop-watches" });
    addPod(api, "b");
    await until("pod b after the rotation", () => running?.podNames().has("b") ?? false);

    const log = requests(api.server.auth.audit());
    expect(log.slice(0, 2)).toEqual([
      ["GET /api/v1/pods", "Bearer rotating-1", 200],
      ["GET /api/v1/pods (watch)", "Bearer rotating-1", 200],
    ]);
    expect(log.slice(2).length).toBeGreaterThan(0);
    expect(log.slice(2).every(([, auth, code]) => auth === "Bearer rotating-2" && code === 200)).toBe(true);
  });

  it("runs an exec plugin, caches its credential until it expires, then runs it again", async () => {
    api = await startTestApi();
    for (const n of [1, 2]) api.server.auth.addToken(`exec-${n}`, { user: "drainscope-sim" });
    const plugin = execPlugin(tempDir(), "exec", 60 * 60_000);
    const t = await target({ exec: { command: plugin.command, args: plugin.args } });
    await list(t);
    await list(t);
    expect(plugin.runs()).toBe(1);
    // Two hours on: the credential's expirationTimestamp has passed.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * 60 * 60_000);
    await list(t);
    expect(plugin.runs()).toBe(2);
    expect(requests(api.server.auth.audit())).toEqual([
      ["GET /api/v1/namespaces/demo/pods", "Bearer exec-1", 200],
      ["GET /api/v1/namespaces/demo/pods", "Bearer exec-1", 200],
      ["GET /api/v1/namespaces/demo/pods", "Bearer exec-2", 200],
    ]);
  });

  it("on a 401 reloads the credentials once and recovers when the new ones are valid", async () => {
    api = await startTestApi();
    for (const n of [1, 2]) api.server.auth.addToken(`exec-${n}`, { user: "drainscope-sim" });
    const plugin = execPlugin(tempDir(), "exec", 60 * 60_000);
    const t = await target({ exec: { command: plugin.command, args: plugin.args } });
    await list(t);
    api.server.auth.revokeToken("exec-1"); // the server no longer honours it, though it has not reached its expiry
    const page = await list(t);
    expect(page.items).toEqual([]);
    expect(plugin.runs()).toBe(2);
    expect(requests(api.server.auth.audit())).toEqual([
      ["GET /api/v1/namespaces/demo/pods", "Bearer exec-1", 200],
      ["GET /api/v1/namespaces/demo/pods", "Bearer exec-1", 401],
      ["GET /api/v1/namespaces/demo/pods", "Bearer exec-2", 200],
    ]);
  });

  it("reloads once for all of a cluster's watches when they hit the same 401", async () => {
    api = await startTestApi();
    for (const n of [1, 2, 3]) api.server.auth.addToken(`exec-${n}`, { user: "drainscope-sim" });
    addPod(api, "a");
    const plugin = execPlugin(tempDir(), "exec", 60 * 60_000);
    const t = await target({ exec: { command: plugin.command, args: plugin.args } });
    running = watch(t.transport, ["pods", "services", "deployments"]);
    await until("three watches", () => running?.watcher.health.resources.every((r) => r.connected) ?? false);
    api.server.auth.revokeToken("exec-1");
    api.server.faults.apply({ fault: "drop-watches" });
    addPod(api, "b");
    await until("pod b", () => running?.podNames().has("b") ?? false);
    await until("three watches again", () => running?.watcher.health.resources.every((r) => r.connected) ?? false);
    expect(plugin.runs()).toBe(2);
    const first = requests(api.server.auth.audit()).slice(0, 6);
    expect(first.map(([, auth, code]) => [auth, code])).toEqual(Array.from({ length: 6 }, () => ["Bearer exec-1", 200]));
    const after = requests(api.server.auth.audit()).slice(6);
    expect(after.filter(([, auth]) => auth === "Bearer exec-2").every(([, , code]) => code === 200)).toBe(true);
    expect(after.filter(([, auth]) => auth === "Bearer exec-2").length).toBe(3);
    expect(after.filter(([, auth]) => auth === "Bearer exec-1").every(([, , code]) => code === 401)).toBe(true);
  });

  it("on a 401 with credentials that stay invalid, retries once, then fails and the watcher reports it", async () => {
    api = await startTestApi();
    addPod(api, "a");
    api.server.auth.addToken("short-lived", { user: "drainscope-sim" });
    const t = await target({ token: "short-lived" });
    running = watch(t.transport, ["pods"]);
    await until("the watch", () => running?.watcher.health.resources[0]?.connected ?? false);
    api.server.auth.revokeToken("short-lived");
    api.server.faults.apply({ fault: "drop-watches" });
    const health = running.watcher.health.resources[0];
    await until("the 401 in the watcher's health", () => (health?.lastError ?? "").includes("401"));
    expect(health?.lastError).toMatch(/ 401: Unauthorized$/);
    expect(health?.connected).toBe(false);
    await running.watcher.stop();
    const after = requests(api.server.auth.audit()).slice(2);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.every(([what, auth, code]) => what === "GET /api/v1/pods (watch)" && auth === "Bearer short-lived" && code === 401)).toBe(true);
    // One request: sent, reloaded-and-retried once, then the failure.
    const before = api.server.auth.audit().length;
    const err = await list(t).catch((e: unknown) => e);
    expect(err instanceof ApiError && [err.status, err.message, err.details.reason]).toEqual([401, "401: Unauthorized", "Unauthorized"]);
    expect(requests(api.server.auth.audit().slice(before))).toEqual([
      ["GET /api/v1/namespaces/demo/pods", "Bearer short-lived", 401],
      ["GET /api/v1/namespaces/demo/pods", "Bearer short-lived", 401],
    ]);
  });

  it("reports a forbidden resource for that resource only while pods keep flowing", async () => {
    api = await startTestApi({
      auth: { rules: [{ subject: "drainscope-sim", verbs: ["get", "list", "watch"], resources: ["pods", "events", "services", "replicasets", "deployments"] }] },
    });
    addPod(api, "a");
    const t = await target({ token: api.token });
    running = watch(t.transport, ["pods", "endpointslices"]);
    await until("pod a", () => running?.podNames().has("a") ?? false);
    const [pods, slices] = running.watcher.health.resources;
    await until("the 403 in the endpointslices health", () => (slices?.lastError ?? "").includes("403"));
    addPod(api, "b");
    await until("pod b", () => running?.podNames().has("b") ?? false);
    expect(slices?.lastError).toMatch(
      / 403: endpointslices\.discovery\.k8s\.io is forbidden: User "drainscope-sim" cannot list resource "endpointslices" in API group "discovery\.k8s\.io" at the cluster scope$/,
    );
    expect([slices?.connected, pods?.connected, pods?.lastError]).toEqual([false, true, undefined]);
    const log = requests(api.server.auth.audit());
    expect(log.filter(([what]) => what.startsWith("GET /apis/discovery.k8s.io/v1/endpointslices")).every(([what, , code]) => what === "GET /apis/discovery.k8s.io/v1/endpointslices" && code === 403)).toBe(true);
    expect(log.filter(([what]) => what.startsWith("GET /api/v1/pods"))).toEqual([
      ["GET /api/v1/pods", `Bearer ${api.token}`, 200],
      ["GET /api/v1/pods (watch)", `Bearer ${api.token}`, 200],
    ]);
    const err = await list(t, "/apis/discovery.k8s.io/v1/endpointslices").catch((e: unknown) => e);
    expect(err instanceof ApiError && [err.status, err.details]).toEqual([403, { reason: "Forbidden", kind: "endpointslices", group: "discovery.k8s.io" }]);
  });

  it("sends an auth-provider's token (oidc, through client-node) until it expires", async () => {
    api = await startTestApi();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const idToken = `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ iss: "https://idp.invalid", sub: "dave", exp: Math.floor(Date.now() / 1000) + 3600 })}.c2ln`;
    api.server.auth.addToken(idToken, { user: "drainscope-sim" });
    const path = join(tempDir(), "kubeconfig");
    writeFileSync(
      path,
      JSON.stringify({
        apiVersion: "v1",
        clusters: [{ name: "c", cluster: { server: api.server.url, "insecure-skip-tls-verify": true } }],
        users: [{ name: "dave", user: { "auth-provider": { name: "oidc", config: { "client-id": "drainscope", "id-token": idToken, "idp-issuer-url": "https://idp.invalid" } } } }],
        contexts: [{ name: "oidc", context: { cluster: "c", user: "dave" } }],
        "current-context": "oidc",
      }),
    );
    const found = findClusters([], path);
    if (!found.ok) throw new Error(found.reason);
    const [t] = found.targets;
    if (!t) throw new Error("no target");
    await list(t);
    expect(requests(api.server.auth.audit())).toEqual([["GET /api/v1/namespaces/demo/pods", `Bearer ${idToken}`, 200]]);
  });

  it("reports a failing exec plugin as a credential error, not an empty message", async () => {
    api = await startTestApi();
    const t = await target({ exec: { command: process.execPath, args: ["-e", "process.exit(3)"] } });
    const err = await list(t).catch((e: unknown) => e);
    expect(err instanceof Error && err.message).toBe('cannot get credentials for context "drainscope-sim": the credential plugin failed without a message');
    expect(api.server.auth.audit()).toEqual([]);
  });

  it("grants by group and by namespace like RBAC bindings", async () => {
    api = await startTestApi({
      auth: {
        tokens: { "ns-reader": { user: "carol", groups: ["demo-readers"] } },
        rules: [readAll("drainscope-sim"), { subject: "demo-readers", verbs: ["list"], resources: ["pods"], apiGroups: [""], namespaces: ["demo"] }],
      },
    });
    const t = await target({ token: "ns-reader" });
    expect((await list(t)).items).toEqual([]);
    const err = await list(t, "/api/v1/pods").catch((e: unknown) => e);
    expect(err instanceof ApiError && err.message).toBe('403: pods is forbidden: User "carol" cannot list resource "pods" in API group "" at the cluster scope');
    expect(await probeCluster(t, 3000, "demo")).toEqual({ ok: true });
    expect(await probeCluster(t)).toEqual({
      ok: false,
      reason: `drainscope-sim (${api.server.url}): 403: pods is forbidden: User "carol" cannot list resource "pods" in API group "" at the cluster scope`,
    });
    const other = await list(t, "/api/v1/namespaces/kube-system/pods").catch((e: unknown) => e);
    expect(other instanceof ApiError && other.message).toBe('403: pods is forbidden: User "carol" cannot list resource "pods" in API group "" in the namespace "kube-system"');
  });
});
