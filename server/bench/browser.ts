/**
 * The browser rows of `npm run bench`: a production server (`next start`) on a seeded store, and the
 * system Chromium through Playwright, as a user's browser sees the timeline page.
 *
 * For each rollout size (one lane per pod): a cold page (a new browser context: no HTTP cache, no
 * TanStack cache) at 1600×1000 opens `/timeline?cluster=…&namespace=shop` (no range: the server picks
 * the latest episode), and the figures are navigation start → the swimlane's first drawn frame
 * (`window.__drainscopeFirstPaint`), the long tasks (> 50 ms, PerformanceObserver) before it, the
 * `/api/timeline` requests (time, bytes on the wire), then requestAnimationFrame intervals while panning
 * and zooming with A/D/W/S. Visit 1 comes right after the server says ready (nothing kept yet; the
 * server's read warm-up, server/runtime/read-warmer.ts, may still be running and is then joined), later
 * visits meet a warm server. Then the server is restarted on the same store and, once it logs "reads
 * warmed", one more first visit per size: the figure after the warm-up, reported separately.
 *
 * Alone: `node bin/run-ts.js server/bench/browser.ts [lanes…]` (default 1000 10000). Needs a build
 * (`.next`); without one it prints why it skipped, or builds first with BENCH_BUILD=1. BENCH_APP_DIR
 * points at another checkout's build (for A/B runs), BENCH_PORT picks the port (default 3510).
 * BENCH_PROFILE=DIR writes a CPU profile of each visit's load and of its panning there
 * (`<lanes>-<visit>-load.cpuprofile`, `…-pan.cpuprofile`; open them in Chrome DevTools) and a screenshot
 * after the panning (`…-after-pan.png`). BENCH_TRACE=DIR writes a Chrome trace of each visit's panning
 * (`…-pan.trace.json`: layout, paint, raster and script per frame; open it in chrome://tracing or Perfetto).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CHROMIUM_LOOPBACK_ARGS } from "../chromium-args";
import { openStore } from "../store/open-store";
import { syntheticRollout } from "../store/synthetic";
import { waitForHealth } from "./wait-for-health";

export interface FrameStats {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface VisitFigures {
  /** Navigation start → the swimlane's first drawn frame (ms). */
  readonly firstPaintMs: number;
  readonly lanes: number;
  /** Long tasks that began before the first paint: count, longest, sum (ms). */
  readonly longTasks: { readonly n: number; readonly max: number; readonly total: number };
  /** Each /api/timeline request: duration (ms) and bytes on the wire (compressed body). */
  readonly api: readonly { readonly ms: number; readonly bytes: number; readonly decodedBytes: number }[];
  /** rAF intervals while panning/zooming with A/D/W/S. */
  readonly frames: FrameStats;
  /** Long tasks during the panning. */
  readonly panLongTasks: { readonly n: number; readonly max: number };
  /** The swimlane's own draw calls while panning (script time per frame, `window.__drainscopeFrames`). */
  readonly draws: FrameStats;
}

export type BrowserResult =
  | {
      readonly ok: true;
      /** Per size: three visits from server start (the first right after ready), and one on a restarted server once its reads are warm. */
      readonly sizes: readonly { readonly lanes: number; readonly visits: readonly VisitFigures[]; readonly afterWarmUp?: VisitFigures }[];
      /** The restarted server's warm-up, as it logged it (absent: it logged none, e.g. an older build). */
      readonly warmUpMs?: number;
    }
  | { readonly ok: false; readonly reason: string };

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const VISITS = 3;

function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
}

/** Seeds one cluster per size (`lanes-N`, namespace `shop`) into a fresh store under `dir`. */
async function seed(dir: string, sizes: readonly number[]): Promise<void> {
  const opened = await openStore({ dataDir: dir });
  if (!opened.ok) throw new Error(opened.error.message);
  try {
    for (const pods of sizes) {
      const events = syntheticRollout({ pods, cluster: `lanes-${pods}` });
      for (let i = 0; i < events.length; i += 2000) await opened.store.append(events.slice(i, i + 2000));
    }
  } finally {
    await opened.store.close();
  }
}

