import { ApiException, CoreV1Api, DiscoveryV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { createRng } from "../core/rng";
import { deploymentObject, podFromReplicaSet } from "../k8s/builders";
import type { Labels, Pod, ReplicaSet } from "../k8s/types";
import { openWatch, startTestApi, tick, type TestApi } from "./testing";

const template = deploymentObject({
  name: "web",
  namespace: "demo",
  replicas: 1,
  graceSeconds: 30,
  onSigterm: { kind: "drain", seconds: 1 },
  readyAfterSeconds: 1,
}).spec.template;

const rs: ReplicaSet = {
  kind: "ReplicaSet",
  apiVersion: "apps/v1",
  metadata: { name: "web-abc", namespace: "demo", uid: "rs-uid", resourceVersion: "", creationTimestamp: "" },
  spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template },
  status: { replicas: 0 },
};

const rng = createRng(3);

function makePod(api: TestApi, name: string, labels: Labels = { app: "web" }, nodeName?: string, namespace = "demo"): Pod {
  const pod = podFromReplicaSet({ ...rs, metadata: { ...rs.metadata, namespace } }, rng);
  pod.metadata.name = name;
  pod.metadata.labels = labels;
  if (nodeName) pod.spec.nodeName = nodeName;
  return api.store.create("pods", pod);
}

function touch(api: TestApi, name: string, phase: Pod["status"]["phase"]): void {
  api.store.update("pods", "demo", name, (p) => {
    p.status.phase = phase;
  });
}

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe("simulated API server: lists", () => {
  it("lists carry the store's resourceVersion and items without kind", async () => {
    api = await startTestApi();
    makePod(api, "a");
    makePod(api, "b");
    const res = await fetch(`${api.server.url}/api/v1/namespaces/demo/pods`, { headers: { authorization: `Bearer ${api.token}` } });
    const body = (await res.json()) as { kind: string; metadata: { resourceVersion: string }; items: Record<string, unknown>[] };
    expect(body.kind).toBe("PodList");
    expect(body.metadata.resourceVersion).toBe(String(api.store.currentRv()));
    expect(body.items.map((i) => (i.metadata as { name: string }).name)).toEqual(["a", "b"]);
    expect(body.items[0]).not.toHaveProperty("kind");

    const core = api.kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: "demo", resourceVersion: "0" });
    expect(list.items).toHaveLength(2);
    expect(list.metadata?.resourceVersion).toBe(String(api.store.currentRv()));
  });

  it("pages with limit and continue over one consistent snapshot", async () => {
    api = await startTestApi();
    for (const n of ["p1", "p2", "p3", "p4", "p5"]) makePod(api, n);
    const core = api.kc.makeApiClient(CoreV1Api);
    const first = await core.listPodForAllNamespaces({ limit: 2 });
    expect(first.items.map((p) => p.metadata?.name)).toEqual(["p1", "p2"]);
    expect(first.metadata?.remainingItemCount).toBe(3);
    makePod(api, "p0"); // sorts first, created after the snapshot: must not appear
    const second = await core.listPodForAllNamespaces({ limit: 2, _continue: first.metadata?._continue });
    const third = await core.listPodForAllNamespaces({ limit: 2, _continue: second.metadata?._continue });
    expect([...second.items, ...third.items].map((p) => p.metadata?.name)).toEqual(["p3", "p4", "p5"]);
    expect(third.metadata?._continue).toBeUndefined();
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });

  it("gets one object, and answers 404 with a NotFound Status", async () => {
    api = await startTestApi();
    makePod(api, "a");
    const core = api.kc.makeApiClient(CoreV1Api);
    const pod = await core.readNamespacedPod({ namespace: "demo", name: "a" });
    expect(pod.metadata?.name).toBe("a");
    const err = await core.readNamespacedPod({ namespace: "demo", name: "nope" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect(err instanceof ApiException && err.code).toBe(404);
  });

  it("filters by label and field selectors, and rejects unsupported fields with 400", async () => {
    api = await startTestApi();
    makePod(api, "a", { app: "web", tier: "front" }, "node-1");
    makePod(api, "b", { app: "api" }, "node-2");
    makePod(api, "c", { app: "db" }, "node-1");
    const core = api.kc.makeApiClient(CoreV1Api);
    const names = async (q: { labelSelector?: string; fieldSelector?: string }): Promise<string[]> =>
      (await core.listNamespacedPod({ namespace: "demo", ...q })).items.map((p) => p.metadata?.name ?? "");
    expect(await names({ labelSelector: "app=web" })).toEqual(["a"]);
    expect(await names({ labelSelector: "app in (web,api)" })).toEqual(["a", "b"]);
    expect(await names({ labelSelector: "app notin (web,api)" })).toEqual(["c"]);
    expect(await names({ labelSelector: "tier" })).toEqual(["a"]);
    expect(await names({ labelSelector: "!tier,app!=db" })).toEqual(["b"]);
    expect(await names({ fieldSelector: "spec.nodeName=node-1" })).toEqual(["a", "c"]);
    expect(await names({ fieldSelector: "metadata.name=b" })).toEqual(["b"]);
    expect(await names({ fieldSelector: "metadata.namespace!=demo" })).toEqual([]);
    const err = await names({ fieldSelector: "spec.bogus=1" }).catch((e: unknown) => e);
    expect(err instanceof ApiException && err.code).toBe(400);
  });
});

