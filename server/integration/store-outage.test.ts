// A store that cannot write (issue 13): health says `degraded` with the cause, ingest answers 503 with
// Retry-After at once instead of hanging, reads that fail say why (503), and all of it recovers by itself.
// SQLite: a full disk cannot be made here without root (a tmpfs mount), so an injected store wrapper makes
// writes (and, for the read case, queries) fail with SQLite's own "database or disk is full" error.
// PostgreSQL: a real server, killed (immediate shutdown) and started again.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { deleteClusterHandler, getHealth, getTimelineHandler, postSignalIngest } from "../http/handlers";
import { postImport } from "../http/transfer";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { pgUnavailableReason, startPgTestServer } from "../store/pg-test-server";
import type { Store } from "../store/types";

const TOKEN = "ingest-token-for-tests";
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  installRuntime(undefined);
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

let podSeq = 0;
function signal(): Request {
  podSeq++;
  const body = { cluster: "prod", namespace: "web", pod: `web-${podSeq}`, podUid: `0000-${String(podSeq).padStart(4, "0")}`, signal: "prestop-start" };
  return new Request("http://127.0.0.1/api/ingest/signal", { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function start(env: Record<string, string>, wrapStore?: (s: Store) => Store): Promise<Runtime> {
  const full = { ...env, DRAINSCOPE_WATCH: "off", DRAINSCOPE_INGEST_TOKEN: TOKEN };
  const rt = await startRuntime(loadConfig(full), { env: full, log: () => undefined, effects: systemEffects, ...(wrapStore ? { wrapStore } : {}) });
  cleanup.push(() => rt.stop());
  installRuntime(Promise.resolve(rt));
  return rt;
}

interface Health {
  status: string;
  store: { writable: boolean; cause: string | null; failingSince: string | null };
}
const health = async (): Promise<Health> => (await (await getHealth(new Request("http://127.0.0.1/api/health"))).json()) as Health;

async function timed(req: Request): Promise<{ res: Response; ms: number }> {
  const t0 = performance.now();
  const res = await postSignalIngest(req);
  return { res, ms: performance.now() - t0 };
}

/** Polls (bounded) until an ingest is accepted again; returns how many were refused meanwhile. */
async function untilAccepted(limitMs: number): Promise<number> {
  const deadline = Date.now() + limitMs;
  let refused = 0;
  for (;;) {
    const r = await postSignalIngest(signal());
    if (r.status === 202) return refused;
    expect(r.status).toBe(503);
    refused++;
    if (Date.now() > deadline) throw new Error(`ingest still refused after ${limitMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

const DISK_FULL = "database or disk is full";

/** The store, with writes (and reads) failing as SQLite's do when the disk is full, while `state` says so. */
function failingSqlite(state: { writes: boolean; reads: boolean }): (s: Store) => Store {
  const fail = (what: string) => Object.assign(new Error(what), { name: "SqliteError", code: "SQLITE_FULL" });
  return (s: Store): Store => ({
    kind: s.kind,
    location: s.location,
    append: (e) => (state.writes ? s.append(e) : Promise.reject(fail(DISK_FULL))),
    importEvents: (e) => (state.writes ? s.importEvents(e) : Promise.reject(fail(DISK_FULL))),
    saveSync: (m) => (state.writes ? s.saveSync(m) : Promise.reject(fail(DISK_FULL))),
    query: (q) => (state.reads ? s.query(q) : Promise.reject(fail("disk I/O error"))),
    loadSync: () => s.loadSync(),
    dataSpan: (q) => (state.reads ? s.dataSpan(q) : Promise.reject(fail("disk I/O error"))),
    livePodUids: (q) => (state.reads ? s.livePodUids(q) : Promise.reject(fail("disk I/O error"))),
    clusters: () => s.clusters(),
    pruneBefore: (c) => s.pruneBefore(c),
    deleteCluster: (n) => (state.writes ? s.deleteCluster(n) : Promise.reject(fail(DISK_FULL))),
    stats: () => s.stats(),
    close: () => s.close(),
  });
}

describe("SQLite that cannot write (injected: every write fails with SQLITE_FULL)", () => {
  it("health degraded with the cause, ingest 503 + Retry-After at once, failing reads 503; recovery by itself", async () => {
    const state = { writes: true, reads: true };
    const wrap = failingSqlite(state);
    const rt = await start({ DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-store-out-")) }, wrap);
    expect((await postSignalIngest(signal())).status).toBe(202);
    expect((await health()).status).toBe("ok");

    state.writes = false;
    // The first ingest hears of the failed write at once: 503, not a hang.
    const first = await timed(signal());
    expect(first.res.status).toBe(503);
    expect(first.res.headers.get("retry-after")).toBe("5");
    expect(((await first.res.json()) as { error: string }).error).toBe(`the store cannot write: ${DISK_FULL}`);
    expect(first.ms).toBeLessThan(1000);
    // Later ones are refused before queueing anything.
    const second = await timed(signal());
    expect([second.res.status, second.res.headers.get("retry-after")]).toEqual([503, "5"]);
    expect(rt.storeHealth().pending).toBe(1); // only the first request's event waits for the store

    const metrics = await rt.metrics();
    expect(metrics).toMatch(/^drainscope_store_writable 0$/m);
    expect(metrics).toMatch(/^drainscope_store_pending_events 1$/m);
    const h = await health();
    expect(h.status).toBe("degraded");
    expect(h.store).toMatchObject({ writable: false, cause: DISK_FULL, failingSince: expect.stringMatching(/^\d{4}-/) });
    // Unauthenticated liveness probes see the state too, without details.
    expect(await (await getHealth(new Request("http://127.0.0.1/api/health"))).json()).toMatchObject({ status: "degraded" });

    state.reads = false;
    const read = await getTimelineHandler(new Request("http://127.0.0.1/api/timeline?cluster=prod"));
    expect(read.status).toBe(503);
    expect(((await read.json()) as { error: string }).error).toMatch(/^the store \(sqlite at .+\) cannot be read: disk I\/O error$/);
    state.reads = true;

    state.writes = true;
    await untilAccepted(10_000);
    expect(await health()).toMatchObject({ status: "ok", store: { writable: true, cause: null, failingSince: null } });
    expect(await rt.metrics()).toMatch(/^drainscope_store_writable 1$/m);
    const stored = await rt.store.query({ cluster: "prod" });
    // Stored: the one before, the one that got 503 while its write was retried, the one accepted after; none
    // of those refused before queueing.
    expect(stored.filter((e) => "podUid" in e).length).toBe(3);
  });

  it("an import or a delete while the store cannot write is a 503 that says nothing was stored or deleted", async () => {
    const state = { writes: true, reads: true };
    const rt = await start({ DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-store-imp-")) }, failingSqlite(state));
    const recording = (pod: string) =>
      JSON.stringify({ type: "ADDED", object: { apiVersion: "v1", kind: "Pod", metadata: { name: pod, namespace: "web", uid: `uid-${pod}`, resourceVersion: "1", creationTimestamp: "2026-11-22T05:41:00Z" }, spec: { nodeName: "n1", containers: [{ name: "app" }] }, status: { phase: "Running" } }, observedAt: "2026-11-22T05:41:01Z" });
    const importReq = (pod: string) =>
      new Request("http://127.0.0.1/api/import?cluster=incident&name=pods.jsonl", { method: "POST", headers: { "x-drainscope-import": "1" }, body: `${recording(pod)}\n` });
    expect((await postImport(importReq("web-a"))).status).toBe(200);
    const before = (await rt.store.query({ cluster: "incident" })).length;

    state.writes = false;
    const refused = await postImport(importReq("web-b"));
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^the store \(sqlite at .+\) cannot write, nothing was imported: database or disk is full$/);
    const del = await deleteClusterHandler(new Request("http://127.0.0.1/api/clusters/incident", { method: "DELETE", headers: { "x-drainscope-write": "1" } }), "incident");
    expect(del.status).toBe(503);
    expect(((await del.json()) as { error: string }).error).toMatch(/cannot write, nothing was deleted: database or disk is full$/);
    expect((await rt.store.query({ cluster: "incident" })).length).toBe(before);
  });
});

const pgSkip = pgUnavailableReason();
describe.skipIf(pgSkip !== undefined)("PostgreSQL killed and restarted", () => {
  it("health degraded, ingest 503 within a second, reads 503 with the cause; all recover by themselves", async () => {
    const server = await startPgTestServer();
    cleanup.push(() => server.stop());
    const rt = await start({ DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-store-pg-")), DATABASE_URL: server.url("postgres") });
    expect((await postSignalIngest(signal())).status).toBe(202);

    await server.kill();
    const first = await timed(signal());
    expect([first.res.status, first.res.headers.get("retry-after")]).toEqual([503, "5"]);
    expect(first.ms).toBeLessThan(1000);
    const h = await health();
    expect(h.status).toBe("degraded");
    expect(h.store.writable).toBe(false);
    expect(h.store.cause).toMatch(/ECONNREFUSED|terminat|connect/i);
    const read = await getTimelineHandler(new Request("http://127.0.0.1/api/timeline?cluster=prod"));
    expect(read.status).toBe(503);
    expect(((await read.json()) as { error: string }).error).toMatch(/^the store \(postgres at .+\) cannot be read: /);

    await server.restart();
    await untilAccepted(20_000);
    expect((await health()).status).toBe("ok");
    expect((await getTimelineHandler(new Request("http://127.0.0.1/api/timeline?cluster=prod"))).status).toBe(200);
    expect(rt.storeHealth()).toMatchObject({ ok: true, pending: 0 });
  }, 60_000);
});
