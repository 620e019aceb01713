// Outages while they last, and across a restart or a crash (issue 13): the real runtime watching a stand-in
// API server on 127.0.0.1 (refusing-api.ts). Each test asserts exact gaps, states and counts.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { loadConfig } from "../config";
import { getHealth, getTimelineHandler } from "../http/handlers";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { openStore } from "../store/open-store";
import type { Store, SyncMark } from "../store/types";
import { NOT_WATCHING_REASON } from "../watcher/cluster-watcher";
import type { LoopTuning } from "../watcher/list-watch";
import { EventLog, T0 } from "../../lib/testing/event-builder";
import { waitFor } from "./harness";
import { startRefusingApi, type RefusingApi } from "./refusing-api";

const FAST: Partial<LoopTuning> = { backoffInitialMs: 20, backoffMaxMs: 200 };
const ALL = ["deployments", "endpointslices", "events", "pods", "replicasets", "services"];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  installRuntime(undefined);
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function api(): Promise<RefusingApi> {
  const a = await startRefusingApi();
  cleanup.push(() => a.close());
  return a;
}

function setup(a: RefusingApi): { env: Record<string, string>; dataDir: string; kubeconfig: string } {
  const dataDir = mkdtempSync(join(tmpdir(), "ds-outages-"));
  const kubeconfig = join(mkdtempSync(join(tmpdir(), "ds-kc-")), "config");
  writeFileSync(kubeconfig, a.kubeconfig("prod"), { mode: 0o600 });
  return { env: { KUBECONFIG: kubeconfig, DRAINSCOPE_DATA_DIR: dataDir }, dataDir, kubeconfig };
}

async function start(env: Record<string, string>, tuning: Partial<LoopTuning> = FAST): Promise<Runtime> {
  const rt = await startRuntime(loadConfig(env), { env, log: () => undefined, effects: systemEffects, tuning });
  let stopped = false;
  cleanup.push(async () => {
    if (!stopped) await rt.stop();
  });
  const stop = rt.stop.bind(rt);
  (rt as { stop: () => Promise<void> }).stop = async () => {
    stopped = true;
    await stop();
  };
  installRuntime(Promise.resolve(rt));
  return rt;
}

const connected = (rt: Runtime) => () => rt.clusters().flatMap((c) => c.resources).every((r) => r.connected) && rt.clusters()[0]!.resources.length === ALL.length;

interface ApiGap {
  resource: string;
  start: number;
  end?: number;
  reason: string;
}

async function timelineGaps(query: Record<string, string>): Promise<ApiGap[]> {
  const r = await getTimelineHandler(new Request(`http://127.0.0.1/api/timeline?${new URLSearchParams(query).toString()}`));
  expect(r.status).toBe(200);
  return ((await r.json()) as { gaps: ApiGap[] }).gaps.sort((a, b) => a.resource.localeCompare(b.resource));
}

async function health(): Promise<{ status: string; clusters: { resources: { resource: string; connected: boolean; openGapSince: string | null; failure: { kind: string; verb: string } | null }[] }[] }> {
  return (await (await getHealth(new Request("http://127.0.0.1/api/health"))).json()) as never;
}

async function storedGaps(store: Store): Promise<WatcherGap[]> {
  return (await store.query({ cluster: "prod" })).filter((e): e is WatcherGap => e.type === "watcher-gap").sort((a, b) => a.resource.localeCompare(b.resource));
}

/** Polls (bounded) until `n` gaps are stored: the batcher writes them just after the watcher closes them. */
async function waitStoredGaps(store: Store, n: number): Promise<WatcherGap[]> {
  let gaps: WatcherGap[] = [];
  for (let i = 0; i < 200 && gaps.length < n; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 25));
    gaps = await storedGaps(store);
  }
  return gaps;
}

async function waitMarks(store: Store, n: number): Promise<SyncMark[]> {
  let marks: SyncMark[] = [];
  for (let i = 0; i < 200 && marks.length < n; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 25));
    marks = await store.loadSync();
  }
  return marks;
}

describe("an ongoing 403 on one resource", () => {
  it("shows as one open gap while it lasts: degraded health, the resource failing, the others watching, nothing stored yet", async () => {
    const a = await api();
    const { env } = setup(a);
    const rt = await start(env);
    await waitFor(connected(rt), 10_000, "every resource to watch");
    const before = Date.now();
    // RBAC revoked mid-run: the endpointslices stream is cut and every retry is refused.
    a.forbidden.add("endpointslices");
    expect(a.dropWatches("endpointslices")).toBe(1);
    const slices = () => rt.clusters()[0]!.resources.find((r) => r.resource === "endpointslices");
    // The cut stream fails first ("Premature close"); the retries are then refused with 403.
    await waitFor(() => rt.openGaps().length === 1 && slices()?.failure?.kind === "forbidden" && rt.clusters()[0]!.resources.filter((r) => r.connected).length === ALL.length - 1, 10_000, "endpointslices alone to be refused");

    const gaps = await timelineGaps({ cluster: "prod", from: String(before - 60_000), to: String(Date.now()) });
    expect(gaps.map((g) => [g.resource, g.end])).toEqual([["endpointslices", undefined]]);
    expect(gaps[0]!.start).toBeLessThanOrEqual(before);
    // The gap keeps its first cause (the cut stream); the health says what fails now.
    expect(gaps[0]!.reason).toBe("Premature close");
    const h = await health();
    expect(h.status).toBe("degraded");
    expect(h.clusters[0]!.resources.filter((r) => r.failure).map((r) => [r.resource, r.failure?.kind, r.connected, r.openGapSince !== null])).toEqual([["endpointslices", "forbidden", false, true]]);
    expect(await storedGaps(rt.store)).toEqual([]);

    // Stopped during the outage: the gap is stored, closed at the stop, exactly once.
    await rt.stop();
    const store = await reopen(env);
    const stored = await storedGaps(store);
    expect(stored.map((g) => [g.resource, g.from <= before, g.reason.endsWith("(watcher stopped)")])).toEqual([["endpointslices", true, true]]);
    await store.close();
  });
});

