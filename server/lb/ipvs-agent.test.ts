/**
 * The IPVS node agent end to end: table fixtures (the kernel's /proc/net/ip_vs format) → agent →
 * HTTP POST to 127.0.0.1:3334 → the real ingest handler → a real runtime's SQLite store.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LbMemberChanged } from "../../lib/model/events";
import { main } from "../cli/main";
import { loadConfig } from "../config";
import { postLbIngest } from "../http/handlers";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { createIpvsAgent } from "./ipvs-agent";

const PORT = 3334;
const TOKEN = "ipvs-agent-test-token-0123456789";
const fixture = (name: string) => readFileSync(join(__dirname, "../../lib/lb/fixtures", name), "utf8");
let rt: Runtime;
let server: Server;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ds-ipvs-"));
  rt = await startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_INGEST_TOKEN: TOKEN }), { env: {}, log: () => {}, effects: systemEffects });
  installRuntime(Promise.resolve(rt));
  // A minimal Node front for the route handler, as Next would call it.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = new Request(`http://127.0.0.1:${PORT}${req.url ?? "/"}`, { method: req.method ?? "GET", headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])), ...(req.method === "POST" ? { body: Buffer.concat(chunks) } : {}) });
      void postLbIngest(request).then(async (r) => {
        res.writeHead(r.status, { "content-type": "application/json" });
        res.end(await r.text());
      });
    });
  });
  await new Promise<void>((r) => server.listen(PORT, "127.0.0.1", r));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  installRuntime(undefined);
  await rt.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function stored(): Promise<LbMemberChanged[]> {
  const events = await rt.store.query({ cluster: "node-test" });
  return events.filter((e): e is LbMemberChanged => e.type === "lb-member-changed");
}

describe("drainscope ipvs-agent", () => {
  it("posts the first table, then only what changed, each change with [previous read, this read]", async () => {
    const tables = [fixture("proc-net-ip_vs.before.txt"), fixture("proc-net-ip_vs.after.txt"), fixture("proc-net-ip_vs.after.txt")];
    let now = Date.UTC(2026, 10, 22, 6, 0, 0);
    const post = async (body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${PORT}/api/ingest/lb`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
      if (res.status !== 202) throw new Error(`${res.status} ${await res.text()}`);
    };
    const agent = createIpvsAgent({ readTable: async () => tables.shift() ?? "", post, now: () => now, node: "node-a", cluster: "node-test" });
    expect(await agent.pollOnce()).toBe(6);
    now += 2000;
    expect(await agent.pollOnce()).toBe(3);
    now += 2000;
    expect(await agent.pollOnce()).toBe(0);
    const t0 = Date.UTC(2026, 10, 22, 6, 0, 0);
    const later = (await stored()).filter((e) => e.at > t0).map((e) => `${e.member} ${e.state} w=${e.weight} cx=${e.connections} [${e.range[0] - t0},${e.range[1] - t0}] ${e.precision}`);
    expect(later.sort()).toEqual([
      "10.244.1.7:8080 active w=1 cx=17 [0,2000] estimated",
      "10.244.2.9:8080 draining w=0 cx=17 [0,2000] estimated",
      "10.244.3.11:8080 active w=1 cx=0 [0,2000] estimated",
    ]);
    const first = (await stored()).filter((e) => e.at === t0);
    expect(first).toHaveLength(6);
    expect(first.every((e) => e.lbSource === "ipvs" && e.lb.startsWith("ipvs/node-a/") && e.precision === "exact")).toBe(true);
  });

  it("a failed post is re-sent from the last accepted table, with the wider range", async () => {
    let now = 0;
    let failing = false;
    const posted: { members: { member: string; state: string; at?: number; since?: number }[] }[] = [];
    const tables = [fixture("proc-net-ip_vs.before.txt"), fixture("proc-net-ip_vs.after.txt"), fixture("proc-net-ip_vs.after.txt")];
    const agent = createIpvsAgent({
      readTable: async () => tables.shift() ?? "",
      post: async (b) => {
        if (failing) throw new Error("503 Service Unavailable");
        posted.push(b);
      },
      now: () => now,
    });
    await agent.pollOnce();
    failing = true;
    now = 2000;
    await expect(agent.pollOnce()).rejects.toThrow("503");
    failing = false;
    now = 4000;
    expect(await agent.pollOnce()).toBe(3);
    expect(posted[1]?.members.map((m) => `${m.member} ${m.state} ${m.since}-${m.at}`).sort()).toEqual([
      "10.244.1.7:8080 active 0-4000",
      "10.244.2.9:8080 draining 0-4000",
      "10.244.3.11:8080 active 0-4000",
    ]);
  });

  it("--once --dry-run prints the ingest body of a table file", async () => {
    const file = join(dir, "ip_vs");
    writeFileSync(file, fixture("ipvsadm-Ln-exact.txt"));
    let out = "";
    let err = "";
    const code = await main(["ipvs-agent", "--once", "--dry-run", "--table", file, "--node", "n1"], { out: (t) => void (out += t), err: (t) => void (err += t), env: {} });
    expect({ code, err }).toEqual({ code: 0, err: "" });
    const body = JSON.parse(out) as { members: { lb: string; member: string; state: string }[] };
    expect(body.members.map((m) => `${m.lb} ${m.member} ${m.state}`)).toEqual([
      "ipvs/n1/10.96.0.1:443 172.18.0.2:6443 active",
      "ipvs/n1/10.96.118.41:80 10.244.1.7:8080 active",
      "ipvs/n1/10.96.118.41:80 10.244.2.9:8080 draining",
      "ipvs/n1/10.96.0.10:53 10.244.0.3:53 active",
    ]);
  });

  it("without a token it refuses to start, and never prints one", async () => {
    let err = "";
    const code = await main(["ipvs-agent", "--once"], { out: () => {}, err: (t) => void (err += t), env: {} });
    expect(code).toBe(2);
    expect(err).toContain("no ingest token");
  });
});

describe("deploy/ipvs-agent DaemonSet", () => {
  it("runs the agent with the node's network namespace, read-only, with no capability and no host path", async () => {
    const { parse } = await import("yaml");
    const ds = parse(readFileSync(join(__dirname, "../../deploy/ipvs-agent/daemonset.yaml"), "utf8")) as {
      kind: string;
      spec: { template: { spec: { hostNetwork: boolean; volumes: { hostPath?: unknown }[]; securityContext: { runAsNonRoot: boolean }; containers: { command: string[]; args: string[]; securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean; capabilities: { drop: string[]; add?: string[] } } }[] } } };
    };
    const pod = ds.spec.template.spec;
    const c = pod.containers[0];
    expect(ds.kind).toBe("DaemonSet");
    expect(pod.hostNetwork).toBe(true);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.volumes.some((v) => v.hostPath !== undefined)).toBe(false);
    expect(c?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(c?.securityContext.capabilities.add).toBeUndefined();
    expect([...(c?.command ?? []), ...(c?.args ?? [])].join(" ")).toContain("ipvs-agent --table /proc/net/ip_vs");
  });
});
