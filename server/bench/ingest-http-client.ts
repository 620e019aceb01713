/**
 * The client side of the HTTP ingest-acknowledgement bench (ingest-latency.ts, `ingestLatencyHttp`), in its
 * own process as in-pod senders are: `clients` keep-alive connections, each POSTing signals one after another
 * to 127.0.0.1, timed from the request's start to the response's end, plus `readers` that GET the timeline
 * and pause `readerPauseMs` between requests (a dashboard polling). Bounded: at most `deadlineMs` in all,
 * each request at most 10 s (counted as failed). Prints one JSON line: the sorted latencies and counts.
 *
 *   node bin/run-ts.js server/bench/ingest-http-client.ts PORT TOKEN CLIENTS PER_CLIENT READERS PAUSE_MS DEADLINE_MS
 *
 * BENCH_READ_PORT: readers use this port instead (the signals go to an ingest listener, reads to the dashboard).
 */
import { Agent, request } from "node:http";

const [port, token, clients, perClient, readers, readerPauseMs, deadlineMs] = process.argv.slice(2).map((a, i) => (i === 1 ? a : Number(a))) as [number, string, number, number, number, number, number];
// BENCH_NO_KEEPALIVE=1: a new connection per request, as a preStop hook running curl sends its signal.
const agent = new Agent({ keepAlive: process.env.BENCH_NO_KEEPALIVE !== "1", maxSockets: clients + readers });

const readPort = Number(process.env.BENCH_READ_PORT ?? port);

function call(method: "GET" | "POST", path: string, body?: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port: method === "GET" ? readPort : port, method, path, agent, timeout: 10_000, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.on("socket", (socket) => socket.setNoDelay(true));
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

let seq = 0;
const send = async (record: number[] | undefined): Promise<boolean> => {
  const n = seq++;
  const body = JSON.stringify({ cluster: "bench", namespace: "shop", pod: `web-${n % 500}`, podUid: `00000000-0000-0000-0000-${String(n).padStart(12, "0")}`, signal: "prestop-start" });
  const t0 = performance.now();
  const status = await call("POST", "/api/ingest/signal", body);
  record?.push(performance.now() - t0);
  return status === 202;
};

// Warm up (connections, JIT, first statements prepared), not measured.
for (let i = 0; i < 20; i++) await send(undefined);
// BENCH_OPEN_ALL=1: every client opens its connection with one more unmeasured request, so the figures are
// the steady state (next start answers the first requests of 63 new connections last, seconds behind).
if (process.env.BENCH_OPEN_ALL === "1") await Promise.all(Array.from({ length: clients }, () => send(undefined)));
const latencies: number[] = [];
let failed = 0;
const stopAt = performance.now() + deadlineMs;
let reading = true;
let reads = 0;
const readLoops = Array.from({ length: readers }, async () => {
  while (reading) {
    await call("GET", "/api/timeline?cluster=bench&namespace=shop");
    reads++;
    if (readerPauseMs > 0) await new Promise((r) => setTimeout(r, readerPauseMs));
  }
});
const t0 = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    for (let i = 0; i < perClient && performance.now() < stopAt; i++) if (!(await send(latencies))) failed++;
  }),
);
const elapsed = performance.now() - t0;
reading = false;
await Promise.all(readLoops);
agent.destroy();
latencies.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ latencies, failed, elapsed, reads, clientCpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 }) + "\n");
