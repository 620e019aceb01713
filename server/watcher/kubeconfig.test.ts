// Finding clusters as kubectl does: KUBECONFIG lists merged (first file wins per name and for
// current-context), every named context validated, relative paths per file, proxy-url honoured.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { writeKubeconfig } from "../sim/api/kubeconfig";
import { startTestApi, type TestApi } from "../sim/api/testing";
import { removeTempDirs, requests, tempDir } from "./auth-testing";
import { findClusters, kubeconfigPresent } from "./kubeconfig";

const apis: TestApi[] = [];
let proxy: Server | undefined;
afterEach(async () => {
  for (const a of apis.splice(0)) await a.close();
  if (proxy) {
    proxy.closeAllConnections();
    await new Promise((r) => proxy?.close(r));
  }
  proxy = undefined;
  removeTempDirs();
});

type Entry = { name: string; server?: string; token?: string; tokenFile?: string; user?: string; cluster?: string };
function kubeconfigFile(dir: string, file: string, o: { clusters?: Entry[]; users?: Entry[]; contexts?: Entry[]; current?: string }): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: (o.clusters ?? []).map((c) => ({ name: c.name, cluster: { server: c.server, "insecure-skip-tls-verify": true } })),
      users: (o.users ?? []).map((u) => ({ name: u.name, user: u.token ? { token: u.token } : { "token-file": u.tokenFile } })),
      contexts: (o.contexts ?? []).map((c) => ({ name: c.name, context: { cluster: c.cluster, user: c.user } })),
      ...(o.current ? { "current-context": o.current } : {}),
    }),
  );
  return path;
}

const listPods = (t: { transport: { list: (p: string, q: Record<string, string>, s: AbortSignal) => Promise<unknown> } }) =>
  t.transport.list("/api/v1/pods", {}, AbortSignal.timeout(5000));

