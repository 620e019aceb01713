/**
 * `npm run bench`: the design §7 performance bars, measured and printed as a table (never asserted).
 * Record the figures, with the machine and command, in docs/benchmarks.md.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { computeTimeline } from "../../lib/engine/timeline";
import { openStore } from "../store/open-store";
import { syntheticRollout } from "../store/synthetic";
import { analyzeBench } from "./analyze";
import { browserBench, describeVisit } from "./browser";
import { timelineWire } from "./timeline-wire";
import { importStreamBench } from "./import-stream";
import { bareParse, batchIngest, normalizeOnly, watcherShapedIngest, withRandomPodUids, type IngestRun, type Timing } from "./ingest";
import { ingestLatency, ingestLatencyHttp, ingestLatencyNext } from "./ingest-latency";
import { realWatcherMemory } from "./watcher-real";
import { podWatchLines } from "./watch-stream";

type Row = [string, string, string, string];
const rows: Row[] = [];
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

/** Issue 15's ingest row: see server/bench/ingest.ts for the two shapes and why CPU time is printed too. */
async function ingest(): Promise<void> {
  const lines = podWatchLines(2500); // 20,000 pod watch events
  const bytes = lines.reduce((n, l) => n + l.length, 0);
  const runs = async <T extends Timing>(n: number, fn: () => Promise<T>): Promise<T[]> => {
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(await fn());
    return out;
  };
  const wall = (ts: readonly Timing[]) => median(ts.map((t) => t.wallMs));
  const cpu = (ts: readonly Timing[]) => median(ts.map((t) => t.cpuMs));
  const bare = await runs(3, () => bareParse(lines));
  const norm = await runs(3, () => normalizeOnly(lines));
  const watcher = await runs(3, () => watcherShapedIngest(lines));
  const batch = await runs(1, () => batchIngest(lines));
  // A real API server assigns pod UIDs at random; the synthetic stream's are sequential, which keeps the
  // store's pod-keyed B-trees append-only and cheaper than a cluster's (docs/benchmarks.md, third pass).
  const randomUids = await runs(3, () => watcherShapedIngest(withRandomPodUids(lines)));
  const rate = (t: number) => `${Math.round((lines.length / t) * 1000).toLocaleString("en")} ev/s`;
  const ratios = (ts: readonly Timing[]) => `${(wall(ts) / wall(bare)).toFixed(2)}× JSON.parse (CPU ${(cpu(ts) / cpu(bare)).toFixed(2)}×)`;
  const detail = (ts: readonly IngestRun[]) => `${ts[0]?.lifecycleEvents ?? 0} lifecycle events in ${Math.round(median(ts.map((t) => t.appends)))} transactions; ${rate(cpu(ts))} by CPU time`;
  rows.push(["bare JSON.parse of 20,000 pod watch events", rate(wall(bare)), `${ms(wall(bare))} (CPU ${ms(cpu(bare))})`, `${(bytes / 2 ** 20).toFixed(1)} MiB`]);
  rows.push(["parse + Pod check + normalize", rate(wall(norm)), ms(wall(norm)), ratios(norm)]);
  rows.push(["ingest as the watcher does it (16 KiB chunks, line reader, write batcher, SQLite)", rate(wall(watcher)), ms(wall(watcher)), `${ratios(watcher)}; ${detail(watcher)}; target ≥ 25,000 ev/s and ≤ 2.5×`]);
  rows.push(["  same, pod UIDs random as a real API server assigns them", rate(wall(randomUids)), ms(wall(randomUids)), `${ratios(randomUids)}; ${detail(randomUids)}`]);
  rows.push(["  same events, 1,000 per append", rate(wall(batch)), ms(wall(batch)), `${ratios(batch)}; ${detail(batch)}`]);
}

