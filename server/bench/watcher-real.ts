/**
 * The real watcher's memory against the simulated cluster: `drainscope watch` bundled by esbuild exactly
 * as bin/build-image-app.sh bundles the image's CLI, run with plain Node in a child, watching a simulated
 * API server (real list/watch protocol) on which a Deployment of N pods (default 10,000) is rolled out.
 * Unlike memory-child.ts (the normalizer alone) this holds everything the product holds: the transport,
 * the line reader, list pages, all six resources (Events, EndpointSlices, ReplicaSets …), the store and
 * its write batcher.
 *
 * Two orders: `watch-first` starts the watcher and then creates the pods (watch path, each pod arrives as
 * ADDED + several MODIFIED lines); `list-first` creates the pods, then starts the watcher (list path: pages
 * of 500). RSS is read from /proc: `settledRssMb` once the pods are all ready and the watcher's CPU has been
 * idle for 3 s, `steadyRssMb` 20 s later, `peakRssMb` the high-water mark; `cpuMs` is the watcher's CPU time
 * until settled (the cost of a memory flag shows there). One JSON line per run.
 *
 *   node bin/run-ts.js server/bench/watcher-real.ts [pods] [watch-first|list-first] [-- extra node flags]
 *   BENCH_IMAGE=dist/image …   # the default deployment's shape: `start`, the watcher inside the Next server
 */
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { runScenario } from "../sim/cluster/run-scenario";
import { SQLITE_FILE } from "../store/open-store";
import { deployWithService } from "../sim/scenarios/common";
import { startSimulatedCluster } from "../sim";

const root = join(import.meta.dirname, "../..");

/** The image's CLI bundle (bin/bundle-cli.sh, as bin/build-image-app.sh makes it), under dist/ so externals resolve. */
export function bundleCli(): string {
  const dir = join(root, "dist/bench-cli-image");
  execFileSync("bash", [join(root, "bin/bundle-cli.sh"), dir]);
  return join(dir, "cli.mjs");
}

interface ProcMem {
  rssMb: number;
  hwmMb: number;
  cpuMs: number;
}

function procMem(pid: number): ProcMem | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0) / 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0); // utime + stime
    return { rssMb: kb("VmRSS"), hwmMb: kb("VmHWM"), cpuMs: ticks * 10 };
  } catch {
    return undefined;
  }
}

interface Snap {
  mu: NodeJS.MemoryUsage;
  spaces: Record<string, { size: number; used: number }>;
}
interface ProbeOut {
  before: Snap;
  after: Snap;
}
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
function summarizeProbe(p: ProbeOut) {
  const one = (s: Snap) => ({
    rss: mb(s.mu.rss),
    heapUsed: mb(s.mu.heapUsed),
    heapTotal: mb(s.mu.heapTotal),
    external: mb(s.mu.external),
    arrayBuffers: mb(s.mu.arrayBuffers),
    spaces: Object.fromEntries(Object.entries(s.spaces).map(([k, v]) => [k, `${mb(v.used)}/${mb(v.size)}`])),
  });
  return { found: one(p.before), afterGc: one(p.after) };
}

/** The process and its descendants (`drainscope start` runs the Next server as a child), summed. */
function treeMem(pid: number): (ProcMem & { processes: number[] }) | undefined {
  const own = procMem(pid);
  if (!own) return undefined;
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // no children file: none
  }
  const total = { ...own, processes: [Math.round(own.rssMb)] };
  for (const c of children) {
    const m = treeMem(c);
    if (!m) continue;
    total.rssMb += m.rssMb;
    total.hwmMb += m.hwmMb;
    total.cpuMs += m.cpuMs;
    total.processes.push(...m.processes);
  }
  return total;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Loaded into the watcher with --import (diagnostics only): on SIGUSR2 it writes the V8 heap spaces and
 * process.memoryUsage() as found, then again after a full GC, so the report can say what is live.
 */
