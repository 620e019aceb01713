/**
 * The README's screenshots, taken again from scratch:
 * `node bin/run-ts.js server/dev/screenshots.ts [--out docs/screenshots] [--port 3810] [--lossless]`
 * (`npm run screenshots`).
 *
 * Seeds a throwaway store with every simulator scenario but large-rollout (server/dev/seed.ts --only scenarios),
 * serves it with `next start` on 127.0.0.1 (building first when the build is missing or older than a source
 * file), and for each scenario opens the episode the home page links to (cluster `scenario-<name>`; of several, the one with the
 * most risk windows) in the system Chromium at 1600×1000, then saves `<scenario>-light.png`,
 * `<scenario>-dark.png` and `gateway-sync-lag-drawer-light.png` (that episode with its first dead-but-routed
 * pod's drawer open). The server is stopped and the store removed at the end, whatever happens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import type { EpisodeSummaryView } from "../../lib/view/api-types";
import { serializeViewState } from "../../lib/view/url-state";
import { CHROMIUM_LOOPBACK_ARGS } from "../chromium-args";
import { SCENARIOS } from "../sim";

const root = resolve(import.meta.dirname, "../..");
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return (i >= 0 ? args[i + 1] : undefined) ?? fallback;
};
const outDir = resolve(flag("--out", "docs/screenshots"));
const port = Number(flag("--port", "3810"));
/** `--lossless`: keep Chromium's PNGs as they are (about 2.5 times larger) instead of a 256-colour palette. */
const lossless = args.includes("--lossless");
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port must be a TCP port, not ${flag("--port", "")}`);
  process.exit(2);
}
const base = `http://127.0.0.1:${port}`;
const VIEWPORT = { width: 1600, height: 1000 };
/** The browser's clock, as the e2e specs pin it: nothing on the page may depend on the day the script runs. */
const BROWSER_NOW = new Date("2026-12-06T12:00:00Z");
/** The drawer screenshot's scenario (it has dead-but-routed windows, the drawer's most telling rows). */
const DRAWER_SCENARIO = "gateway-sync-lag";
const names = SCENARIOS.map((s) => s.name).filter((n) => n !== "large-rollout");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(cmd: string, argv: readonly string[], extraEnv: Record<string, string> = {}): Promise<void> {
  return new Promise((ok, fail) => {
    const p = spawn(cmd, argv, { cwd: root, env: { ...env, ...extraEnv }, stdio: "inherit" });
    p.on("error", fail);
    p.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${argv.join(" ")} exited with ${code}`))));
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${base}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** Sources the production build is made of: a build older than any of them would show yesterday's UI. */
const BUILD_INPUTS = ["app", "components", "lib", "server", "next.config.js", "package.json"];
/** Not part of the app: tests, and dev tools such as this script. */
const NOT_BUILT = (rel: string) => /\.test\.tsx?$/.test(rel) || rel.startsWith("server/dev/") || rel.startsWith("server/bench/");

/** Why the build must be made again, or undefined when it is newer than every input. */
function staleBuild(): string | undefined {
  const id = join(root, ".next", "BUILD_ID");
  if (!existsSync(id)) return "no production build";
  const built = statSync(id).mtimeMs;
  const newer = (path: string): string | undefined => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return undefined;
    if (NOT_BUILT(path.slice(root.length + 1))) return undefined;
    if (!st.isDirectory()) return st.mtimeMs > built ? path : undefined;
    for (const e of readdirSync(path)) {
      if (e === "node_modules" || e.startsWith(".")) continue;
      const hit = newer(join(path, e));
      if (hit) return hit;
    }
    return undefined;
  };
  for (const input of BUILD_INPUTS) {
    const hit = newer(join(root, input));
    if (hit) return `${hit.slice(root.length + 1)} is newer than the build`;
  }
  return undefined;
}

type Shrink = (png: Buffer) => Promise<Buffer>;

/**
 * The PNGs are committed: a 256-colour palette without dithering keeps the UI's flat colours and makes them
 * about 60 % smaller. sharp comes with Next.js (an optional dependency of it); without it they stay as taken.
 */
async function shrinker(): Promise<Shrink> {
  if (lossless) return async (png) => png;
  try {
    const { default: sharp } = await import("sharp");
    return (png) => sharp(png).png({ palette: true, colours: 256, dither: 0, effort: 10, compressionLevel: 9 }).toBuffer();
  } catch {
    console.warn("sharp is not installed: the screenshots stay as Chromium saved them (larger)");
    return async (png) => png;
  }
}

const windowsOf = (e: EpisodeSummaryView) => Object.values(e.counts).reduce((a, b) => a + b, 0);

/** Per scenario, the home page's link to its episode with the most risk windows (the earliest on a tie). */
async function episodeUrls(): Promise<Map<string, string>> {
  const { episodes } = await getJson<{ episodes: EpisodeSummaryView[] }>("/api/episodes?limit=500");
  const urls = new Map<string, string>();
  for (const name of names) {
    const mine = episodes.filter((e) => e.cluster === `scenario-${name}`);
    const best = [...mine].sort((a, b) => windowsOf(b) - windowsOf(a) || Date.parse(a.start) - Date.parse(b.start))[0];
    if (!best) throw new Error(`no episode for cluster scenario-${name}`);
    // As components/home/home-view.tsx links an episode.
    urls.set(name, `/timeline?${serializeViewState({ cluster: best.cluster, namespace: best.namespace, episode: best.id, pinned: [], follow: false })}`);
  }
  return urls;
}

async function shoot(ctx: BrowserContext, shrink: Shrink, url: string, file: string, drawer = false): Promise<void> {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.clock.setFixedTime(BROWSER_NOW);
    await page.goto(`${base}${url}`);
    // The data: the lanes are laid out and the risk list (or its "no risk window") is there.
    const counted = await page
      .getByText(/[1-9][\d,]* pods? · [\d,]+ events?/)
      .first()
      .waitFor({ timeout: 10_000 })
      .then(() => true, () => false);
    if (!counted) console.warn(`${file}: no "N pods · N events" summary on the page (taken anyway)`);
    // (With a pod's drawer open, the drawer takes the risk list's place.)
    await page.locator(drawer ? '[data-testid="pod-drawer"] [data-testid="pod-risk"]' : '[data-testid="risk-item"], [data-testid="no-risks"]').first().waitFor();
    // The swimlane's first paint, then a frame with the bands of this data.
    await page.waitForFunction(() => (window as { __drainscopeFirstPaint?: number }).__drainscopeFirstPaint !== undefined);
    // Grouped windows (a list item for many pods) can legitimately differ from the band count: do not hang on it.
    const banded = drawer || await page
      .waitForFunction(
        () => {
          const bands = Number(document.querySelector('[data-testid="lanes-canvas"]')?.getAttribute("data-bands") ?? NaN);
          return Number.isFinite(bands) && bands === document.querySelectorAll('[data-testid="risk-item"]').length;
        },
        undefined,
        { timeout: 5_000 },
      )
      .then(() => true, () => false);
    if (!banded) console.warn(`${file}: the canvas's band count is not the risk list's (taken anyway)`);
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(250); // throttled readouts and the last canvas frame
    const png = await shrink(await page.screenshot());
    if (errors.length > 0) throw new Error(`${file}: page errors: ${errors.join("; ")}`);
    writeFileSync(join(outDir, file), png);
    console.log(`${file}: ${Math.round(png.length / 1024)} KiB`);
  } finally {
    await page.close();
  }
}

async function drawerUrl(episodeUrl: string): Promise<string> {
  const doc = await getJson<{ riskWindows: { rule: string; podUids: string[] }[] }>(`/api${episodeUrl}`);
  const w = doc.riskWindows.find((r) => r.rule === "dead-but-routed") ?? doc.riskWindows[0];
  const uid = w?.podUids[0];
  if (!uid) throw new Error(`${DRAWER_SCENARIO}: no pod with a risk window for the drawer`);
  return `${episodeUrl}&pod=${encodeURIComponent(uid)}`;
}

async function main(): Promise<void> {
  if (await answers(`${base}/api/health`)) throw new Error(`something already answers on ${base}: pick another --port`);
  const stale = staleBuild();
  if (stale) {
    console.log(`${stale}: next build (a few minutes)…`);
    await run(process.execPath, ["node_modules/next/dist/bin/next", "build"]);
  }
  const dataDir = mkdtempSync(join(tmpdir(), "drainscope-screenshots-"));
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const t0 = Date.now();
  try {
    await run(process.execPath, ["bin/run-ts.js", "server/dev/seed.ts", dataDir, "--only", "scenarios"]);
    server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: root,
      env: { ...env, DRAINSCOPE_DATA_DIR: dataDir, DRAINSCOPE_WATCH: "off" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = new Promise<never>((_, fail) => server?.on("exit", (code) => fail(new Error(`next start exited with ${code}`))));
    exited.catch(() => undefined);
    const ready = (async () => {
      for (let i = 0; i < 600 && !(await answers(`${base}/api/health`)); i++) await new Promise((r) => setTimeout(r, 100));
      if (!(await answers(`${base}/api/health`))) throw new Error(`next start did not answer on ${base} within 60 s`);
    })();
    await Promise.race([ready, exited]);

    const urls = await episodeUrls();
    const drawer = await drawerUrl(urls.get(DRAWER_SCENARIO) ?? "");
    const shrink = await shrinker();
    mkdirSync(outDir, { recursive: true });
    const b = (browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [...CHROMIUM_LOOPBACK_ARGS],
    }));
    // Light and dark side by side: two pages at a time is what 2 shared cores take without slowing the server.
    // A screenshot that fails is reported at the end; the others are still taken.
    const failures: string[] = [];
    const shots = async (colorScheme: "light" | "dark") => {
      const ctx = await b.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme });
      const one = (url: string, file: string, drawerOpen = false) =>
        shoot(ctx, shrink, url, file, drawerOpen).catch((e: unknown) => void failures.push(`${file}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`));
      try {
        for (const name of names) await one(urls.get(name) ?? "", `${name}-${colorScheme}.png`);
        if (colorScheme === "light") await one(drawer, `${DRAWER_SCENARIO}-drawer-light.png`, true);
      } finally {
        await ctx.close();
      }
    };
    await Promise.all([shots("light"), shots("dark")]);
    if (failures.length > 0) throw new Error(`${failures.length} screenshot(s) failed:\n${failures.join("\n")}`);
    console.log(`${names.length * 2 + 1} screenshots in ${outDir} (${((Date.now() - t0) / 1000).toFixed(1)} s after the build)`);
  } finally {
    await browser?.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      const gone = new Promise((r) => server?.once("exit", r));
      server.kill("SIGTERM");
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