async function reopen(env: Record<string, string>): Promise<Store> {
  const opened = await openStore({ dataDir: env.DRAINSCOPE_DATA_DIR! });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.store;
}

describe("watches dropped for longer than the query", () => {
  it("a query inside the outage shows every resource's gap open; recovery stores exactly one closed gap per resource", async () => {
    const a = await api();
    const { env } = setup(a);
    const rt = await start(env);
    await waitFor(connected(rt), 10_000, "every resource to watch");
    const dropped = Date.now();
    a.down = true;
    expect(a.dropWatches()).toBe(ALL.length);
    await waitFor(() => rt.openGaps().length === ALL.length && rt.clusters()[0]!.resources.every((r) => r.failure?.kind === "unreachable"), 10_000, "every resource to be refused");
    await new Promise((r) => setTimeout(r, 150));
    // The query's whole range lies inside the outage.
    const from = dropped + 50;
    const to = Date.now();
    const gaps = await timelineGaps({ cluster: "prod", from: String(from), to: String(to) });
    expect(gaps.map((g) => g.resource)).toEqual(ALL);
    expect(gaps.every((g) => g.end === undefined && g.start <= dropped)).toBe(true);
    expect((await health()).status).toBe("degraded");

    a.down = false;
    await waitFor(connected(rt), 10_000, "every resource to recover");
    const recovered = Date.now();
    expect(rt.openGaps()).toEqual([]);
    const stored = await waitStoredGaps(rt.store, ALL.length);
    expect(stored.map((g) => g.resource)).toEqual(ALL);
    expect(stored.every((g) => g.from <= dropped && g.to !== undefined && g.to >= to && g.to <= recovered)).toBe(true);
    expect(rt.clusters()[0]!.resources.map((r) => r.gaps)).toEqual(ALL.map(() => 1));
  });
});

describe("a dashboard restart", () => {
  it("a clean restart records its downtime: one gap per resource from the stop to the moment it is in sync again", async () => {
    const a = await api();
    const { env } = setup(a);
    const first = await start(env);
    await waitFor(connected(first), 10_000, "every resource to watch");
    await first.stop();
    const store = await reopen(env);
    const marks = await store.loadSync();
    await store.close();
    expect(marks.map((m) => [m.cluster, m.resource, m.namespace])).toEqual(ALL.map((r) => ["prod", r, ""]));
    const stoppedAt = Math.max(...marks.map((m) => m.inSyncAt));
    await new Promise((r) => setTimeout(r, 300)); // the dashboard is down

    const second = await start(env);
    // Until in sync, the downtime is an open gap.
    const byResource = (a: { resource: string }, b: { resource: string }) => a.resource.localeCompare(b.resource);
    expect([...second.openGaps()].sort(byResource).map((g) => [g.resource, g.from, g.reason])).toEqual(marks.map((m) => [m.resource, m.inSyncAt, NOT_WATCHING_REASON]));
    await waitFor(connected(second), 10_000, "every resource to watch again");
    const gaps = await waitStoredGaps(second.store, ALL.length);
    expect(gaps.map((g) => [g.resource, g.from, g.reason])).toEqual(marks.map((m) => [m.resource, m.inSyncAt, NOT_WATCHING_REASON]));
    expect(gaps.every((g) => g.to !== undefined && g.to - stoppedAt >= 300)).toBe(true);
  });

  it("kill -9 mid-outage, then a restart: the outage and the downtime are one gap per resource, from the last stored in-sync time", async () => {
    const a = await api();
    const { env, dataDir, kubeconfig } = setup(a);
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./kill9-dashboard.ts", import.meta.url)), dataDir, kubeconfig], { stdio: ["ignore", "pipe", "pipe"] });
    const killer = setTimeout(() => child.kill("SIGKILL"), 40_000);
    cleanup.push(async () => {
      clearTimeout(killer);
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    let out = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_c, s) => resolve(s)));
    await waitFor(() => out.includes("in-sync\n"), 30_000, `the child dashboard to be in sync (stderr: ${stderr.slice(-300)})`);
    const watching = await reopen(env);
    const marks = await waitMarks(watching, ALL.length);
    await watching.close();
    expect(marks.map((m) => m.resource)).toEqual(ALL);

    a.forbidden.add("endpointslices");
    expect(a.dropWatches("endpointslices")).toBe(1);
    await waitFor(() => out.includes("outage endpointslices\n"), 10_000, "the outage to start in the child");
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const killedAt = Date.now();

    // Nothing was stored for the outage: the crash gave the process no chance.
    const afterCrash = await reopen(env);
    expect(await storedGaps(afterCrash)).toEqual([]);
    await afterCrash.close();

    a.forbidden.delete("endpointslices");
    const rt = await start(env);
    await waitFor(connected(rt), 10_000, "every resource to watch again");
    const gaps = await waitStoredGaps(rt.store, ALL.length);
    expect(gaps.map((g) => [g.resource, g.from, g.reason])).toEqual(marks.map((m) => [m.resource, m.inSyncAt, NOT_WATCHING_REASON]));
    expect(gaps.every((g) => g.to !== undefined && g.to >= killedAt)).toBe(true);
    expect(rt.clusters()[0]!.resources.map((r) => r.gaps)).toEqual(ALL.map(() => 1));
  });
});