const PROBE = `import v8 from "node:v8"; import { writeFileSync } from "node:fs";
const snap = () => ({ mu: process.memoryUsage(), spaces: Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }])) });
process.on("SIGUSR2", () => { const before = snap(); globalThis.gc?.(); globalThis.gc?.(); writeFileSync(process.env.BENCH_PROBE_OUT, JSON.stringify({ before, after: snap() })); if (process.env.BENCH_HEAP_SNAPSHOT) v8.writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT); });`;

/**
 * `image`: a folder made by bin/build-image-app.sh; the watcher then runs as the default deployment runs
 * it, `node IMAGE/cli.mjs start` with the Next standalone server as its child and the watcher inside that
 * server, and the figures are the sum of both processes (`processes`: each one's RSS).
 */
export async function realWatcherMemory(o: { pods: number; order: "watch-first" | "list-first"; nodeFlags?: readonly string[]; cli?: string; image?: string; probe?: boolean; steadyMs?: number; seed?: number; storeFrom?: string; keepStore?: string }) {
  const cli = o.image ? join(o.image, "cli.mjs") : (o.cli ?? bundleCli());
  const probeFile = join(tmpdir(), `ds-watch-probe-${process.pid}.mjs`);
  const probeOut = `${probeFile}.json`;
  if (o.probe) writeFileSync(probeFile, PROBE);
  // History far above the run's changes: a watcher that falls behind under load must not get 410 and
  // relist (that would measure the list path in the middle of the watch path; `podLists` shows it).
  const sim = await startSimulatedCluster({ speed: 20, nodes: Math.max(3, Math.ceil(o.pods / 250)), historyLimit: 50 * o.pods + 10_000, ...(o.seed !== undefined ? { seed: o.seed } : {}) });
  const data = mkdtempSync(join(tmpdir(), "ds-watch-real-"));
  // A store that already holds history (earlier rollouts): the write cost of a small page cache shows there.
  if (o.storeFrom) copyFileSync(o.storeFrom, join(data, SQLITE_FILE));
  const ns = "bench";
  const spec = { name: "web", namespace: ns, replicas: o.pods, graceSeconds: 30, onSigterm: { kind: "die" } as const, readyAfterSeconds: 1, readiness: false as const };
  const deploy = () =>
    runScenario(sim.cluster, {
      name: "bench-watcher",
      title: "",
      description: "",
      namespace: ns,
      expectedWindows: [],
      expectedCounts: {},
      rationale: "",
      approxSeconds: 0,
      run: (ctx) => deployWithService(ctx, spec),
    });
  let child: ReturnType<typeof spawn> | undefined;
  const start = () => {
    const command = o.image ? "start" : "watch";
    const server: Record<string, string> = o.image ? { DRAINSCOPE_NEXT_SERVER: join(o.image, "server.js"), DRAINSCOPE_HOST: "127.0.0.1", PORT: "0", NODE_ENV: "production" } : {};
    child = spawn(process.execPath, [...(o.probe ? ["--expose-gc", "--import", probeFile] : []), ...(o.nodeFlags ?? []), cli, command, "--kubeconfig", sim.kubeconfigPath, "-A"], {
      env: { ...process.env, ...server, BENCH_PROBE_OUT: probeOut, DRAINSCOPE_DATA_DIR: data, DRAINSCOPE_SIMULATE: "off", NODE_OPTIONS: "" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr?.on("data", () => undefined);
    return child.pid ?? 0;
  };
  try {
    let pid = 0;
    let baseline: ReturnType<typeof treeMem>;
    if (o.order === "watch-first") {
      pid = start();
      // Until the watcher has listed and opened its pod watch (under load that can take a while): the
      // pods must arrive through the watch, not through a first list.
      const t0 = Date.now();
      while (Date.now() - t0 < 120_000 && !sim.auth.audit().some((a) => a.path.includes("/pods") && a.path.includes("watch=true"))) await sleep(250);
      await sleep(1000);
      baseline = treeMem(pid);
      await deploy();
    } else {
      await deploy();
      pid = start();
    }
    // Settled: pods all ready (deploy resolved) and the watcher's CPU idle for 3 s. Then the steady
    // figure: RSS after `steadyMs` more of idle, once V8's memory reducer has had its chance to shrink
    // the heap (what a long-running watcher shows between rollouts).
    let last: ReturnType<typeof treeMem> = treeMem(pid);
    let idleSince = Date.now();
    const t0 = Date.now();
    while (Date.now() - t0 < 600_000) {
      await sleep(250);
      const m = treeMem(pid);
      if (!m) break;
      if (last && m.cpuMs - last.cpuMs > 20) idleSince = Date.now();
      last = m;
      if (Date.now() - idleSince > 3000) break;
    }
    const settled = last;
    await sleep(o.steadyMs ?? 20_000);
    last = treeMem(pid) ?? last;
    const podLists = sim.auth.audit().filter((a) => a.method === "GET" && /\/pods(\?|$)/.test(a.path) && !a.path.includes("watch=true")).length;
    const db = new Database(join(data, SQLITE_FILE), { readonly: true });
    const storedPods = (db.prepare("SELECT count(*) AS n FROM pod_spans WHERE namespace = ?").get(ns) as { n: number }).n;
    db.close();
    let heap: unknown;
    if (o.probe) {
      process.kill(pid, "SIGUSR2");
      await sleep(process.env.BENCH_HEAP_SNAPSHOT ? 20_000 : 2000);
      heap = summarizeProbe(JSON.parse(readFileSync(probeOut, "utf8")) as ProbeOut);
    }
    return { pods: o.pods, storedPods, podLists, order: o.order, flags: o.nodeFlags ?? [], baselineRssMb: baseline?.rssMb, baselineCpuMs: baseline?.cpuMs, settledRssMb: settled?.rssMb, steadyRssMb: last?.rssMb, peakRssMb: last?.hwmMb, cpuMs: settled?.cpuMs, ...(o.image ? { command: "start", processes: last?.processes } : {}), ...(heap ? { heap } : {}) };
  } finally {
    child?.kill("SIGTERM");
    // Keeping the store: wait for the watcher's final flush and close (WAL checkpointed into the file).
    const t0 = Date.now();
    while (o.keepStore && child?.exitCode === null && Date.now() - t0 < 30_000) await sleep(100);
    await sleep(500);
    child?.kill("SIGKILL");
    if (o.keepStore) copyFileSync(join(data, SQLITE_FILE), o.keepStore);
    await sim.stop();
    rmSync(data, { recursive: true, force: true });
    rmSync(probeFile, { force: true });
    rmSync(probeOut, { force: true });
  }
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith("watcher-real.ts")) {
  const dash = process.argv.indexOf("--");
  const args = dash === -1 ? process.argv.slice(2) : process.argv.slice(2, dash);
  const flags = dash === -1 ? [] : process.argv.slice(dash + 1);
  const r = await realWatcherMemory({ pods: Number(args[0] ?? 10000), order: args[1] === "list-first" ? "list-first" : "watch-first", nodeFlags: flags, ...(process.env.BENCH_IMAGE ? { image: process.env.BENCH_IMAGE } : {}), ...(process.env.BENCH_CLI ? { cli: process.env.BENCH_CLI } : {}), probe: process.env.BENCH_PROBE === "1", ...(process.env.BENCH_SEED ? { seed: Number(process.env.BENCH_SEED) } : {}), ...(process.env.BENCH_STORE_FROM ? { storeFrom: process.env.BENCH_STORE_FROM } : {}), ...(process.env.BENCH_KEEP_STORE ? { keepStore: process.env.BENCH_KEEP_STORE } : {}) });
  process.stdout.write(JSON.stringify(r) + "\n");
  process.exit(0);
}
