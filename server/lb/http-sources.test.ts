// BIG-IP and ingress-nginx sources through the shared poller, over a real loopback HTTP server
// (127.0.0.1:3335) that answers with the recorded shapes and checks the credentials.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import { bigipSource } from "./bigip-source";
import { ingressNginxSource } from "./ingress-nginx-source";
import { startLbPoller } from "./poller";

const PORT = 3335;
const fixture = (name: string) => readFileSync(join(__dirname, "../../lib/lb/fixtures", name), "utf8");
const requests: string[] = [];
let members = fixture("bigip-pool-members.json");
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.url} ${req.headers.authorization ?? "-"}`);
    const send = (status: number, body: string) => res.writeHead(status, { "content-type": "application/json" }).end(body);
    if (req.url?.startsWith("/mgmt/") && req.headers.authorization !== `Basic ${Buffer.from("monitor:s3cret-pw").toString("base64")}`) return send(401, '{"code":401,"message":"Authorization failed"}');
    if (req.url === "/mgmt/tm/ltm/pool/~shop~web_80_pool/members") return send(200, members);
    if (req.url === "/mgmt/tm/ltm/pool/~shop~web_80_pool/members/stats") return send(200, fixture("bigip-pool-members-stats.json"));
    if (req.url === "/configuration/backends") return send(200, fixture("ingress-nginx-backends.json"));
    send(404, "{}");
  });
  await new Promise<void>((r) => server.listen(PORT, "127.0.0.1", r));
});
afterAll(() => new Promise((r) => server.close(r)));

describe("HTTP LB sources", () => {
  it("BIG-IP: a member CIS deletes between two polls is removed, with the poll interval as its range", async () => {
    let now = 0;
    const out: LifecycleEvent[] = [];
    const source = bigipSource({ name: "bigip", url: `http://127.0.0.1:${PORT}`, pools: [{ path: "/shop/web_80_pool", service: "web", namespace: "shop" }], auth: { kind: "basic", username: "monitor", password: "s3cret-pw" } });
    const p = startLbPoller({ source, cluster: "c", intervalMs: 2000, now: () => now, sink: (e) => out.push(...e) }, { autoStart: false });
    await p.pollOnce();
    expect(out).toHaveLength(5);
    const doc = JSON.parse(members) as { items: { name: string }[] };
    members = JSON.stringify({ ...doc, items: doc.items.filter((i) => i.name !== "10.244.1.7:8080") });
    out.length = 0;
    now = 2000;
    await p.pollOnce();
    await p.stop();
    expect(out.map((e) => e.type === "lb-member-changed" && `${e.lb} ${e.member} ${e.state} [${e.range.join(",")}] ${e.namespace}/${e.service}`)).toEqual(["shop/web_80_pool 10.244.1.7:8080 removed [0,2000] shop/web"]);
  });

  it("BIG-IP: wrong credentials fail the poll with the status, and the password appears nowhere", async () => {
    const source = bigipSource({ name: "bigip", url: `http://127.0.0.1:${PORT}`, pools: [{ path: "/shop/web_80_pool" }], auth: { kind: "basic", username: "monitor", password: "wrong-pw-123" } });
    const logs: string[] = [];
    const p = startLbPoller({ source, cluster: "c", intervalMs: 2000, now: () => 0, sink: () => {}, log: (l) => logs.push(l) }, { autoStart: false });
    await p.pollOnce();
    await p.stop();
    expect(p.health.lastError).toBe("GET http://127.0.0.1:3335/mgmt/tm/ltm/pool/~shop~web_80_pool/members: 401 Unauthorized");
    expect(JSON.stringify({ logs, health: p.health })).not.toContain("wrong-pw-123");
  });

  it("ingress-nginx: backends become active members", async () => {
    const out: LifecycleEvent[] = [];
    const p = startLbPoller({ source: ingressNginxSource({ name: "nginx", url: `http://127.0.0.1:${PORT}/` }), cluster: "c", intervalMs: 2000, now: () => 0, sink: (e) => out.push(...e) }, { autoStart: false });
    await p.pollOnce();
    await p.stop();
    expect(out.map((e) => e.type === "lb-member-changed" && `${e.lbSource} ${e.lb} ${e.member} ${e.state}`)).toEqual([
      "ingress-nginx ingress-nginx/shop-web-80 10.244.1.7:8080 active",
      "ingress-nginx ingress-nginx/shop-web-80 10.244.3.11:8080 active",
    ]);
  });
});
