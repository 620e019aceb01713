/**
 * Reliability (design §7, issue 4 Tests): the real runtime watching the simulated cluster while it plays
 * gateway-sync-lag (3 × sigterm-before-deregistration, 3 × dead-but-routed), with the simulator's faults
 * injected at the first pod deletion — inside the windows. For each fault the watcher must come back
 * (every resource connected, reconnects / relists counted exactly), store the disconnect as watcher-gap
 * observations, mark exactly the windows overlapping a gap `possible` (and add one `unobserved` window
 * per gap), keep every event committed before the fault unchanged, and store no fact twice. The only
 * window beyond the declared ones a fault may add is a `possible` slow-endpoint-removal inside a gap:
 * an endpoint change made while the stream was down is stamped when the watcher gets it back.
 *
 * Also: a quiet relist adds nothing but its gap observations; restarting the runtime mid-scenario on the
 * same data dir loses nothing; and a process ingesting from the simulator, killed with SIGKILL, leaves a
 * store that opens and holds every observation it reported committed.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import type { TimelineDocument } from "../queries/timeline";
import { findScenario, startSimulatedCluster, type SimulatedCluster } from "../sim";
import { SQLITE_FILE } from "../store/open-store";
import type { LoopTuning } from "../watcher/list-watch";
import { allConnected, countByRule, openTarget, semanticDuplicates, SIMULATED_CLUSTER, startHarness, timelineViaApi, waitFor, waitQuiet, type Harness, type StoreTarget } from "./harness";

const SCENARIO = "gateway-sync-lag";
const scenario = findScenario(SCENARIO);
if (!scenario) throw new Error(`scenario ${SCENARIO} is gone`);
const NS = scenario.namespace;
const SPEED = 40;
/** Six resources, one list-watch loop each (cluster-wide). */
const LOOPS = 6;
const TUNING: Partial<LoopTuning> = { backoffInitialMs: 20, backoffMaxMs: 200, stallMs: 1500 };
/** Bookmarks every virtual second (25 ms wall at 40×) keep healthy streams far from the 1.5 s stall watchdog. */
const BOOKMARK_MS = 1000;

