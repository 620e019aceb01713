/**
 * Every simulator scenario through the real watcher into both stores (issue 4, Tests): the runtime in
 * simulated mode (store → batcher → cluster watcher over HTTP against a fresh simulated cluster, LB member
 * records into the same sink) plays one round; the runtime stops (flushing the batcher); then a
 * store-only runtime on the same store answers GET /api/timeline, which must hold exactly the risk
 * windows the scenario declares: per rule the exact count, and the declared pods / services.
 *
 * PostgreSQL runs on a throwaway server (server/store/pg-test-server.ts); it is skipped, loudly, only
 * when the binaries are not installed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS, type Scenario } from "../sim";
import type { TimelineDocument } from "../queries/timeline";
import { pgUnavailableReason, startPgTestServer, type PgTestServer } from "../store/pg-test-server";
import { countByRule, openTarget, playRound, semanticDuplicates, SIMULATED_CLUSTER, startHarness, timelineViaApi, type StoreTarget } from "./harness";

const SPEED = 100;
const CONCURRENCY = 4;
const pgUnavailable = pgUnavailableReason();
if (pgUnavailable) console.warn(`SKIPPING the PostgreSQL half of the scenario integration tests: ${pgUnavailable}`);

interface Outcome {
  readonly doc: TimelineDocument;
  readonly gaps: number;
  readonly reconnects: number;
  readonly relists: number;
  readonly duplicates: string[][];
  readonly stored: number;
  readonly wallMs: number;
  /** Store write failures and dropped batches the runtime logged. */
  readonly writeTrouble: string[];
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "ds-integ-"));
  dirs.push(d);
  return d;
}

async function runThrough(s: Scenario, target: StoreTarget, speed = SPEED): Promise<Outcome> {
  const started = Date.now();
  const logs: string[] = [];
  const h = await startHarness({ scenario: s.name, store: target, speed, log: (l) => logs.push(l) });
  let from = 0;
  let to = 0;
  let health;
  try {
    from = h.sim.now();
    await playRound(h);
    to = h.sim.now();
    health = h.runtime.clusters();
  } finally {
    await h.runtime.stop();
  }
  const store = await openTarget(target);
  let stored;
  try {
    stored = await store.query({ cluster: SIMULATED_CLUSTER });
  } finally {
    await store.close();
  }
  const doc = await timelineViaApi(target, { cluster: SIMULATED_CLUSTER, namespace: s.namespace, from: String(Math.floor(from)), to: String(Math.ceil(to)) });
  const res = health.flatMap((c) => c.resources);
  return {
    doc,
    gaps: stored.filter((e) => e.type === "watcher-gap").length,
    reconnects: res.reduce((n, r) => n + r.reconnects, 0),
    relists: res.reduce((n, r) => n + r.relists, 0),
    duplicates: semanticDuplicates(stored),
    stored: stored.length,
    wallMs: Date.now() - started,
    writeTrouble: logs.filter((l) => /write failed|dropped|final flush failed/.test(l)),
  };
}

/** Runs `jobs` with at most `n` at a time. */
async function pool<T>(jobs: readonly (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        const job = jobs[i];
        if (job) out[i] = await job();
      }
    }),
  );
  return out;
}