async function engine(): Promise<void> {
  for (const pods of [1000, 10000]) {
    const events = syntheticRollout({ pods });
    computeTimeline(events, { now: Date.UTC(2026, 0, 6) }); // warm up
    // Nine runs: the first ones after ingest can meet a major GC of what ingest left behind.
    const runs = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(() => time(() => computeTimeline(events, { now: Date.UTC(2026, 0, 6) }))[1]);
    rows.push([`timeline engine, ${pods.toLocaleString("en")}-pod rollout`, ms(median(runs)), `${events.length.toLocaleString("en")} events`, `target < ${pods === 1000 ? "50 ms" : "500 ms"}`]);
    const dir = mkdtempSync(join(tmpdir(), "ds-bench-"));
    const opened = await openStore({ dataDir: dir });
    if (!opened.ok) throw new Error(opened.error.message);
    for (let i = 0; i < events.length; i += 2000) await opened.store.append(events.slice(i, i + 2000));
    const q = async () => {
      const t0 = performance.now();
      const got = await opened.store.query({ cluster: "bench", namespace: "shop" });
      const tq = performance.now() - t0;
      computeTimeline(got, { now: Date.UTC(2026, 0, 6) });
      return [tq, performance.now() - t0] as const;
    };
    await q();
    const samples = [await q(), await q(), await q()];
    rows.push([`  + SQLite query (server-side API path)`, ms(median(samples.map((s) => s[1]))), `query ${ms(median(samples.map((s) => s[0])))}`, "query + engine"]);
    await opened.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timelineApi(): Promise<void> {
  const kb = (b: number) => `${Math.round(b / 1024).toLocaleString("en")} KB`;
  for (const pods of [1000, 10000]) {
    const f = await timelineWire(pods);
    const target = pods === 1000 ? "; target < 100 ms and < 300 KB on the wire" : "";
    rows.push([`/api/timeline, ${pods.toLocaleString("en")} pods, JSON document`, ms(f.json.serverMs), `${kb(f.json.bytes)}, ${kb(f.json.gzipBytes)} gzip`, `query + engine ${ms(f.coldViewMs)} first, ${ms(f.viewMs)} kept (engine cache), ${ms(f.afterOtherClusterWriteMs)} after a write to another cluster, ${ms(f.afterOwnWriteMs)} after new data in this one; client parse ${ms(f.json.clientMs)}`]);
    rows.push([`/api/timeline, ${pods.toLocaleString("en")} pods, ?format=compact`, ms(f.compact.serverMs), `${kb(f.compact.bytes)}, ${kb(f.compact.gzipBytes)} gzip`, `client parse + decode ${ms(f.compact.clientMs)}${target}`]);
  }
}

function analyze(): void {
  const f = analyzeBench(5000);
  rows.push([`drainscope analyze, ${f.lines.toLocaleString("en")}-line rollout (${f.mib.toFixed(0)} MiB)`, ms(f.analyzeMs), `JSON.parse ${ms(f.bareMs)}`, `${(f.analyzeMs / f.bareMs).toFixed(2)}× JSON.parse; target ≤ 2×`]);
}

/**
 * The watcher's memory in the shape production runs it: the container image runs the CLI bundled by
 * esbuild with plain Node (bin/build-image-app.sh), not through tsx, whose loader thread and compiled
 * modules add about 40 MB before the first pod. The child is bundled the same way here; the tsx figure
 * is printed too, as the development shape.
 */
function memory(): void {
  const root = join(import.meta.dirname, "../..");
  const dir = mkdtempSync(join(tmpdir(), "ds-bench-mem-"));
  const bundle = join(dir, "memory-child.mjs");
  execFileSync(join(root, "node_modules/.bin/esbuild"), [join(import.meta.dirname, "memory-child.ts"), "--bundle", "--platform=node", "--format=esm", "--target=node20", `--tsconfig=${join(root, "tsconfig.json")}`, "--log-level=warning", `--outfile=${bundle}`]);
  memoryRow("watcher memory (bundled, as the image runs it)", execFileSync(process.execPath, ["--expose-gc", bundle, "10000"], { encoding: "utf8" }));
  rmSync(dir, { recursive: true, force: true });
  memoryRow("watcher memory (through tsx)", execFileSync(process.execPath, ["--expose-gc", join(root, "bin/run-ts.js"), join(import.meta.dirname, "memory-child.ts"), "10000"], { encoding: "utf8" }));
}

/**
 * The real watcher: `drainscope watch` as the image bundles it (bin/bundle-cli.sh), against the simulated
 * API server with a 10,000-pod Deployment (watcher-real.ts). Everything the process holds: transport,
 * all resources (Events, EndpointSlices …), the store's SQLite page cache and the write batcher.
 */
async function realWatcher(): Promise<void> {
  const r = await realWatcherMemory({ pods: 10000, order: "watch-first" });
  const mb = (n: number | undefined) => `${(n ?? NaN).toFixed(0)} MB`;
  rows.push([
    "watcher memory, real `drainscope watch` vs simulated API, 10,000 pods",
    `${mb(r.steadyRssMb)} RSS`,
    `peak ${mb(r.peakRssMb)}, before any pod ${mb(r.baselineRssMb)}, ${((r.cpuMs ?? NaN) / 1000).toFixed(1)} s CPU`,
    "target < 100 MB RSS (the normalizer-only rows above are its watcher-state share)",
  ]);
}

function memoryRow(label: string, out: string): void {
  const m = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { pods: number; rssMb: number; heapUsedMb: number; heapTotalMb: number; baselineRssMb: number; baselineHeapUsedMb: number };
  rows.push([
    `${label}, ${m.pods.toLocaleString("en")} pods tracked`,
    `${m.rssMb.toFixed(0)} MB RSS`,
    `${m.heapUsedMb.toFixed(1)} MB heap used, ${m.heapTotalMb.toFixed(0)} MB heap`,
    `before any pod: ${m.baselineRssMb.toFixed(0)} MB RSS, ${m.baselineHeapUsedMb.toFixed(1)} MB heap used; target < 100 MB RSS`,
  ]);
}

async function ingestAck(): Promise<void> {
  // Over HTTP on 127.0.0.1, clients in another process: what a sender sees (ingest-latency.ts).
  for (const readers of [0, 2]) {
    const r = await ingestLatencyHttp({ clients: 64, perClient: 50, readers, readerPauseMs: 500 });
    rows.push([
      `signal ingest ack over HTTP, 64 clients${readers ? `, ${readers} timeline readers (500 ms pause)` : ""}`,
      `p99 ${ms(r.p99)}`,
      `p50 ${ms(r.p50)}, max ${ms(r.max)}, ${Math.round(r.perSecond).toLocaleString("en")} req/s, ${r.commits.toLocaleString("en")} commits${r.failed ? `, ${r.failed} failed` : ""}`,
      `server side p50 ${ms(r.serverP50)}, p99 ${ms(r.serverP99)}; target p99 < 50 ms`,
    ]);
  }
  // Through `next start`, the product's server (needs a build, as the browser rows do).
  for (const ingestPort of [false, true]) {
    const name = `signal ingest ack through next start${ingestPort ? ", its ingest listener (DRAINSCOPE_INGEST_PORT)" : ""}, 64 clients`;
    try {
      const r = await ingestLatencyNext({ clients: 64, perClient: 50, ingestPort });
      rows.push([
        name,
        `p99 ${ms(r.p99)}`,
        `p50 ${ms(r.p50)}, max ${ms(r.max)}, ${Math.round(r.perSecond).toLocaleString("en")} req/s, ${r.commits.toLocaleString("en")} commits${r.failed ? `, ${r.failed} failed` : ""}`,
        `server CPU ${r.serverCpuMsPerRequest.toFixed(2)} ms per request; target p99 < 50 ms`,
      ]);
    } catch (e) {
      rows.push([name, "skipped", e instanceof Error ? e.message : String(e), ""]);
    }
  }
  for (const readers of [0, 2]) {
    const r = await ingestLatency({ clients: 64, perClient: 50, readers });
    rows.push([
      `signal ingest ack, 64 clients${readers ? `, ${readers} timeline readers` : ""}`,
      `p99 ${ms(r.p99)}`,
      `p50 ${ms(r.p50)}, max ${ms(r.max)}, ${Math.round(r.perSecond).toLocaleString("en")} req/s${r.failed ? `, ${r.failed} failed` : ""}`,
      "target p99 < 50 ms (committed before 202)",
    ]);
  }
}

/** Issue 15: a 200 MB audit log through `drainscope import` in a child (5 GB: server/bench/import-stream.ts --gb 5). */
async function importStream(): Promise<void> {
  const r = await importStreamBench({ bytes: 200e6 });
  rows.push([
    `drainscope import, ${(r.fileBytes / 1e6).toFixed(0)} MB audit log (${r.lines.toLocaleString("en")} lines)`,
    `${r.mbPerSec.toFixed(0)} MB/s`,
    `peak RSS ${r.maxRssMb.toFixed(0)} MB`,
    `${r.observations.toLocaleString("en")} observations; target ≥ 50 MB/s, < 300 MB RSS at 5 GB`,
  ]);
}

async function browser(): Promise<void> {
  const r = await browserBench([1000, 10000]);
  if (!r.ok) {
    rows.push(["browser rows (first swimlane paint, pan frames)", "skipped", r.reason, ""]);
    return;
  }
  for (const s of r.sizes) {
    s.visits.forEach((v, i) => rows.push(describeVisit(s.lanes, i, v)));
    if (s.afterWarmUp) rows.push(describeVisit(s.lanes, "after warm-up", s.afterWarmUp));
  }
}

await ingest();
await ingestAck();
await engine();
await timelineApi();
analyze();
memory();
await realWatcher();
await importStream();
await browser();
const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(`Drainscope benchmarks — ${cpu}, ${cpus().length} cores, Node ${process.version}\n`);
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  │  "));
