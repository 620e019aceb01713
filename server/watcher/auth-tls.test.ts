// Authentication that needs TLS: client certificates, insecure-skip-tls-verify, and the in-cluster service
// account (a fake service-account directory, KUBERNETES_SERVICE_HOST/PORT pointing at the simulator).
// The simulator serves HTTPS with certificates made by openssl for this test file.
import { KubeConfig } from "@kubernetes/client-node";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readAll } from "../sim/api/auth";
import { makeTestPki, type TestPki } from "../sim/api/test-pki";
import { startTestApi, type TestApi } from "../sim/api/testing";
import { addPod, listPods, removeTempDirs, requests, targetFor, tempDir, until, watch, type RunningWatcher } from "./auth-testing";
import { IN_CLUSTER_CONTEXT, SERVICE_ACCOUNT_DIR } from "./in-cluster";
import { ApiError } from "./kube-transport";
import { findClusters, kubeconfigPresent } from "./kubeconfig";

let pki: TestPki;
let foreign: TestPki;
let pkiDir: string;
beforeAll(() => {
  pkiDir = mkdtempSync(join(tmpdir(), "ds-pki-"));
  pki = makeTestPki(pkiDir);
  foreign = makeTestPki(pkiDir, "someone-elses-ca");
});
afterAll(() => rmSync(pkiDir, { recursive: true, force: true }));

let api: TestApi | undefined;
let running: RunningWatcher | undefined;
afterEach(async () => {
  await running?.watcher.stop();
  running = undefined;
  await api?.close();
  api = undefined;
  removeTempDirs();
});

async function startTlsApi(): Promise<TestApi> {
  return startTestApi({ tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, clientCa: pki.ca }, auth: { rules: [readAll("drainscope-sim"), readAll("sre")] } });
}

const list = listPods;

describe("watcher authentication over TLS", () => {
  it("authenticates with a client certificate (user = CN, groups = O) on every list and watch", async () => {
    api = await startTlsApi();
    addPod(api, "a");
    const t = await targetFor(api.server.url, { certificateAuthority: pki.ca, clientCertificate: pki.client("alice", ["sre"]) });
    running = watch(t.transport, ["pods"]);
    await until("pod a", () => running?.podNames().has("a") ?? false);
    await until("the watch", () => running?.watcher.health.resources[0]?.connected ?? false);
    expect(api.server.auth.audit().map((e) => [e.path.split("?")[0], e.user, e.via, e.authorization, e.code])).toEqual([
      ["/api/v1/pods", "alice", "certificate", undefined, 200],
      ["/api/v1/pods", "alice", "certificate", undefined, 200],
    ]);
  });

  it("answers 401 to a client certificate from a CA it does not trust", async () => {
    api = await startTlsApi();
    const t = await targetFor(api.server.url, { certificateAuthority: pki.ca, clientCertificate: foreign.client("mallory", ["sre"]) });
    const err = await list(t).catch((e: unknown) => e);
    expect(err instanceof ApiError && [err.status, err.message]).toEqual([401, "401: Unauthorized"]);
    // The request and its one reload-and-retry.
    expect(requests(api.server.auth.audit())).toEqual([
      ["GET /api/v1/namespaces/demo/pods", undefined, 401],
      ["GET /api/v1/namespaces/demo/pods", undefined, 401],
    ]);
  });

  it("checks the server certificate unless insecure-skip-tls-verify is set", async () => {
    api = await startTlsApi();
    const unchecked = await targetFor(api.server.url, { token: api.token, insecureSkipTlsVerify: true });
    expect((await list(unchecked)).items).toEqual([]);
    const checked = await targetFor(api.server.url, { token: api.token, certificateAuthority: foreign.ca });
    const err = await list(checked).catch((e: unknown) => e);
    expect(err instanceof Error && err.message).toMatch(/self[- ]signed|unable to verify|certificate/i);
    expect(requests(api.server.auth.audit())).toEqual([["GET /api/v1/namespaces/demo/pods", `Bearer ${api.token}`, 200]]);
  });
});

describe("in-cluster service account", () => {
  function fakeServiceAccount(token: string): { root: string; dir: string } {
    const root = tempDir();
    const dir = join(root, SERVICE_ACCOUNT_DIR);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "token"), token);
    writeFileSync(join(dir, "ca.crt"), pki.ca);
    writeFileSync(join(dir, "namespace"), "demo");
    return { root, dir };
  }

  it("uses client-node's context name", () => {
    const kc = new KubeConfig();
    kc.loadFromCluster(tempDir());
    expect(kc.getCurrentContext()).toBe(IN_CLUSTER_CONTEXT);
  });

  it("is detected by KUBERNETES_SERVICE_HOST/PORT and the token file", () => {
    const { root, dir } = fakeServiceAccount("sa-1");
    const home = tempDir();
    const env = { KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: "443" };
    expect(kubeconfigPresent(env, { serviceAccountRoot: root, home })).toBe(true);
    expect(kubeconfigPresent({ KUBERNETES_SERVICE_HOST: "127.0.0.1" }, { serviceAccountRoot: root, home })).toBe(false);
    expect(kubeconfigPresent(env, { serviceAccountRoot: tempDir(), home })).toBe(false);
    rmSync(join(dir, "token"));
    expect(kubeconfigPresent(env, { serviceAccountRoot: root, home })).toBe(false);
  });

  it("sends the service-account token, and after a rotation a 401 re-reads it once and the watch goes on", async () => {
    api = await startTlsApi();
    api.server.auth.addToken("sa-1", { user: "system:serviceaccount:demo:drainscope", groups: ["sre"] });
    addPod(api, "a");
    const { root, dir } = fakeServiceAccount("sa-1");
    const env = { KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: String(api.server.port) };
    const found = findClusters([], undefined, { env, serviceAccountRoot: root, home: tempDir() });
    if (!found.ok) throw new Error(found.reason);
    const [t] = found.targets;
    expect([found.source, t?.name, t?.namespace, t?.transport.server]).toEqual(["in-cluster service account", IN_CLUSTER_CONTEXT, "demo", api.server.url]);
    if (!t) return;
    running = watch(t.transport, ["pods"]);
    await until("the watch", () => running?.watcher.health.resources[0]?.connected ?? false);
    expect(running.podNames()).toEqual(new Set(["a"]));

    // The kubelet rotates the bound token; the old one stops working (it expired).
    writeFileSync(join(dir, "token"), "sa-2");
    api.server.auth.addToken("sa-2", { user: "system:serviceaccount:demo:drainscope", groups: ["sre"] });
    api.server.auth.revokeToken("sa-1");
    api.server.faults.apply({ fault: "drop-watches" });
    addPod(api, "b");
    await until("pod b after the rotation", () => running?.podNames().has("b") ?? false);
    expect(requests(api.server.auth.audit())).toEqual([
      ["GET /api/v1/pods", "Bearer sa-1", 200],
      ["GET /api/v1/pods (watch)", "Bearer sa-1", 200],
      // client-node re-reads the token file only every 60 s: the 401 makes us read it now.
      ["GET /api/v1/pods (watch)", "Bearer sa-1", 401],
      ["GET /api/v1/pods (watch)", "Bearer sa-2", 200],
    ]);
    expect(running.watcher.health.resources[0]?.connected).toBe(true);
  });
});