describe("simulated API server: auth", () => {
  it("accepts the kubeconfig token and rejects any other, and anonymous requests, with 401", async () => {
    api = await startTestApi();
    const bad = new KubeConfig();
    bad.loadFromString(JSON.stringify({
      apiVersion: "v1",
      clusters: [{ name: "c", cluster: { server: api.server.url, "insecure-skip-tls-verify": true } }],
      users: [{ name: "u", user: { token: "wrong" } }],
      contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
      "current-context": "x",
    }));
    const err = await bad.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "demo" }).catch((e: unknown) => e);
    expect(err instanceof ApiException && err.code).toBe(401);
    const good = await api.kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "demo" });
    expect(good.items).toEqual([]);
    const anonymous = await fetch(`${api.server.url}/api/v1/pods`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
    expect((await fetch(`${api.server.url}/__sim/faults`)).status).toBe(401);
    expect((await fetch(`${api.server.url}/api/v1/pods`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });

  it("can allow anonymous reads (kubectl sends no token to an http:// server), never admin paths", async () => {
    api = await startTestApi({ anonymousReads: true });
    expect((await fetch(`${api.server.url}/api/v1/pods`)).status).toBe(200);
    expect((await fetch(`${api.server.url}/__sim/faults`)).status).toBe(401);
    expect(api.server.auth.audit().map((e) => [e.path, e.user, e.code])).toEqual([
      ["/api/v1/pods", "system:anonymous", 200],
      ["/__sim/faults", "system:anonymous", 401],
    ]);
  });
});