describe("findClusters", () => {
  it("merges a two-file KUBECONFIG like kubectl and watches a context from each file with its own credentials", async () => {
    const [a, b] = [await startTestApi(), await startTestApi()];
    apis.push(a, b);
    const dir = tempDir();
    mkdirSync(join(dir, "secrets"));
    writeFileSync(join(dir, "secrets", "b-token"), `${b.token}\n`);
    const first = kubeconfigFile(dir, "first", {
      clusters: [{ name: "ca", server: a.server.url }],
      users: [{ name: "ua", token: a.token }],
      contexts: [{ name: "a", cluster: "ca", user: "ua" }],
      current: "a",
    });
    const second = kubeconfigFile(dir, "second", {
      // Same names as the first file: ignored (the first file wins per name).
      clusters: [{ name: "ca", server: "http://127.0.0.1:9" }, { name: "cb", server: b.server.url }],
      users: [{ name: "ua", token: "not-this-one" }, { name: "ub", tokenFile: "secrets/b-token" }],
      contexts: [{ name: "b", cluster: "cb", user: "ub" }],
      current: "b",
    });
    const env = { KUBECONFIG: [first, join(dir, "missing"), second].join(":") };
    const current = findClusters([], undefined, { env });
    expect(current.ok && current.targets.map((t) => t.name)).toEqual(["a"]);
    const both = findClusters(["a", "b"], undefined, { env });
    if (!both.ok) throw new Error(both.reason);
    expect(both.targets.map((t) => [t.name, t.transport.server])).toEqual([
      ["a", a.server.url],
      ["b", b.server.url],
    ]);
    for (const t of both.targets) await listPods(t);
    expect(requests(a.server.auth.audit())).toEqual([["GET /api/v1/pods", `Bearer ${a.token}`, 200]]);
    // The token-file path is relative to the file that names it.
    expect(requests(b.server.auth.audit())).toEqual([["GET /api/v1/pods", `Bearer ${b.token}`, 200]]);
    // The same list passed explicitly skips a missing file as kubectl does with KUBECONFIG (so context "b",
    // which only the second file held, is unknown); a single named file, or a list of only missing files, must exist.
    expect(findClusters(["b"], [first, second].join(":"))).toMatchObject({ ok: true });
    expect(findClusters(["b"], [first, join(dir, "missing")].join(":"))).toEqual({ ok: false, reason: 'context "b" is not in the kubeconfig (known: a)' });
    expect(findClusters(["a"], [first, join(dir, "missing")].join(":"))).toMatchObject({ ok: true });
    expect(findClusters(["a"], join(dir, "missing"))).toEqual({ ok: false, reason: `kubeconfig not found: ${join(dir, "missing")}` });
  });

  it("validates every named context and names all that are wrong", () => {
    const dir = tempDir();
    const path = kubeconfigFile(dir, "config", {
      clusters: [{ name: "c", server: "http://127.0.0.1:9" }],
      users: [{ name: "u", token: "t" }],
      contexts: [
        { name: "good", cluster: "c", user: "u" },
        { name: "no-cluster", cluster: "gone", user: "u" },
      ],
      current: "good",
    });
    expect(findClusters(["good", "typo", "no-cluster"], path)).toEqual({
      ok: false,
      reason: 'context "typo" is not in the kubeconfig (known: good, no-cluster); context "no-cluster" names cluster "gone", which is not in the kubeconfig',
    });
    expect(findClusters(["good"], path)).toMatchObject({ ok: true, targets: [{ name: "good" }] });
  });

  it("reports why nothing was found, and what counts as present", () => {
    const home = tempDir();
    expect(findClusters([], undefined, { env: {}, home, serviceAccountRoot: tempDir() })).toEqual({ ok: false, reason: "no kubeconfig: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config" });
    expect(kubeconfigPresent({}, { home, serviceAccountRoot: tempDir() })).toBe(false);
    // A KUBECONFIG that names missing files is a configuration error to show, not a reason to simulate.
    expect(kubeconfigPresent({ KUBECONFIG: join(home, "nope") }, { home, serviceAccountRoot: tempDir() })).toBe(true);
    expect(findClusters([], undefined, { env: { KUBECONFIG: join(home, "nope") }, home, serviceAccountRoot: tempDir() })).toEqual({
      ok: false,
      reason: `none of the files in KUBECONFIG exists (${join(home, "nope")})`,
    });
    mkdirSync(join(home, ".kube"));
    kubeconfigFile(join(home, ".kube"), "config", { clusters: [{ name: "c", server: "http://127.0.0.1:9" }], users: [{ name: "u", token: "t" }], contexts: [{ name: "x", cluster: "c", user: "u" }], current: "x" });
    expect(kubeconfigPresent({}, { home, serviceAccountRoot: tempDir() })).toBe(true);
    expect(findClusters([], undefined, { env: {}, home })).toMatchObject({ ok: true, targets: [{ name: "x" }] });
  });

  it("sends requests through the cluster's proxy-url, credentials included", async () => {
    const api = await startTestApi();
    apis.push(api);
    // client-node's proxy agent (hpagent) tunnels with CONNECT, for http and https servers alike.
    const seen: string[] = [];
    proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on("connect", (req: IncomingMessage, client: Duplex, head: Buffer) => {
      seen.push(`${req.method ?? ""} ${req.url ?? ""}`);
      const [host = "", port = ""] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy?.listen(0, "127.0.0.1", r));
    const address = proxy.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const path = join(tempDir(), "kubeconfig");
    await writeKubeconfig(path, { server: api.server.url, token: api.token, proxyUrl: `http://127.0.0.1:${port}` });
    const found = findClusters([], path);
    if (!found.ok) throw new Error(found.reason);
    await listPods(found.targets[0] ?? { transport: { list: () => Promise.reject(new Error("no target")) } });
    expect(seen).toEqual([`CONNECT 127.0.0.1:${api.server.port}`]);
    expect(requests(api.server.auth.audit())).toEqual([["GET /api/v1/pods", `Bearer ${api.token}`, 200]]);
  });
});
