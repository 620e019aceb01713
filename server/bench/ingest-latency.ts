/**
 * In-pod signal ingest acknowledgement latency (issue 13): 64 concurrent clients, each POSTing signals one
 * after another through the real handler (postSignalIngest → runtime → write batcher → SQLite commit), so
 * every 202 means the event is durably stored. Optionally with readers querying the timeline meanwhile.
 * Run alone: `node bin/run-ts.js server/bench/ingest-latency.ts`; `npm run bench` includes it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config";
import { getTimelineHandler, postSignalIngest } from "../http/handlers";
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

export async function ingestLatency(opts: { clients?: number; perClient?: number; readers?: number } = {}): Promise<IngestLatency> {
  const clients = opts.clients ?? 64;
  const perClient = opts.perClient ?? 50;
  const readers = opts.readers ?? 0;
  const dir = mkdtempSync(join(tmpdir(), "ds-bench-ingest-"));
  const env = { DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_INGEST_TOKEN: TOKEN };
  const rt = await startRuntime(loadConfig(env), { env, log: () => undefined, effects: systemEffects });
  installRuntime(Promise.resolve(rt));
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
    while (reading) await (await getTimelineHandler(new Request("http://127.0.0.1/api/timeline?cluster=bench&namespace=shop"))).text();
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
  installRuntime(undefined);
  await rt.stop();
  rmSync(dir, { recursive: true, force: true });
  const sorted = [...latencies].sort((a, b) => a - b);
  return { clients, readers, requests: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, perSecond: (sorted.length / elapsed) * 1000, failed };
}

if (process.argv.some((a) => a.endsWith("bench/ingest-latency.ts"))) {
  for (const readers of [0, 2]) {
    const r = await ingestLatency({ readers });
    console.log(JSON.stringify(r));
  }
}
