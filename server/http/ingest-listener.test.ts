// The ingest listener (DRAINSCOPE_INGEST_PORT) over real sockets on 127.0.0.1, started by the runtime as
// `drainscope watch` starts it (no registry runtime installed beforehand).
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { getRuntime, installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { getHealth } from "./handlers";

const TOKEN = "test-ingest-token-0123456789";
const dirs: string[] = [];

async function runtimeWith(extra: Record<string, string>, log: (line: string) => void = () => undefined): Promise<Runtime> {
  const dir = mkdtempSync(join(tmpdir(), "ds-ingest-listener-"));
  dirs.push(dir);
  const env = { DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_INGEST_TOKEN: TOKEN, ...extra };
  return startRuntime(loadConfig(env), { env, log, effects: systemEffects });
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request on its own connection; `body` may be a Buffer sent chunked (no Content-Length). */
function call(url: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {}): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, agent: false, headers: { ...(opts.body !== undefined && !opts.chunked ? { "content-length": String(Buffer.byteLength(opts.body)) } : {}), ...opts.headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    // The server may answer and close before the whole body is sent (413): that is not a failure here.
    req.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" || e.code === "ECONNRESET" ? undefined : reject(e)));
    req.end(opts.body);
  });
}

const signal = (uid: string) => JSON.stringify({ cluster: "lis", namespace: "shop", pod: "web-1", podUid: uid, signal: "prestop-start" });
const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("ingest listener on", () => {
  let rt: Runtime;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    rt = await runtimeWith({ DRAINSCOPE_INGEST_PORT: "0" }, (l) => lines.push(l));
    url = rt.ingestListener()?.url ?? "";
  });
  afterAll(async () => {
    await rt.stop();
  });

  it("listens on 127.0.0.1 and says so in one log line", () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.filter((l) => l.startsWith("ingest listener"))).toEqual([`ingest listener on ${url}`]);
  });

  it("a signal with the token: 202 once stored", async () => {
    const uid = "11111111-0000-0000-0000-000000000001";
    const r = await call(url, "POST", "/api/ingest/signal", { headers: auth, body: signal(uid) });
    expect([r.status, JSON.parse(r.body)]).toEqual([202, { accepted: 1 }]);
    const stored = await rt.store.query({ cluster: "lis", namespace: "shop" });
    expect(stored.filter((e) => "podUid" in e && e.podUid === uid).map((e) => [e.type, "signal" in e ? e.signal : undefined])).toEqual([["in-pod-signal", "prestop-start"]]);
  });

  it("LB member changes: 202", async () => {
    const body = JSON.stringify({ cluster: "lis", members: [{ lb: "pool", source: "f5", member: "10.1.2.3:8080", state: "draining", namespace: "shop" }] });
    const r = await call(url, "POST", "/api/ingest/lb", { headers: auth, body });
    expect([r.status, JSON.parse(r.body)]).toEqual([202, { accepted: 1 }]);
  });

  it("no token: 401, the handler's body", async () => {
    const r = await call(url, "POST", "/api/ingest/signal", { headers: { "content-type": "application/json" }, body: signal("11111111-0000-0000-0000-000000000002") });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toEqual({ error: "ingest requires Authorization: Bearer <DRAINSCOPE_INGEST_TOKEN>" });
  });

  it("a cross-site Origin: 403", async () => {
    const r = await call(url, "POST", "/api/ingest/signal", { headers: { ...auth, origin: "https://evil.example" }, body: signal("11111111-0000-0000-0000-000000000003") });
    expect(r.status).toBe(403);
    expect(r.body).toContain("cross-origin request refused");
  });

  it("no body: 400, as through next start", async () => {
    const r = await call(url, "POST", "/api/ingest/signal", { headers: auth });
    expect([r.status, JSON.parse(r.body)]).toEqual([400, { error: "body is not valid JSON: Unexpected end of JSON input" }]);
  });

  it("GET on an ingest path: 405 with Allow: POST", async () => {
    const r = await call(url, "GET", "/api/ingest/signal", { headers: auth });
    expect([r.status, r.headers.allow, r.headers["content-type"]]).toEqual([405, "POST", "application/json; charset=utf-8"]);
  });

  it("any other path (the dashboard's too): 404 JSON", async () => {
    for (const path of ["/", "/api/timeline", "/api/ingest/signal/x", "/constructor"]) {
      const r = await call(url, "GET", path, { headers: auth });
      expect([path, r.status, r.headers["content-type"]]).toEqual([path, 404, "application/json; charset=utf-8"]);
      expect(JSON.parse(r.body)).toEqual({ error: "not found: this port serves only POST /api/ingest/signal and POST /api/ingest/lb" });
    }
  });

  it("an oversize body: 413 and the connection closed, declared or chunked", async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    for (const chunked of [false, true]) {
      const r = await call(url, "POST", "/api/ingest/signal", { headers: auth, body: big, chunked });
      expect([chunked, r.status, r.headers.connection]).toEqual([chunked, 413, "close"]);
      expect(JSON.parse(r.body)).toMatchObject({ error: expect.stringContaining("over the 1048576-byte limit") });
    }
  });

  it("keep-alive after an answer; after a 413 the connection is closed (Connection: close)", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const u = new URL(url);
    const send = (body: Buffer | string) =>
      new Promise<{ status: number; connection: string | undefined; closed: Promise<void> }>((resolve, reject) => {
        const req = request({ host: u.hostname, port: u.port, method: "POST", path: "/api/ingest/signal", agent, headers: { ...auth, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
          const socket = res.socket;
          const closed = new Promise<void>((r) => (socket.destroyed ? r() : socket.once("close", () => r())));
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, closed }));
        });
        req.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" || e.code === "ECONNRESET" ? undefined : reject(e)));
        req.end(body);
      });
    try {
      const ok = await send(signal("11111111-0000-0000-0000-000000000004"));
      expect([ok.status, ok.connection]).toEqual([202, "keep-alive"]);
      const big = await send(Buffer.alloc(2 * 1024 * 1024, 0x20));
      expect([big.status, big.connection]).toEqual([413, "close"]);
      await big.closed; // resolves only once the socket is closed: the test would time out otherwise
    } finally {
      agent.destroy();
    }
  });

  it("the handlers find this runtime (no second one started from the environment)", async () => {
    expect(await getRuntime()).toBe(rt);
  });
});

