/**
 * In-pod signal ingest acknowledgement latency (issue 13): 64 concurrent clients, each POSTing signals one
 * after another through the real handler (postSignalIngest → runtime → write batcher → SQLite commit), so
 * every 202 means the event is durably stored. Optionally with readers querying the timeline meanwhile.
 * Run alone: `node bin/run-ts.js server/bench/ingest-latency.ts [--http]`; `npm run bench` includes it.
 *
 * Two harnesses. `ingestLatency` calls the handler in this process (no sockets; readers cannot pause,
 * their timers would never fire while the client chains run). `ingestLatencyHttp` serves the same
 * handlers over a real HTTP server on 127.0.0.1 and runs the clients in another process
 * (ingest-http-client.ts), so the figure is what a sender sees: its own parse and send, the socket, the
 * server's request parsing and the response. It is a plain node:http server with a small adapter, not
 * Next's router. `ingestLatencyNext` (`--next`) runs the same client process against the product's real
 * server, `next start` on a fresh store (needs a build; BENCH_APP_DIR points at another checkout's build for
 * A/B runs): routing, proxy.ts and Next's Request/Response plumbing included. From outside it cannot time
 * each request on the server, so it reports the server's CPU time per request (its process, from /proc).
 * `--next-ingest-port` is `--next` with the senders on the server's ingest listener (DRAINSCOPE_INGEST_PORT).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../config";
import { getTimelineHandler, postSignalIngest } from "../http/handlers";
import { sendWebResponse, toWebRequest } from "../http/node-adapter";
import { waitForHealth } from "./wait-for-health";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects } from "../runtime/runtime";

export interface IngestLatency {
  readonly clients: number;
  readonly readers: number;
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly perSecond: number;
  readonly failed: number;
}

const TOKEN = "bench-ingest-token";

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function serverPercentiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { serverP50: percentile(sorted, 50), serverP99: percentile(sorted, 99) };
}

/** A fresh runtime (SQLite in a temp dir, no watcher, the ingest token) installed for the handlers. */
async function benchRuntime() {
  const dir = mkdtempSync(join(tmpdir(), "ds-bench-ingest-"));
  const env = { DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_INGEST_TOKEN: TOKEN };
  const rt = await startRuntime(loadConfig(env), { env, log: () => undefined, effects: systemEffects });
  installRuntime(Promise.resolve(rt));
  return {
    /** Store commits so far and their mean duration (the write-duration histogram of /metrics). */
    async commits() {
      return commitsFromMetrics(await rt.metrics());
    },
    async stop() {
      installRuntime(undefined);
      await rt.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** node:http → the route handlers through the product's adapter (server/http/node-adapter.ts), two routes. */
async function serveHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = toWebRequest(req, "http://127.0.0.1");
  const path = new URL(request.url).pathname;
  const response = req.method === "POST" && path === "/api/ingest/signal" ? await postSignalIngest(request) : req.method === "GET" && path === "/api/timeline" ? await getTimelineHandler(request) : new Response("not found", { status: 404 });
  await sendWebResponse(req, res, response);
}

interface ClientRun {
  readonly latencies: number[];
  readonly failed: number;
  readonly elapsed: number;
  readonly reads: number;
  readonly clientCpuMs: number;
}

/** Runs ingest-http-client.ts against `port` in its own process (readers on `readPort`, default the same); its latencies come back sorted. */
async function runClients(port: number, o: { clients: number; perClient: number; readers: number; readerPauseMs: number; deadlineMs: number; readPort?: number }): Promise<ClientRun> {
  const client = spawn(process.execPath, [join(import.meta.dirname, "../../bin/run-ts.js"), join(import.meta.dirname, "ingest-http-client.ts"), String(port), TOKEN, String(o.clients), String(o.perClient), String(o.readers), String(o.readerPauseMs), String(o.deadlineMs)], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...(o.readPort !== undefined ? { BENCH_READ_PORT: String(o.readPort) } : {}) } });
  let out = "";
  client.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => client.on("exit", resolve));
  if (code !== 0) throw new Error(`ingest HTTP client exited with ${String(code)}`);
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as ClientRun;
}

