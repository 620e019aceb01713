/**
 * The store contract: one suite that every `Store` implementation must pass (design §6.3). Each
 * implementation's test file calls `storeContract` with a factory for fresh, empty databases.
 */
import { expect, it } from "vitest";
import { computeTimeline } from "../../lib/engine/timeline";
import { compareEvents, type LifecycleEvent } from "../../lib/model/events";
import { at } from "../../lib/testing/event-builder";
import { buildFixture, IDS, WINDOW } from "./contract-fixture";
import { LATEST_SCHEMA_VERSION } from "./migrations";
import { syntheticRollout } from "./synthetic";
import type { OpenResult, Store } from "./types";

/** One fresh, empty database; `open` may be called again to reopen the same one. */
export interface StoreTarget {
  /** Opens the store; `now` is its clock (recorded-at for retention), `warn` where skipped rows are told. */
  open(opts?: { now?: () => number; warn?: (line: string) => void }): Promise<OpenResult>;
  /** Runs SQL behind the store's back (`?`-free text), to plant rows no store would write. */
  exec(sql: string): Promise<void>;
  /** Writes schema_migrations behind the store's back, as a newer Drainscope would have. */
  setSchemaVersion(version: number): Promise<void>;
  dispose(): Promise<void>;
}

async function openOk(target: StoreTarget, opts?: Parameters<StoreTarget["open"]>[0]): Promise<Store> {
  const r = await target.open(opts);
  if (!r.ok) throw new Error(`store did not open: ${r.error.code}: ${r.error.message}`);
  return r.store;
}

function first(xs: readonly LifecycleEvent[]): LifecycleEvent {
  const e = xs[0];
  if (!e) throw new Error("empty fixture");
  return e;
}

const ids = (events: readonly LifecycleEvent[]): string[] => events.map((e) => `${e.cluster}/${e.id}`);
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
const inProd = (...xs: string[]): string[] => xs.map((x) => `prod/${x}`);