const dirs: string[] = [];
function sqliteTarget(): StoreTarget {
  const d = mkdtempSync(join(tmpdir(), "ds-faults-"));
  dirs.push(d);
  return { kind: "sqlite", dataDir: d };
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const sums = (h: Harness) => {
  const rs = h.runtime.clusters().flatMap((c) => c.resources);
  return { reconnects: rs.reduce((n, r) => n + r.reconnects, 0), relists: rs.reduce((n, r) => n + r.relists, 0), gaps: rs.reduce((n, r) => n + r.gaps, 0) };
};

/** Until one of the scenario's pods has a deletion timestamp: the rollout's first delete (windows start now). */
function firstDelete(sim: SimulatedCluster): Promise<void> {
  return sim.cluster.waitUntil(() => sim.cluster.pods(NS).some((p) => Boolean(p.metadata.deletionTimestamp)), { timeoutMs: 120_000, what: "the first pod deletion", pollMs: 20 });
}

/** Until the rollout's surge pod exists: a couple of virtual seconds before the first delete. */
function rolloutStart(sim: SimulatedCluster): Promise<void> {
  return sim.cluster.waitUntil(() => sim.cluster.pods(NS).length > 3, { timeoutMs: 120_000, what: "the rollout's surge pod", pollMs: 20 });
}

interface FaultRun {
  readonly before: LifecycleEvent[];
  readonly after: LifecycleEvent[];
  readonly doc: TimelineDocument;
  readonly health: { reconnects: number; relists: number; gaps: number };
  readonly lastErrors: string[];
  readonly connectedAtEnd: boolean;
  readonly affected: number | undefined;
  readonly logs: string[];
}

async function runWithFault(
  inject: (sim: SimulatedCluster) => Promise<number | undefined> | number | undefined,
  /** What the watcher's health shows once it has dealt with the fault. */
  settled: (s: { reconnects: number; relists: number }) => boolean,
  trigger: (sim: SimulatedCluster) => Promise<void> = firstDelete,
): Promise<FaultRun> {
  const target = sqliteTarget();
  const logs: string[] = [];
  const h = await startHarness({ scenario: SCENARIO, store: target, speed: SPEED, tuning: TUNING, bookmarkIntervalMs: BOOKMARK_MS, log: (l) => logs.push(l) });
  let before: LifecycleEvent[];
  let affected: number | undefined;
  let from = 0;
  let to = 0;
  let health;
  let lastErrors: string[];
  let connectedAtEnd = false;
  try {
    from = h.sim.now();
    const play = h.sim.runScenario(SCENARIO);
    await trigger(h.sim);
    expect(sums(h), "no trouble before the fault").toEqual({ reconnects: 0, relists: 0, gaps: 0 });
    // What is committed now was acknowledged before the fault: it must all survive, unchanged.
    before = await h.runtime.store.query({ cluster: SIMULATED_CLUSTER });
    affected = await inject(h.sim);
    await play;
    await waitFor(() => settled(sums(h)) && allConnected(h.runtime), 15_000, "the watcher to deal with the fault and reconnect");
    await h.sim.clock.sleep(2000);
    await waitQuiet(h);
    connectedAtEnd = allConnected(h.runtime);
    health = sums(h);
    lastErrors = h.runtime.clusters().flatMap((c) => c.resources.map((r) => r.lastError ?? ""));
    to = h.sim.now();
  } finally {
    await h.runtime.stop();
  }
  const store = await openTarget(target);
  const after = await store.query({ cluster: SIMULATED_CLUSTER }).finally(() => store.close());
  const doc = await timelineViaApi(target, { cluster: SIMULATED_CLUSTER, namespace: NS, from: String(Math.floor(from)), to: String(Math.ceil(to)) });
  return { before, after, doc, health, lastErrors, connectedAtEnd, affected, logs };
}

const iso = (s: string | null) => (s === null ? Infinity : Date.parse(s));

/**
 * What every fault must leave: the watcher back, `gaps` gap observations stored, nothing committed before
 * the fault lost or changed, no fact twice, and windows = the declared ones plus one `unobserved` per gap,
 * `possible` exactly where they overlap a gap.
 */
function checkRecovered(
  r: FaultRun,
  expected: {
    reconnects: number | "≥6";
    relists: number;
    gaps: number;
    reason: RegExp;
    /** Windows beyond the declared ones that the fault is known to cause; each must overlap a gap and be `possible`. */
    extra?: Record<string, number>;
  },
): void {
  // A resource whose resume met a 410 has two gaps: [last in sync, watch reopened] and [the 410, relisted];
  // they must join up, so together they cover the whole time it was out of sync.
  const byResource = new Map<string, { from: number; to: number }[]>();
  for (const g of r.after) if (g.type === "watcher-gap") byResource.set(g.resource, [...(byResource.get(g.resource) ?? []), { from: g.from, to: g.to ?? Infinity }]);
  for (const [resource, gs] of byResource) {
    gs.sort((a, b) => a.from - b.from);
    for (let i = 1; i < gs.length; i++) expect(gs[i]?.from, `${resource}: gap ${i} starts where gap ${i - 1} ends`).toBe(gs[i - 1]?.to);
  }
  expect(r.connectedAtEnd, "every resource connected again").toBe(true);
  if (expected.reconnects === "≥6") expect(r.health.reconnects).toBeGreaterThanOrEqual(6);
  else expect(r.health.reconnects, "reconnects").toBe(expected.reconnects);
  expect(r.health.relists, "relists").toBe(expected.relists);
  expect(r.health.gaps, "gaps counted in health").toBe(expected.gaps);

  const gapEvents = r.after.filter((e) => e.type === "watcher-gap");
  expect(gapEvents, "gap observations stored").toHaveLength(expected.gaps);
  expect(new Set(gapEvents.map((g) => (g.type === "watcher-gap" ? g.resource : ""))).size, "one gap per resource").toBe(LOOPS);
  for (const g of gapEvents) {
    if (g.type !== "watcher-gap") continue;
    expect(g.to, `gap ${g.id} closed`).toBeDefined();
    expect(g.to ?? 0).toBeGreaterThanOrEqual(g.from);
  }
  expect(gapEvents.some((g) => g.type === "watcher-gap" && expected.reason.test(g.reason)), `a gap says why (${expected.reason}): ${gapEvents.map((g) => (g.type === "watcher-gap" ? g.reason : "")).join(" | ")}`).toBe(true);

  // Nothing acknowledged is lost, nothing is rewritten.
  expect(r.before.length).toBeGreaterThan(50);
  const afterById = new Map(r.after.map((e) => [e.id, e]));
  const missing = r.before.filter((e) => !afterById.has(e.id)).map((e) => e.id);
  expect(missing, "events committed before the fault and gone after").toEqual([]);
  for (const e of r.before) expect(afterById.get(e.id), e.id).toEqual(e);
  expect(semanticDuplicates(r.after), "facts stored twice under different ids").toEqual([]);
  expect(r.logs.filter((l) => /write failed|dropped/.test(l)), "store writes").toEqual([]);

  // Windows: the declared ones, plus one `unobserved` per gap; `possible` exactly where a gap overlaps.
  // Changes that happen while a stream is down arrive when it is back and are stamped then, so an
  // endpoint removal can look late: a slow-endpoint-removal window, inside the gap and only `possible`.
  // How many depends on how long recovery took on this machine; the stall test pins it exactly.
  const counts = countByRule(r.doc);
  const lateRemovals = counts["slow-endpoint-removal"] ?? 0;
  const table = r.doc.riskWindows.map((w) => `${w.rule} ${w.confidence} [${w.start}, ${w.end ?? "open"}] ${w.pods.join(",")}`).join("\n");
  const tolerated = expected.extra === undefined && lateRemovals <= 3 ? { "slow-endpoint-removal": lateRemovals } : {};
  const want = Object.fromEntries(Object.entries({ ...scenario?.expectedCounts, ...expected.extra, ...tolerated, unobserved: expected.gaps }).filter(([, n]) => n > 0));
  expect(counts, `windows by rule; gaps ${JSON.stringify(r.doc.gaps.map((g) => [g.resource, g.start, g.end]))}\n${table}`).toEqual(want);
  expect(r.doc.gaps).toHaveLength(expected.gaps);
  let overlapping = 0;
  for (const w of r.doc.riskWindows) {
    if (w.rule === "unobserved") {
      expect(w.confidence).toBe("certain");
      continue;
    }
    const start = iso(w.start);
    const end = iso(w.end);
    // ISO times are whole ms: leave a 1 ms margin either side.
    const clearlyIn = r.doc.gaps.some((g) => g.start < end - 1 && start + 1 < (g.end ?? Infinity));
    const clearlyOut = r.doc.gaps.every((g) => g.start > end + 1 || (g.end ?? Infinity) < start - 1);
    if (expected.extra?.[w.rule] !== undefined || (w.rule === "slow-endpoint-removal" && tolerated["slow-endpoint-removal"])) expect(clearlyIn && w.confidence === "possible", `${w.rule} ${w.pods.join(",")}: caused by the fault, so inside a gap and possible`).toBe(true);
    if (clearlyIn) {
      overlapping++;
      expect(w.confidence, `${w.rule} ${w.pods.join(",")} [${w.start}, ${w.end}] overlaps a gap`).toBe("possible");
      expect(w.explanation).toContain("not connected");
    } else if (clearlyOut) {
      expect(w.confidence, `${w.rule} ${w.pods.join(",")} [${w.start}, ${w.end}] is clear of every gap`).toBe("certain");
    }
  }
  expect(overlapping, "the fault landed inside some window").toBeGreaterThan(0);
}

describe(`faults from the simulator's hooks during ${SCENARIO}`, () => {
  it("dropped connections: every watch resumes from its version (no relist), one gap per resource", async () => {
    const r = await runWithFault((sim) => sim.faults.dropWatches(), (s) => s.reconnects >= LOOPS);
    expect(r.affected).toBeGreaterThanOrEqual(LOOPS);
    checkRecovered(r, { reconnects: LOOPS, relists: 0, gaps: LOOPS, reason: /./ });
  }, 40_000);

  it("410 on resume: the expired resource relists, the others resume", async () => {
    const r = await runWithFault((sim) => {
      sim.faults.expireNext(1);
      return sim.faults.dropWatches();
    }, (s) => s.reconnects >= LOOPS && s.relists >= 1);
    checkRecovered(r, { reconnects: LOOPS, relists: 1, gaps: LOOPS + 1, reason: /410/ });
    expect(r.lastErrors.some((e) => /410/.test(e)), r.lastErrors.join(" | ")).toBe(true);
  }, 40_000);

  it("500 ×3 on the way back: backoff and retry, each failure counted", async () => {
    const r = await runWithFault((sim) => {
      sim.faults.failNext(3, 500);
      return sim.faults.dropWatches();
    }, (s) => s.reconnects >= LOOPS + 3);
    checkRecovered(r, { reconnects: LOOPS + 3, relists: 0, gaps: LOOPS, reason: /./ });
    expect(r.lastErrors.filter((e) => /\b500\b/.test(e)).length, r.lastErrors.join(" | ")).toBeGreaterThanOrEqual(1);
  }, 40_000);

  it("a malformed line: every stream fails, relists and infers nothing wrongly", async () => {
    const r = await runWithFault((sim) => sim.faults.writeMalformedLine(), (s) => s.relists >= LOOPS);
    expect(r.affected).toBeGreaterThanOrEqual(LOOPS);
    checkRecovered(r, { reconnects: LOOPS, relists: LOOPS, gaps: LOOPS, reason: /malformed/ });
  }, 40_000);

  it("a stalled stream: the watchdog gives up on it and resumes", async () => {
    // Stalled from the rollout's start, so all three deletes and endpoint removals happen during the stall.
    const r = await runWithFault((sim) => sim.faults.stallWatches(), (s) => s.reconnects >= LOOPS, rolloutStart);
    expect(r.affected).toBeGreaterThanOrEqual(LOOPS);
    // The stall lasts 1.5 s of wall time, a minute of virtual time: the changes made meanwhile arrive in
    // the resumed watch, stamped when received. The endpoints' removals then look many seconds late, so each
    // old pod gets a slow-endpoint-removal window — inside the gap, hence only `possible`.
    checkRecovered(r, { reconnects: LOOPS, relists: 0, gaps: LOOPS, reason: /stalled/, extra: { "slow-endpoint-removal": 3 } });
  }, 40_000);

  it("an API server restart that loses history: 410 on resume, relist of every resource", async () => {
    const r = await runWithFault(async (sim) => {
      await sim.faults.restart({ downtimeMs: 500, rvJump: 1000 });
      return undefined;
    }, (s) => s.relists >= LOOPS);
    checkRecovered(r, { reconnects: "≥6", relists: LOOPS, gaps: 2 * LOOPS, reason: /410/ });
  }, 40_000);

  it("a relist of unchanged state adds nothing but its gap observations (ids are deterministic)", async () => {
    const target = sqliteTarget();
    const h = await startHarness({ scenario: SCENARIO, store: target, speed: 100, tuning: TUNING, bookmarkIntervalMs: BOOKMARK_MS });
    try {
      await h.sim.runScenario(SCENARIO);
      await h.sim.clock.sleep(2000);
      await waitQuiet(h);
      await new Promise((r) => setTimeout(r, 300)); // the batcher commits within 100 ms
      const before = await h.runtime.store.query({ cluster: SIMULATED_CLUSTER });
      expect(before.filter((e) => e.type === "watcher-gap")).toEqual([]);
      expect(h.sim.faults.writeMalformedLine()).toBeGreaterThanOrEqual(LOOPS);
      await waitFor(() => sums(h).relists === LOOPS && allConnected(h.runtime), 15_000, "every resource to relist");
      await waitQuiet(h);
      await new Promise((r) => setTimeout(r, 300));
      const after = await h.runtime.store.query({ cluster: SIMULATED_CLUSTER });
      const beforeIds = new Set(before.map((e) => e.id));
      const added = after.filter((e) => !beforeIds.has(e.id));
      expect(added.map((e) => e.type)).toEqual(Array(LOOPS).fill("watcher-gap"));
      expect(after.length).toBe(before.length + LOOPS);
    } finally {
      await h.runtime.stop();
    }
  }, 40_000);
});

describe("restarts and crashes", () => {
  it("restarting the runtime mid-scenario on the same data dir loses no history", async () => {
    const target = sqliteTarget();
    const sim = await startSimulatedCluster({ scenario: SCENARIO, speed: 20, startMs: Date.now() - 2 * 3600_000, bookmarkIntervalMs: BOOKMARK_MS });
    try {
      const logs: string[] = [];
      const first = await startHarness({ scenario: SCENARIO, store: target, speed: 20, sim, tuning: TUNING, log: (l) => logs.push(l) });
      const from = sim.now();
      const play = sim.runScenario(SCENARIO);
      await firstDelete(sim);
      await first.runtime.stop(); // flushes
      const s1 = await openTarget(target);
      const before = await s1.query({ cluster: SIMULATED_CLUSTER }).finally(() => s1.close());
      expect(before.length).toBeGreaterThan(50);

      const second = await startHarness({ scenario: SCENARIO, store: target, speed: 20, sim, tuning: TUNING, log: (l) => logs.push(l) });
      try {
        await play;
        await sim.clock.sleep(2000);
        await waitQuiet(second);
      } finally {
        await second.runtime.stop();
      }
      const to = sim.now();
      const s2 = await openTarget(target);
      const after = await s2.query({ cluster: SIMULATED_CLUSTER }).finally(() => s2.close());
      const afterById = new Map(after.map((e) => [e.id, e]));
      expect(before.filter((e) => !afterById.has(e.id)).map((e) => e.id), "lost across the restart").toEqual([]);
      for (const e of before) expect(afterById.get(e.id), e.id).toEqual(e);
      // The second watcher re-lists everything and the member feed replays from its start: no fact twice.
      expect(semanticDuplicates(after)).toEqual([]);
      expect(after.length).toBeGreaterThan(before.length);
      expect(logs.filter((l) => /write failed|dropped/.test(l))).toEqual([]);
      const doc = await timelineViaApi(target, { cluster: SIMULATED_CLUSTER, namespace: NS, from: String(Math.floor(from)), to: String(Math.ceil(to)) });
      expect(countByRule(doc)).toEqual(scenario.expectedCounts);
    } finally {
      await sim.stop();
    }
  }, 60_000);

  it("kill -9 of a process ingesting from the simulator leaves a store that opens and holds every committed observation", async () => {
    const target = sqliteTarget();
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./kill9-ingest.ts", import.meta.url)), target.dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    const committed = new Set<string>();
    let commits = 0;
    let stderr = "";
    let buffered = "";
    const exited = new Promise<NodeJS.Signals | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (_code, signal) => resolve(signal));
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.startsWith("committed ")) continue;
        commits++;
        for (const id of JSON.parse(line.slice("committed ".length)) as string[]) committed.add(id);
      }
      // Kill it mid-scenario, once it has committed a good number of batches (it keeps ingesting).
      if (commits >= 25 && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 40_000);
    const signal = await exited.finally(() => clearTimeout(killer));
    expect(signal, `the ingester was killed, not finished (stderr: ${stderr.slice(-500)})`).toBe("SIGKILL");
    expect(commits, stderr.slice(-500)).toBeGreaterThanOrEqual(25);

    const store = await openTarget(target);
    const stored = await store.query({ cluster: "kill9" }).finally(() => store.close());
    const have = new Set(stored.map((e) => e.id));
    const lost = [...committed].filter((id) => !have.has(id));
    expect(lost, "committed observations missing after kill -9").toEqual([]);
    expect(committed.size).toBeGreaterThan(100);
    const db = new Database(join(target.dataDir, SQLITE_FILE), { readonly: true });
    try {
      expect(db.prepare("PRAGMA integrity_check").pluck().get()).toBe("ok");
    } finally {
      db.close();
    }
  }, 60_000);
});