describe("ingest listener lifecycle", () => {
  // Listening sockets of this process, once handles closed in the last turn are gone (libuv closes them a turn later).
  const tcpServers = async () => {
    await new Promise((r) => setTimeout(r, 20));
    return process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap").length;
  };

  it("setting unset: no listener", async () => {
    const before = await tcpServers();
    const rt = await runtimeWith({});
    try {
      expect(rt.ingestListener()).toBeUndefined();
      expect(await tcpServers()).toBe(before);
    } finally {
      await rt.stop();
    }
  });

  it("closed when the runtime stops", async () => {
    const before = await tcpServers();
    const rt = await runtimeWith({ DRAINSCOPE_INGEST_PORT: "0" });
    const url = rt.ingestListener()?.url ?? "";
    expect((await call(url, "POST", "/api/ingest/signal", { headers: auth, body: signal("22222222-0000-0000-0000-000000000001") })).status).toBe(202);
    expect(await tcpServers()).toBe(before + 1);
    await rt.stop();
    expect(await tcpServers()).toBe(before);
    await expect(call(url, "POST", "/api/ingest/signal", { headers: auth, body: "{}" })).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("port in use: the runtime runs, the log and /api/health say why", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    const lines: string[] = [];
    const rt = await runtimeWith({ DRAINSCOPE_INGEST_PORT: String(port) }, (l) => lines.push(l));
    installRuntime(Promise.resolve(rt)); // as the dashboard's server has it, for /api/health
    try {
      const why = `http://127.0.0.1:${port} is in use (EADDRINUSE): choose another DRAINSCOPE_INGEST_PORT`;
      expect(rt.ingestListener()).toEqual({ error: why });
      expect(lines).toContain(`ingest listener could not start: ${why}`);
      const health = (await (await getHealth(new Request("http://127.0.0.1/api/health"))).json()) as Record<string, unknown>;
      expect([health.status, health.ingestListener]).toEqual(["degraded", { url: null, error: why }]);
    } finally {
      installRuntime(undefined);
      await rt.stop();
      await new Promise((r) => taken.close(r));
    }
  });

  it("beyond loopback without DRAINSCOPE_AUTH_TOKEN: refused, nothing bound", async () => {
    const before = await tcpServers();
    const rt = await runtimeWith({ DRAINSCOPE_HOST: "0.0.0.0", DRAINSCOPE_INGEST_PORT: "0" });
    try {
      expect(rt.ingestListener()?.error).toMatch(/^refusing to listen on 0\.0\.0\.0 without DRAINSCOPE_AUTH_TOKEN/);
      expect(await tcpServers()).toBe(before);
    } finally {
      await rt.stop();
    }
  });
});