describe("a pod deleted while the dashboard was down", () => {
  it("is recorded as removed, time-ranged over the gap, once the restarted watcher lists the pods", async () => {
    const a = await api(); // lists no pods at all: the stored pod is gone
    const { env } = setup(a);
    const seed = await reopen(env);
    const log = new EventLog("prod");
    log.pod("web-1", { namespace: "shop" });
    log.pod("web-2", { namespace: "shop" }).delete(30).removed(40);
    await seed.append(log.events);
    const markAt = T0 + 60_000;
    await seed.saveSync(ALL.map((resource) => ({ cluster: "prod", resource, namespace: "", inSyncAt: markAt })));
    await seed.close();

    const rt = await start(env);
    await waitFor(connected(rt), 10_000, "every resource to watch");
    let removed: LifecycleEvent[] = [];
    for (let i = 0; i < 200 && removed.length === 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 25));
      removed = (await rt.store.query({ cluster: "prod", namespace: "shop" })).filter((e) => e.type === "pod-removed");
    }
    // web-2 was already removed (by the watch); only web-1 vanished unseen, somewhere in the gap.
    const byPod = removed.map((e) => (e.type === "pod-removed" ? [e.podUid, e.via, e.id] : [])).sort();
    expect(byPod).toEqual([
      ["uid-web-1", "relist", "removed:uid-web-1"],
      ["uid-web-2", "watch", expect.stringMatching(/^pod-removed:uid-web-2:/)],
    ]);
    const web1 = removed.find((e) => e.id === "removed:uid-web-1")!;
    expect(web1.range[0]).toBe(markAt);
    expect(web1.range[1]).toBeGreaterThan(markAt);
    expect(web1.precision).toBe("inferred");
  });
});

describe("watches that return 200 and close at once", () => {
  it("back off (bounded request rate), then open a gap per resource and report the failure; recover when watches last again", async () => {
    const a = await api();
    const { env } = setup(a);
    a.emptyWatches = true;
    const rt = await start(env, { backoffInitialMs: 50, backoffMaxMs: 400, minWatchMs: 1000, emptyWatchLimit: 3 });
    await waitFor(() => rt.openGaps().length === ALL.length, 10_000, "every resource's third empty watch");
    const t0 = Date.now();
    const n0 = a.requests.filter((r) => r.startsWith("watch")).length;
    await new Promise((r) => setTimeout(r, 1000));
    const perResource = (a.requests.filter((r) => r.startsWith("watch")).length - n0) / ALL.length;
    const elapsed = Date.now() - t0;
    // Backoff is at least half of min(50·2^n, 400) ms ≥ 100 ms by now: at most elapsed/100 + 1 watches
    // per resource in this second (a hot loop made thousands).
    expect(perResource).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    expect(a.requests.filter((r) => r.startsWith("list"))).toHaveLength(ALL.length);
    const rs = rt.clusters()[0]!.resources;
    expect(rs.every((r) => !r.connected && r.openGap !== undefined && r.failure?.summary.startsWith("watch of ") === true)).toBe(true);
    expect(rs.map((r) => r.failure?.summary)).toContain("watch of pods ends at once without events");
    expect(rs.every((r) => r.failure?.kind === "empty-watch")).toBe(true);
    // Reported only after 3 in a row, so it does not fix itself: unhealthy at once, not after the stale delay.
    expect((await health()).status).toBe("degraded");
    expect(await storedGaps(rt.store)).toEqual([]);

    a.emptyWatches = false;
    await waitFor(() => a.bookmarkWatches() === ALL.length, 10_000, "watches that stay open");
    // Opening proved nothing after empty ones; the bookmark does: in sync, each gap stored once.
    await waitFor(connected(rt), 10_000, "every resource in sync again");
    expect(rt.openGaps()).toEqual([]);
    const stored = await waitStoredGaps(rt.store, ALL.length);
    expect(stored.map((g) => [g.resource, g.reason.endsWith("3 in a row")])).toEqual(ALL.map((r) => [r, true]));
  });
});