describe("simulated API server: watch", () => {
  it("sends every change after the list's version, and a resumed watch neither repeats nor skips", async () => {
    api = await startTestApi();
    makePod(api, "a");
    const list = await api.kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "demo" });
    const w1 = await openWatch(api.kc, "/api/v1/namespaces/demo/pods", { resourceVersion: list.metadata?.resourceVersion });
    touch(api, "a", "Running");
    makePod(api, "b");
    await w1.waitFor(2);
    expect(w1.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(["MODIFIED:a", "ADDED:b"]);
    const lastRv = w1.events[1]?.object.metadata.resourceVersion;
    w1.abort();
    await w1.done;

    const expected: string[] = [];
    touch(api, "b", "Running");
    expected.push(String(api.store.currentRv()));
    api.store.delete("pods", "demo", "a");
    expected.push(String(api.store.currentRv()));
    makePod(api, "c");
    expected.push(String(api.store.currentRv()));

    const w2 = await openWatch(api.kc, "/api/v1/namespaces/demo/pods", { resourceVersion: lastRv });
    await w2.waitFor(3);
    await tick(30);
    expect(w2.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(["MODIFIED:b", "DELETED:a", "ADDED:c"]);
    expect(w2.events.map((e) => e.object.metadata.resourceVersion)).toEqual(expected);
    w2.abort();
  });

  it("without a resourceVersion starts with ADDED for the current state", async () => {
    api = await startTestApi();
    makePod(api, "a");
    makePod(api, "b");
    const w = await openWatch(api.kc, "/api/v1/pods", {});
    await w.waitFor(2);
    expect(w.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(["ADDED:a", "ADDED:b"]);
    w.abort();
  });

  it("answers a too-old resourceVersion with an ERROR 410 Expired Status, then ends the stream", async () => {
    api = await startTestApi({ historyLimit: 5 });
    makePod(api, "a");
    const old = api.store.currentRv();
    for (let i = 0; i < 10; i++) touch(api, "a", i % 2 ? "Running" : "Pending");
    const w = await openWatch(api.kc, "/api/v1/namespaces/demo/pods", { resourceVersion: old - 1 });
    await expect(w.done).resolves.toBeNull();
    expect(w.events).toHaveLength(1);
    const ev = w.events[0];
    expect(ev?.type).toBe("ERROR");
    expect(ev?.object).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410 });
    // A version still inside the window resumes fine.
    const recent = await openWatch(api.kc, "/api/v1/namespaces/demo/pods", { resourceVersion: api.store.currentRv() - 2 });
    await recent.waitFor(2);
    expect(recent.events.every((e) => e.type === "MODIFIED")).toBe(true);
    recent.abort();
  });

  it("sends bookmarks carrying only kind, apiVersion and the current resourceVersion", async () => {
    api = await startTestApi({ speed: 100, bookmarkIntervalMs: 1000 });
    const slices = await api.kc.makeApiClient(DiscoveryV1Api).listEndpointSliceForAllNamespaces();
    const w = await openWatch(api.kc, "/apis/discovery.k8s.io/v1/endpointslices", {
      resourceVersion: slices.metadata?.resourceVersion,
      allowWatchBookmarks: true,
    });
    makePod(api, "unrelated"); // bumps the global counter; not an EndpointSlice change
    await w.waitFor(1, 3000);
    const bm = w.events[0];
    expect(bm?.type).toBe("BOOKMARK");
    expect(bm?.object).toEqual({ kind: "EndpointSlice", apiVersion: "discovery.k8s.io/v1", metadata: { resourceVersion: String(api.store.currentRv()) } });
    w.abort();
  });

  it("ends the watch cleanly after timeoutSeconds of virtual time", async () => {
    api = await startTestApi({ speed: 100 });
    const started = Date.now();
    const w = await openWatch(api.kc, "/api/v1/pods", { resourceVersion: api.store.currentRv(), timeoutSeconds: 2 });
    await expect(w.done).resolves.toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("turns objects moving in or out of a selector into ADDED / DELETED", async () => {
    api = await startTestApi();
    makePod(api, "a", { app: "web" });
    const w = await openWatch(api.kc, "/api/v1/namespaces/demo/pods", { resourceVersion: api.store.currentRv(), labelSelector: "app=web" });
    api.store.update("pods", "demo", "a", (p) => {
      p.metadata.labels = { app: "other" };
    });
    api.store.update("pods", "demo", "a", (p) => {
      p.metadata.labels = { app: "web" };
    });
    await w.waitFor(2);
    expect(w.events.map((e) => e.type)).toEqual(["DELETED", "ADDED"]);
    w.abort();
  });

  it("filters events by involvedObject fields", async () => {
    api = await startTestApi();
    const ev = (name: string, uid: string, kind: string) =>
      api?.store.create("events", {
        kind: "Event",
        apiVersion: "v1",
        metadata: { name, namespace: "demo", uid: "", resourceVersion: "", creationTimestamp: "" },
        involvedObject: { kind, namespace: "demo", name: "x", uid, apiVersion: "v1" },
        reason: "Killing",
        message: "Stopping container web",
        source: { component: "kubelet", host: "node-1" },
        firstTimestamp: null,
        lastTimestamp: null,
        type: "Normal",
        eventTime: null,
        reportingComponent: "",
        reportingInstance: "",
      });
    ev("e1", "u1", "Pod");
    ev("e2", "u2", "Pod");
    ev("e3", "u1", "ReplicaSet");
    const core = api.kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedEvent({ namespace: "demo", fieldSelector: "involvedObject.uid=u1,involvedObject.kind=Pod" });
    expect(list.items.map((e) => e.metadata.name)).toEqual(["e1"]);
  });
});

describe("simulated API server: discovery and kubectl printing", () => {
  it("serves discovery documents and a Table when asked", async () => {
    api = await startTestApi();
    makePod(api, "a");
    const auth = { authorization: `Bearer ${api.token}` };
    const groups = (await (await fetch(`${api.server.url}/apis`, { headers: auth })).json()) as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name).sort()).toEqual(["apps", "discovery.k8s.io"]);
    const core = (await (await fetch(`${api.server.url}/api/v1`, { headers: auth })).json()) as { resources: { name: string }[] };
    expect(core.resources.map((r) => r.name)).toContain("pods");
    const table = (await (
      await fetch(`${api.server.url}/api/v1/namespaces/demo/pods`, {
        headers: { ...auth, accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" },
      })
    ).json()) as { kind: string; rows: { cells: unknown[] }[] };
    expect(table.kind).toBe("Table");
    expect(table.rows[0]?.cells.slice(0, 3)).toEqual(["a", "0/1", "Pending"]);

    api.store.create("endpointslices", {
      kind: "EndpointSlice",
      apiVersion: "discovery.k8s.io/v1",
      metadata: { name: "web-x", namespace: "demo", uid: "", resourceVersion: "", creationTimestamp: "" },
      addressType: "IPv4",
      endpoints: [
        { addresses: ["10.0.0.1"], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: "Pod", namespace: "demo", name: "a", uid: "u" } },
      ],
      ports: [{ name: "http", protocol: "TCP", port: 8080 }],
    });
    const slices = (await (
      await fetch(`${api.server.url}/apis/discovery.k8s.io/v1/namespaces/demo/endpointslices`, { headers: { ...auth, accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })
    ).json()) as { rows: { cells: unknown[] }[] };
    expect(slices.rows[0]?.cells.slice(0, 4)).toEqual(["web-x", "IPv4", "8080", "10.0.0.1"]);
  });
});