export async function browserBench(sizes: readonly number[] = [1000, 10000]): Promise<BrowserResult> {
  const appDir = resolve(process.env.BENCH_APP_DIR ?? join(import.meta.dirname, "../.."));
  const port = Number(process.env.BENCH_PORT ?? 3510);
  if (!existsSync(CHROMIUM)) return { ok: false, reason: `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)` };
  if (!existsSync(join(appDir, ".next", "BUILD_ID"))) {
    if (process.env.BENCH_BUILD !== "1") return { ok: false, reason: `no production build in ${appDir}/.next (run \`npm run build\`, or BENCH_BUILD=1 npm run bench)` };
    const b = spawnSync(process.execPath, [join(appDir, "node_modules/next/dist/bin/next"), "build"], { cwd: appDir, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (b.status !== 0) return { ok: false, reason: `next build failed (exit ${b.status})` };
  }
  let chromium: typeof import("@playwright/test").chromium;
  try {
    ({ chromium } = await import("@playwright/test"));
  } catch (err) {
    return { ok: false, reason: `@playwright/test not loadable: ${err instanceof Error ? err.message : String(err)}` };
  }
  const dataDir = mkdtempSync(join(tmpdir(), "ds-bench-browser-"));
  await seed(dataDir, sizes);
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_LOOPBACK_ARGS],
  });
  let server: StartedServer | undefined;
  try {
    // Pass 1: the first visit right after the server says ready (a warm-up, if any, still running), then two more.
    server = startServer(appDir, port, dataDir);
    await waitForHealth(base, server.process, 60_000);
    const out: { lanes: number; visits: VisitFigures[]; afterWarmUp?: VisitFigures }[] = [];
    for (const pods of sizes) {
      const visits: VisitFigures[] = [];
      for (let v = 0; v < VISITS; v++) visits.push(await freshVisit(browser, `${base}/timeline?cluster=lanes-${pods}&namespace=shop`, `${pods}-${v + 1}`));
      out.push({ lanes: pods, visits });
    }
    await server.stop();
    // Pass 2: a new server on the same store; once it logs that its reads are warm, one first visit per size.
    server = startServer(appDir, port, dataDir);
    await waitForHealth(base, server.process, 60_000);
    const warmMs = await server.warmed(WARM_WAIT_MS);
    if (warmMs !== undefined) {
      for (const o of out) o.afterWarmUp = await freshVisit(browser, `${base}/timeline?cluster=lanes-${o.lanes}&namespace=shop`, `${o.lanes}-after-warm-up`);
    }
    return { ok: true, sizes: out, ...(warmMs !== undefined ? { warmUpMs: warmMs } : {}) };
  } finally {
    await browser.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** How long pass 2 waits for the server's "reads warmed" line (a build without a warm-up never logs it: BENCH_WARM_WAIT_MS). */
const WARM_WAIT_MS = Number(process.env.BENCH_WARM_WAIT_MS ?? 120_000);

interface StartedServer {
  readonly process: ChildProcess;
  /** Ready → "reads warmed" (ms, as the server logs it), or undefined when not logged within `ms`. */
  warmed(ms: number): Promise<number | undefined>;
  stop(): Promise<void>;
}

function startServer(appDir: string, port: number, dataDir: string): StartedServer {
  const child = spawn(process.execPath, [join(appDir, "node_modules/next/dist/bin/next"), "start", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: appDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DRAINSCOPE_DATA_DIR: dataDir, DRAINSCOPE_WATCH: "off" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  let warmMs: number | undefined;
  const waiters = new Set<() => void>();
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text = (text + chunk.toString("utf8")).slice(-4096);
    const m = /reads warmed in (\d+) ms/.exec(text);
    if (m && warmMs === undefined) {
      warmMs = Number(m[1]);
      for (const w of waiters) w();
    }
  });
  return {
    process: child,
    async warmed(ms) {
      if (warmMs === undefined) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          waiters.add(() => (clearTimeout(t), resolve()));
        });
      }
      return warmMs;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function freshVisit(browser: import("@playwright/test").Browser, url: string, name: string): Promise<VisitFigures> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  try {
    return await visit(context, url, name);
  } finally {
    await context.close();
  }
}

/** With BENCH_PROFILE set: starts the page's CPU profiler; the returned function stops it and writes the profile. */
async function profiler(page: import("@playwright/test").Page): Promise<(name: string) => Promise<void>> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return async () => {};
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  return async (name) => {
    const { profile } = await cdp.send("Profiler.stop");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    await cdp.send("Profiler.start");
  };
}