function checkDeclared(s: Scenario, o: Outcome, label: string): void {
  // A clean run: no disconnect, no relist, no gap observation, no fact stored twice.
  expect({ gaps: o.gaps, reconnects: o.reconnects, relists: o.relists }, `${label}: watcher health`).toEqual({ gaps: 0, reconnects: 0, relists: 0 });
  expect(o.writeTrouble, `${label}: store writes`).toEqual([]);
  expect(o.duplicates, `${label}: facts stored under two ids`).toEqual([]);
  expect(countByRule(o.doc), `${label}: windows by rule`).toEqual(s.expectedCounts);
  for (const w of s.expectedWindows) {
    const found = o.doc.riskWindows.some((x) => x.rule === w.rule && (!w.service || x.service === w.service) && (!w.podPrefix || x.pods.some((p) => p.startsWith(w.podPrefix ?? ""))));
    expect(found, `${label}: a ${w.rule} window for ${w.podPrefix ?? w.service ?? "the scenario"}`).toBe(true);
  }
  // Every window of a declared rule is about what the declaration names (not some other pod or service).
  for (const x of o.doc.riskWindows) {
    const decl = s.expectedWindows.filter((w) => w.rule === x.rule);
    const named = decl.filter((w) => w.podPrefix || w.service);
    if (named.length === 0) continue;
    const ok = named.some((w) => (!w.service || x.service === w.service) && (!w.podPrefix || x.pods.some((p) => p.startsWith(w.podPrefix ?? ""))));
    expect(ok, `${label}: ${x.rule} window ${x.id} (pods ${x.pods.join(",")}, service ${x.service ?? "-"}) matches a declaration`).toBe(true);
  }
  // Each window is reported once.
  expect(new Set(o.doc.riskWindows.map((w) => w.id)).size, `${label}: window ids`).toBe(o.doc.riskWindows.length);
}

const SMALL = SCENARIOS.filter((s) => s.name !== "large-rollout");
const LARGE = SCENARIOS.find((s) => s.name === "large-rollout");

describe("every scenario through the real watcher, into both stores, out of /api/timeline", () => {
  let server: PgTestServer | undefined;
  let admin: pg.Pool | undefined;
  let dbCounter = 0;
  const results = new Map<string, Outcome | Error>();

  async function pgTarget(): Promise<StoreTarget> {
    if (!server || !admin) throw new Error("the test PostgreSQL did not start");
    const name = `integ_${process.pid}_${++dbCounter}`;
    await admin.query(`CREATE DATABASE ${name}`);
    return { kind: "postgres", dataDir: tempDir(), databaseUrl: server.url(name) };
  }

  beforeAll(async () => {
    if (!pgUnavailable) {
      server = await startPgTestServer();
      admin = new pg.Pool({ connectionString: server.url("postgres"), max: 2 });
    }
    const jobs: (() => Promise<void>)[] = [];
    for (const s of SMALL) {
      jobs.push(async () => {
        results.set(`sqlite ${s.name}`, await runThrough(s, { kind: "sqlite", dataDir: tempDir() }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
      });
      if (!pgUnavailable) {
        jobs.push(async () => {
          results.set(`postgres ${s.name}`, await pgTarget().then((t) => runThrough(s, t)).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
        });
      }
    }
    const t0 = Date.now();
    await pool(jobs, CONCURRENCY);
    console.log(`scenario integration: ${jobs.length} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 150_000);

  afterAll(async () => {
    await admin?.end();
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 30_000);

  for (const kind of ["sqlite", "postgres"] as const) {
    describe.skipIf(kind === "postgres" && pgUnavailable !== undefined)(kind, () => {
      for (const s of SMALL) {
        it(`${s.name}: ${Object.entries(s.expectedCounts).map(([r, n]) => `${r} ×${n}`).join(", ") || "no windows"}`, () => {
          const o = results.get(`${kind} ${s.name}`);
          if (!o) throw new Error("the run did not happen");
          if (o instanceof Error) throw o;
          checkDeclared(s, o, `${kind} ${s.name}`);
        });
      }
    });
  }

  if (LARGE) {
    it(
      "large-rollout (1,000 pods) through the watcher into SQLite: exactly the declared windows",
      async () => {
        const o = await runThrough(LARGE, { kind: "sqlite", dataDir: tempDir() }, 200);
        console.log(`large-rollout (sqlite): ${o.stored} events stored, ${(o.wallMs / 1000).toFixed(1)} s`);
        checkDeclared(LARGE, o, "sqlite large-rollout");
      },
      90_000,
    );
    it.skipIf(pgUnavailable !== undefined)(
      "large-rollout (1,000 pods) through the watcher into PostgreSQL: exactly the declared windows",
      async () => {
        const o = await runThrough(LARGE, await pgTarget(), 200);
        console.log(`large-rollout (postgres): ${o.stored} events stored, ${(o.wallMs / 1000).toFixed(1)} s`);
        checkDeclared(LARGE, o, "postgres large-rollout");
      },
      90_000,
    );
  }
});