/** Store commits so far, read from a server's /metrics text (the write-duration histogram's count). */
function commitsFromMetrics(text: string): { count: number; meanMs: number } {
  const read = (suffix: string) => Number(new RegExp(`^drainscope_store_write_duration_seconds_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const count = read("count");
  return { count, meanMs: (read("sum") / count) * 1000 };
}

/**
 * Over HTTP on 127.0.0.1 (BENCH_PORT, else a free port), clients in a child process. `readerPauseMs`:
 * readers wait this long between timeline requests (0 = a tight loop). Bounded by `deadlineMs`.
 */
export async function ingestLatencyHttp(opts: { clients?: number; perClient?: number; readers?: number; readerPauseMs?: number; deadlineMs?: number } = {}): Promise<IngestLatency & { reads: number; clientCpuMs: number; serverCpuMsPerRequest: number; serverP50: number; serverP99: number; commits: number; commitMeanMs: number }> {
  const clients = opts.clients ?? 64;
  const perClient = opts.perClient ?? 50;
  const readers = opts.readers ?? 0;
  const rt = await benchRuntime();
  // Server side: from the request's arrival to the response handed to the socket (POSTs only).
  const serverSide: number[] = [];
  const server = createServer({ noDelay: true }, (req, res) => {
    const t0 = performance.now();
    if (req.method === "POST") res.on("finish", () => serverSide.push(performance.now() - t0));
    serveHandler(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(Number(process.env.BENCH_PORT ?? 0), "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const cpu0 = process.cpuUsage();
    const r = await runClients(port, { clients, perClient, readers, readerPauseMs: opts.readerPauseMs ?? 0, deadlineMs: opts.deadlineMs ?? 60_000 });
    const cpu = process.cpuUsage(cpu0);
    // The client's 20 warm-up requests are in the CPU time too.
    const serverCpuMsPerRequest = (cpu.user + cpu.system) / 1000 / (r.latencies.length + 20);
    const sorted = r.latencies;
    const commits = await rt.commits();
    return { clients, readers, requests: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, perSecond: (sorted.length / r.elapsed) * 1000, failed: r.failed, reads: r.reads, clientCpuMs: r.clientCpuMs, serverCpuMsPerRequest, ...serverPercentiles(serverSide), commits: commits.count, commitMeanMs: commits.meanMs };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rt.stop();
  }
}

/** CPU time (ms) of `pid` and its descendants so far, from /proc (Linux; NaN elsewhere). */
function treeCpuMs(pid: number): number {
  if (!existsSync("/proc/self/stat")) return NaN;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15).
      const rest = readFileSync(`/proc/${name}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
      stats.set(Number(name), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (p: number): boolean => p === pid || (p > 1 && stats.has(p) && inTree(stats.get(p)?.ppid ?? 0));
  let ticks = 0;
  for (const [p, s] of stats) if (inTree(p)) ticks += s.ticks;
  return ticks * 10; // USER_HZ is 100 on Linux
}

/**
 * The same clients against `next start` (the product's server) on a fresh store: BENCH_APP_DIR's build
 * (default this checkout), BENCH_PORT (default 3515). Reports the server's CPU per request instead of
 * server-side times. BENCH_SERVER_NODE_ARGS go to the server's node only (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
 * `ingestPort` (`--next-ingest-port`): the server also runs its ingest listener on BENCH_PORT + 1
 * (DRAINSCOPE_INGEST_PORT) and the senders post there; readers still read through Next.
 */
export async function ingestLatencyNext(opts: { clients?: number; perClient?: number; readers?: number; readerPauseMs?: number; deadlineMs?: number; ingestPort?: boolean } = {}): Promise<IngestLatency & { reads: number; clientCpuMs: number; serverCpuMsPerRequest: number; commits: number; commitMeanMs: number }> {
  const clients = opts.clients ?? 64;
  const perClient = opts.perClient ?? 50;
  const readers = opts.readers ?? 0;
  const appDir = resolve(process.env.BENCH_APP_DIR ?? join(import.meta.dirname, "../.."));
  if (!existsSync(join(appDir, ".next", "BUILD_ID"))) throw new Error(`no production build in ${appDir}/.next (run NEXT_TELEMETRY_DISABLED=1 npx next build)`);
  const port = Number(process.env.BENCH_PORT ?? 3515);
  const dataDir = mkdtempSync(join(tmpdir(), "ds-bench-ingest-next-"));
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, join(appDir, "node_modules/next/dist/bin/next"), "start", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: appDir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DRAINSCOPE_DATA_DIR: dataDir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_INGEST_TOKEN: TOKEN, ...(opts.ingestPort ? { DRAINSCOPE_INGEST_PORT: String(port + 1) } : {}) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, server, 60_000);
    const pid = server.pid ?? 0;
    // The server goes on loading its routes and warming reads after it first answers: wait until it idles.
    let cpu0 = treeCpuMs(pid);
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const now = treeCpuMs(pid);
      const idle = now - cpu0 < 25;
      cpu0 = now;
      if (idle) break;
    }
    const r = await runClients(opts.ingestPort ? port + 1 : port, { clients, perClient, readers, readerPauseMs: opts.readerPauseMs ?? 0, deadlineMs: opts.deadlineMs ?? 60_000, readPort: port });
    // The client's 20 warm-up requests are in the CPU time too.
    const serverCpuMsPerRequest = (treeCpuMs(pid) - cpu0) / (r.latencies.length + 20);
    const commits = commitsFromMetrics(await (await fetch(`${base}/metrics`)).text());
    const sorted = r.latencies;
    return { clients, readers, requests: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, perSecond: (sorted.length / r.elapsed) * 1000, failed: r.failed, reads: r.reads, clientCpuMs: r.clientCpuMs, serverCpuMsPerRequest, commits: commits.count, commitMeanMs: commits.meanMs };
  } finally {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function ingestLatency(opts: { clients?: number; perClient?: number; readers?: number } = {}): Promise<IngestLatency> {
  const clients = opts.clients ?? 64;
  const perClient = opts.perClient ?? 50;
  const readers = opts.readers ?? 0;
  const rt = await benchRuntime();
  const latencies: number[] = [];
  let failed = 0;
  let seq = 0;
  const send = async () => {
    const n = seq++;
    const body = JSON.stringify({ cluster: "bench", namespace: "shop", pod: `web-${n % 500}`, podUid: `00000000-0000-0000-0000-${String(n).padStart(12, "0")}`, signal: "prestop-start" });
    const t0 = performance.now();
    const res = await postSignalIngest(new Request("http://127.0.0.1/api/ingest/signal", { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body }));
    latencies.push(performance.now() - t0);
    if (res.status !== 202) failed++;
  };
  // Warm up (JIT, first statements prepared), not measured.
  for (let i = 0; i < 20; i++) await send();
  latencies.length = 0;
  let reading = true;
  const readLoops = Array.from({ length: readers }, async () => {
    while (reading) {
      await (await getTimelineHandler(new Request("http://127.0.0.1/api/timeline?cluster=bench&namespace=shop"))).text();
      // A real reader's next request needs the event loop to turn (sockets); without this, a loop of
      // promises only would starve the batcher's setImmediate and the clients would never be acknowledged.
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) await send();
    }),
  );
  const elapsed = performance.now() - t0;
  reading = false;
  await Promise.all(readLoops);
  await rt.stop();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { clients, readers, requests: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, perSecond: (sorted.length / elapsed) * 1000, failed };
}

if (process.argv.some((a) => a.endsWith("bench/ingest-latency.ts"))) {
  const harness = process.argv.includes("--next-ingest-port") ? "next-ingest-port" : process.argv.includes("--next") ? "next-start" : process.argv.includes("--http") ? "http" : "in-process";
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  // `--readers N`: only that variant (default both, 0 and 2 readers). `--clients N`: N senders sharing the
  // same 3,200 requests (default 64 × 50).
  const clients = arg("--clients") ?? 64;
  const load = { clients, perClient: Math.ceil(3200 / clients) };
  const only = arg("--readers");
  for (const readers of only !== undefined ? [only] : [0, 2]) {
    const r = harness === "next-start" || harness === "next-ingest-port" ? await ingestLatencyNext({ ...load, readers, readerPauseMs: 500, ingestPort: harness === "next-ingest-port" }) : harness === "http" ? await ingestLatencyHttp({ ...load, readers, readerPauseMs: 500 }) : await ingestLatency({ ...load, readers });
    console.log(JSON.stringify({ harness, ...r }));
  }
}