async function visit(context: import("@playwright/test").BrowserContext, url: string, name: string): Promise<VisitFigures> {
  const page = await context.newPage();
  const profile = await profiler(page);
  // In-page code goes as text: tsx would wrap named functions in a helper the page does not have.
  await page.addInitScript({
    content: `{ const tasks = (window.__benchLongTasks = []);
      new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration }); })
        .observe({ type: "longtask", buffered: true }); }`,
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__drainscopeFirstPaint !== undefined, undefined, { timeout: 120_000 });
  // Let the page settle (a second fetch for the bucket window may follow the no-range one).
  await page.waitForTimeout(1500);
  const loaded = (await page.evaluate(`({
    firstPaint: window.__drainscopeFirstPaint ?? NaN,
    tasks: window.__benchLongTasks ?? [],
    api: performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/timeline"))
      .map((r) => ({ ms: r.duration, bytes: r.encodedBodySize, decodedBytes: r.decodedBodySize })),
  })`)) as { firstPaint: number; tasks: { start: number; duration: number }[]; api: VisitFigures["api"] };
  const label = (await page.getByTestId("lanes").getAttribute("aria-label")) ?? "";
  const lanes = Number(label.match(/of ([\d,]+) pods/)?.[1]?.replace(/,/g, "") ?? NaN);
  const before = loaded.tasks.filter((t) => t.start < loaded.firstPaint);
  await profile(`${name}-load`);

  // Panning: rAF-to-rAF intervals in the page while A/D/W/S are pressed (zoom in, pan both ways, zoom out).
  await page.getByTestId("lanes").hover();
  const tasksBefore = loaded.tasks.length;
  const tracer = context.browser();
  const trace = process.env.BENCH_TRACE;
  if (trace && tracer) {
    mkdirSync(trace, { recursive: true });
    await tracer.startTracing(page, { path: join(trace, `${name}-pan.trace.json`), categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "cc", "gpu", "v8", "disabled-by-default-v8.gc", "toplevel", "benchmark", "renderer.scheduler", "blink.user_timing"] });
  }
  await page.evaluate(`{ window.__drainscopeFrames = []; const gaps = (window.__benchGaps = []); window.__benchRun = true; let last = performance.now();
    const loop = (t) => { gaps.push(t - last); last = t; if (window.__benchRun) requestAnimationFrame(loop); };
    requestAnimationFrame(loop); }`);
  for (const k of ["w", "w", "d", "d", "d", "d", "a", "a", "a", "a", "a", "a", "d", "d", "s", "s", "s", "w"]) {
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press(k);
      await page.waitForTimeout(30);
    }
  }
  await page.waitForTimeout(500);
  const pan = (await page.evaluate(`(window.__benchRun = false, { gaps: (window.__benchGaps ?? []).slice(1), tasks: window.__benchLongTasks ?? [], draws: window.__drainscopeFrames ?? [] })`)) as { gaps: number[]; tasks: { start: number; duration: number }[]; draws: number[] };
  const panTasks = pan.tasks.slice(tasksBefore);
  if (trace && tracer) await tracer.stopTracing();
  await profile(`${name}-pan`);
  if (process.env.BENCH_PROFILE) await page.screenshot({ path: join(process.env.BENCH_PROFILE, `${name}-after-pan.png`) });
  await page.close();
  return {
    firstPaintMs: loaded.firstPaint,
    lanes,
    longTasks: { n: before.length, max: Math.max(0, ...before.map((t) => t.duration)), total: before.reduce((s, t) => s + t.duration, 0) },
    api: loaded.api,
    frames: { n: pan.gaps.length, p50: quantile(pan.gaps, 0.5), p95: quantile(pan.gaps, 0.95), max: Math.max(...pan.gaps) },
    panLongTasks: { n: panTasks.length, max: Math.max(0, ...panTasks.map((t) => t.duration)) },
    draws: { n: pan.draws.length, p50: quantile(pan.draws, 0.5), p95: quantile(pan.draws, 0.95), max: Math.max(0, ...pan.draws) },
  };
}

/** One line per visit, for the table in run.ts and for running this file alone. */
export function describeVisit(lanes: number, i: number | "after warm-up", v: VisitFigures): [string, string, string, string] {
  const kb = (b: number) => `${Math.round(b / 1024).toLocaleString("en")} KB`;
  const api = v.api.map((a) => `${Math.round(a.ms)} ms ${kb(a.bytes)} (${kb(a.decodedBytes)} raw)`).join(" + ");
  return [
    i === "after warm-up" ? `browser, ${lanes.toLocaleString("en")} lanes, cold page on a restarted server after its warm-up` : `browser, ${lanes.toLocaleString("en")} lanes, cold page ${i + 1}${i === 0 ? " (right after the server says ready)" : ""}`,
    `first paint ${Math.round(v.firstPaintMs)} ms`,
    `pan frames p50 ${v.frames.p50.toFixed(1)} / p95 ${v.frames.p95.toFixed(1)} / max ${v.frames.max.toFixed(0)} ms (n=${v.frames.n}, ${v.panLongTasks.n} long tasks, max ${Math.round(v.panLongTasks.max)} ms; swimlane draw p50 ${v.draws.p50.toFixed(1)} / p95 ${v.draws.p95.toFixed(1)} / max ${v.draws.max.toFixed(0)} ms, n=${v.draws.n})`,
    `${Number.isFinite(v.lanes) ? v.lanes : "?"} lanes drawn; long tasks before paint: ${v.longTasks.n}, max ${Math.round(v.longTasks.max)} ms, sum ${Math.round(v.longTasks.total)} ms; /api/timeline ${api}; target < ${lanes >= 10000 ? "3" : "1.5"} s, frames p95 ≤ 17 ms, max ≤ 50 ms`,
  ];
}

if (process.argv[1]?.endsWith("bench/browser.ts")) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
  console.log(`load average at start ${load()}`);
  const r = await browserBench(sizes.length ? sizes : undefined);
  console.log(`load average at end ${load()}`);
  if (!r.ok) console.log(`browser bench skipped: ${r.reason}`);
  else {
    for (const s of r.sizes) {
      s.visits.forEach((v, i) => console.log(describeVisit(s.lanes, i, v).join("  │  ")));
      if (s.afterWarmUp) console.log(describeVisit(s.lanes, "after warm-up", s.afterWarmUp).join("  │  "));
    }
    console.log(r.warmUpMs !== undefined ? `restarted server: reads warmed in ${r.warmUpMs} ms` : "restarted server: no warm-up logged (no figure after warm-up)");
  }
}