export function storeContract(newTarget: () => Promise<StoreTarget>): void {
  /** A fresh database holding the fixture (or nothing), closed and disposed afterwards. */
  const withStore = async (load: boolean, body: (store: Store, target: StoreTarget) => Promise<void>): Promise<void> => {
    const target = await newTarget();
    const store = await openOk(target);
    try {
      if (load) await store.append(buildFixture().events);
      await body(store, target);
    } finally {
      await store.close();
      await target.dispose();
    }
  };
  const f = buildFixture();
  const prodContext = inProd(IDS.svcWeb, IDS.svcApi, IDS.deploy, IDS.rs2);

  it("keeps the last in-sync time per cluster, resource and namespace across a reopen (sync_state)", async () => {
    const target = await newTarget();
    try {
      const store = await openOk(target);
      expect(await store.loadSync()).toEqual([]);
      await store.saveSync([
        { cluster: "prod", resource: "pods", namespace: "", inSyncAt: 1000 },
        { cluster: "prod", resource: "endpointslices", namespace: "web", inSyncAt: 2000 },
      ]);
      await store.saveSync([{ cluster: "prod", resource: "pods", namespace: "", inSyncAt: 5000.7 }]);
      await store.close();
      const again = await openOk(target);
      expect(await again.loadSync()).toEqual([
        { cluster: "prod", resource: "endpointslices", namespace: "web", inSyncAt: 2000 },
        { cluster: "prod", resource: "pods", namespace: "", inSyncAt: 5000 },
      ]);
      // Deleting a cluster forgets its marks: watching it again later starts afresh, without a gap from then.
      await again.append(buildFixture().events);
      expect(await again.deleteCluster("prod")).toBeGreaterThan(0);
      expect(await again.loadSync()).toEqual([]);
      await again.close();
    } finally {
      await target.dispose();
    }
  });

  it("appends idempotently: a replayed batch is counted as duplicates and stored once", async () => {
    await withStore(false, async (store) => {
      expect(await store.append(f.events)).toEqual({ inserted: f.events.length, duplicates: 0 });
      expect(await store.append(f.events)).toEqual({ inserted: 0, duplicates: f.events.length });
      const half = f.events.slice(0, 10);
      const extra: LifecycleEvent = { ...first(f.staging), id: "svc:extra" };
      expect(await store.append([...half, extra, extra])).toEqual({ inserted: 1, duplicates: 11 });
      expect((await store.stats()).events).toBe(f.events.length + 1);
      expect(await store.append([])).toEqual({ inserted: 0, duplicates: 0 });
    });
  });

  it("skips and counts malformed events instead of failing their batch", async () => {
    await withStore(false, async (store) => {
      const good = f.staging;
      const base = first(good);
      const bad: LifecycleEvent[] = [{ ...base, id: "" }, { ...base, id: "nan", at: Number.NaN }, { ...base, id: "inf", range: [0, Infinity] }];
      expect(await store.append([...bad, ...good])).toEqual({ inserted: good.length, duplicates: 0, rejected: 3 });
      expect(await store.append(bad)).toEqual({ inserted: 0, duplicates: 0, rejected: 3 });
      expect((await store.stats()).events).toBe(good.length);
    });
  });

  it("returns every event losslessly, in (at, seq, id) order", async () => {
    await withStore(true, async (store) => {
      const all = await store.query({});
      expect(all).toHaveLength(f.events.length);
      expect(all).toEqual([...f.events].sort(compareEvents));
    });
  });

  it("breaks equal times by seq, then by id", async () => {
    await withStore(false, async (store) => {
      const base = first(f.staging);
      const mk = (id: string, seq: number | undefined): LifecycleEvent => ({ ...base, id, at: 5, range: [5, 5], seq });
      await store.append([mk("b", 2), mk("a", 2), mk("c", 1), mk("z", undefined), mk("y", 0)]);
      expect((await store.query({ cluster: "staging" })).map((e) => e.id)).toEqual(["y", "z", "c", "a", "b"]);
    });
  });

  it("queries a cluster and window: whole pod histories, alive pods, loose events, context, gaps", async () => {
    await withStore(true, async (store) => {
      const got = await store.query({ cluster: "prod", ...WINDOW });
      const want = [...inProd(...f.podIds("old", "quiet", "api-1", "o1", "fresh")), ...inProd(IDS.lbActive, IDS.scaled, IDS.gapInside), ...prodContext];
      expect(sorted(ids(got))).toEqual(sorted(new Set(want)));
      expect(got).toEqual([...got].sort(compareEvents));
      const lanes = computeTimeline(got, { now: WINDOW.to }).pods.map((p) => p.name).sort();
      expect(lanes).toEqual(["api-1", "fresh", "o1", "old", "quiet"]);
    });
  });

  it("filters by namespace (cluster-wide gaps still apply)", async () => {
    await withStore(true, async (store) => {
      const got = await store.query({ cluster: "prod", namespace: "other", ...WINDOW });
      expect(sorted(ids(got))).toEqual(sorted([...inProd(...f.podIds("o1")), `prod/${IDS.gapInside}`]));
    });
  });

  it("filters by service: pods that had an endpoint in it, and events naming it", async () => {
    await withStore(true, async (store) => {
      const got = await store.query({ cluster: "prod", namespace: "default", service: "web", ...WINDOW });
      const want = [...inProd(...f.podIds("old", "quiet", "fresh")), `prod/${IDS.lbActive}`, `prod/${IDS.gapInside}`, ...prodContext];
      expect(sorted(ids(got))).toEqual(sorted(want));
      const api = await store.query({ cluster: "prod", service: "api", ...WINDOW });
      expect(sorted(ids(api))).toEqual(sorted([...inProd(...f.podIds("api-1")), `prod/${IDS.gapInside}`, ...prodContext]));
    });
  });

  it("lists the live pods by uid from their spans: not removed, first seen by the time given", async () => {
    await withStore(true, async (store) => {
      expect(await store.livePodUids({ cluster: "prod", to: WINDOW.to })).toEqual(["uid-api-1", "uid-fresh", "uid-o1", "uid-quiet"]);
      expect(await store.livePodUids({ cluster: "prod", to: at(40) })).toEqual(["uid-api-1", "uid-fresh", "uid-later", "uid-o1", "uid-quiet"]);
      expect(await store.livePodUids({ cluster: "prod", namespace: "other", to: WINDOW.to })).toEqual(["uid-o1"]);
      expect(await store.livePodUids({ cluster: "staging", to: WINDOW.to })).toEqual(["uid-x"]);
      expect(await store.livePodUids({ cluster: "nowhere", to: WINDOW.to })).toEqual([]);
    });
  });

  it("filters by pod uid; without a window a pod's whole history comes back", async () => {
    await withStore(true, async (store) => {
      const got = await store.query({ cluster: "prod", podUids: ["uid-old", "uid-later"], ...WINDOW });
      const loose = inProd(IDS.lbActive, IDS.scaled, IDS.gapInside);
      expect(sorted(ids(got))).toEqual(sorted(new Set([...inProd(...f.podIds("old")), ...loose, ...prodContext])));
      // No window: the pods' lifetimes are the window. o1 is still there, so its lifetime is open-ended.
      const o1 = await store.query({ cluster: "prod", namespace: "other", podUids: ["uid-o1"] });
      expect(sorted(ids(o1))).toEqual(sorted(inProd(...f.podIds("o1"), IDS.gapInside, IDS.gapOpen)));
      // old lived from -50 s to its removal at 21 s: the objects as of then, and only the gap in that span.
      const old = await store.query({ podUids: ["uid-old"] });
      const around = inProd(IDS.lbActive, IDS.scaled, IDS.rs2, IDS.gapBefore, IDS.svcWeb, IDS.svcApi, IDS.deploy);
      expect(sorted(ids(old))).toEqual(sorted([...inProd(...f.podIds("old")), ...around]));
      expect(await store.query({ podUids: ["uid-nobody"] })).toEqual([]);
    });
  });

  it("queries every cluster when none is named, and everything when there is no window", async () => {
    await withStore(true, async (store) => {
      const both = await store.query(WINDOW);
      const staging = f.staging.map((e) => `staging/${e.id}`);
      const prod = [...inProd(...f.podIds("old", "quiet", "api-1", "o1", "fresh")), ...inProd(IDS.lbActive, IDS.scaled, IDS.gapInside), ...prodContext];
      expect(sorted(ids(both))).toEqual(sorted(new Set([...prod, ...staging])));
      const everything = await store.query({ cluster: "prod", namespace: "default" });
      const notOther = f.prod.filter((e) => e.namespace !== "other").map((e) => `prod/${e.id}`);
      expect(sorted(ids(everything))).toEqual(sorted(notOther));
    });
  });

  it("caps pods and loose events with limit, keeping each pod whole", async () => {
    await withStore(true, async (store) => {
      const got = await store.query({ cluster: "prod", ...WINDOW, limit: 2 });
      const want = [...inProd(...f.podIds("old", "quiet")), ...inProd(IDS.scaled, IDS.lbActive, IDS.gapInside), ...prodContext];
      expect(sorted(ids(got))).toEqual(sorted(want));
    });
  });

  it("gives each object its latest version by the window's end, or its earliest if all are later", async () => {
    await withStore(true, async (store) => {
      const early = await store.query({ cluster: "prod", namespace: "default", from: at(-45), to: at(-42) });
      expect(ids(early).filter((id) => id.includes("rs:"))).toEqual([`prod/${IDS.rs1}`]);
      const late = await store.query({ cluster: "prod", namespace: "default", from: at(550), to: at(600) });
      expect(ids(late).filter((id) => id.includes("rs:"))).toEqual([`prod/${IDS.rs3}`]);
      const first = f.prod.find((e) => e.id === IDS.rs3);
      if (!first) throw new Error("fixture");
      await store.append([{ ...first, cluster: "lonely", id: "rs:later", at: at(100), range: [at(100), at(100)] }]);
      await store.append(f.staging.filter((e) => e.type !== "service-seen").map((e) => ({ ...e, cluster: "lonely" })));
      const lonely = await store.query({ cluster: "lonely", ...WINDOW });
      expect(ids(lonely)).toContain("lonely/rs:later");
    });
  });

  it("changes its data version with every event write, its own or another connection's, and only then", async () => {
    await withStore(true, async (store, target) => {
      if (!store.dataVersion) throw new Error("both stores tell their data version");
      const v0 = await store.dataVersion();
      await store.query({ cluster: "prod" });
      await store.saveSync([{ cluster: "prod", resource: "pods", namespace: "", inSyncAt: at(9) }]);
      expect(await store.dataVersion()).toBe(v0);
      await store.append([{ ...first(f.staging), id: "svc:extra" }]);
      const v1 = await store.dataVersion();
      expect(v1).not.toBe(v0);
      const other = await openOk(target);
      try {
        await other.append([{ ...first(f.staging), id: "svc:extra-2" }]);
      } finally {
        await other.close();
      }
      const v2 = await store.dataVersion();
      expect(v2).not.toBe(v1);
      expect(await store.deleteCluster("staging")).toBeGreaterThan(0);
      expect(await store.dataVersion()).not.toBe(v2);
    });
  });

  it("summarises clusters", async () => {
    await withStore(true, async (store) => {
      const atOf = (xs: LifecycleEvent[]): number[] => xs.map((e) => e.at);
      expect(await store.clusters()).toEqual([
        { name: "prod", origin: "watched", events: f.prod.length, firstAt: Math.min(...atOf(f.prod)), lastAt: Math.max(...atOf(f.prod)), namespaces: ["default", "other"] },
        { name: "staging", origin: "watched", events: f.staging.length, firstAt: Math.min(...atOf(f.staging)), lastAt: Math.max(...atOf(f.staging)), namespaces: ["default"] },
      ]);
      expect((await store.stats()).events).toBe(f.events.length);
    });
  });

  it("reports a cluster's (or namespace's) data span: its first and last event time", async () => {
    await withStore(true, async (store) => {
      // prod's first event is ReplicaSet version 1 at -100 s, its last version 3 at 500 s; namespace
      // "other" holds only pod o1 (created at 3 s, ready at 4 s).
      expect(await store.dataSpan({ cluster: "prod" })).toEqual({ from: at(-100), to: at(500) });
      expect(await store.dataSpan({ cluster: "prod", namespace: "other" })).toEqual({ from: at(3), to: at(4) });
      expect(await store.dataSpan({ cluster: "staging" })).toEqual({ from: at(-100), to: at(6.1) }); // its Service, first seen at -100 s
      expect(await store.dataSpan({ cluster: "prod", namespace: "nothere" })).toBeUndefined();
      expect(await store.dataSpan({ cluster: "nothere" })).toBeUndefined();
    });
  });

  it("takes concurrent overlapping appends without duplicating or deadlocking", async () => {
    await withStore(false, async (store) => {
      const events = syntheticRollout({ pods: 100, cluster: "race" });
      const slices = [events.slice(0, 900), events.slice(300, 1200), [...events].reverse(), events.filter((_, i) => i % 2 === 0)];
      const results = await Promise.all(slices.map((s) => store.append(s)));
      expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(events.length);
      expect((await store.stats()).events).toBe(events.length);
      expect((await store.query({ cluster: "race" })).length).toBe(events.length);
    });
  });

  it("keeps everything across close and reopen, and migrations are idempotent", async () => {
    await withStore(true, async (store, target) => {
      const before = await store.query({ cluster: "prod", ...WINDOW });
      await store.close();
      for (let i = 0; i < 2; i++) {
        const again = await openOk(target);
        expect(await again.query({ cluster: "prod", ...WINDOW })).toEqual(before);
        expect((await again.stats()).events).toBe(f.events.length);
        await again.close();
      }
    });
  });

  it("refuses to open a schema newer than it knows", async () => {
    const target = await newTarget();
    try {
      const first = await openOk(target);
      await first.close();
      await target.setSchemaVersion(LATEST_SCHEMA_VERSION + 1);
      const r = await target.open();
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe("schema-too-new");
        expect(r.error.message).toContain(`version ${LATEST_SCHEMA_VERSION + 1}`);
      }
    } finally {
      await target.dispose();
    }
  });

  it("serves a 1,000-pod rollout whole", async () => {
    await withStore(false, async (store) => {
      const events = syntheticRollout({ pods: 1000 });
      for (let i = 0; i < events.length; i += 2000) await store.append(events.slice(i, i + 2000));
      const first = events[0]?.at ?? 0;
      const got = await store.query({ cluster: "bench", namespace: "shop", from: first, to: first + 86_400_000 });
      expect(got).toHaveLength(events.length);
      expect(new Set(got.map((e) => ("podUid" in e ? e.podUid : ""))).size).toBe(1001);
    });
  });
}
