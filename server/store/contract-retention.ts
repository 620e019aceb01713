/**
 * The store contract, second half: what keeps history trustworthy. Retention goes by when rows were
 * recorded in this store (an injected clock, never today's date), prunes whole pods only, and never
 * touches what the user imported; a cluster is deleted exactly; an import is all or nothing; and a bad
 * row planted behind the store's back is skipped by every reader instead of crashing a page.
 */
import { expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import { at } from "../../lib/testing/event-builder";
import { getTimeline, listEpisodes } from "../queries/timeline";
import { buildFixture, IDS } from "./contract-fixture";
import type { StoreTarget } from "./contract";
import { StoreRejectedError, type Store } from "./types";

const DAY = 24 * 3600 * 1000;
/** The store's clock in these tests: a month after the fixture's events (at(0) is 2026-11-22). */
const T = at(0) + 30 * DAY;

const ids = (events: readonly LifecycleEvent[]): string[] => events.map((e) => `${e.cluster}/${e.id}`).sort();
const inProd = (...xs: string[]): string[] => xs.map((x) => `prod/${x}`);
const asCluster = (events: readonly LifecycleEvent[], cluster: string): LifecycleEvent[] => events.map((e) => ({ ...e, cluster }));

export function retentionContract(newTarget: () => Promise<StoreTarget>): void {
  /** A fresh database whose clock the test moves; closed and disposed afterwards. */
  const withClock = async (body: (store: Store, clock: { now: number }, target: StoreTarget, warnings: string[]) => Promise<void>): Promise<void> => {
    const target = await newTarget();
    const clock = { now: T };
    const warnings: string[] = [];
    const r = await target.open({ now: () => clock.now, warn: (l) => void warnings.push(l) });
    if (!r.ok) throw new Error(r.error.message);
    try {
      await body(r.store, clock, target, warnings);
    } finally {
      await r.store.close();
      await target.dispose();
    }
  };
  const f = buildFixture();

  it("prunes by recorded time: a month-old recording just stored is kept, whole ended pods go later, imports never", async () => {
    await withClock(async (store, clock) => {
      await store.append(f.prod);
      await store.importEvents(asCluster(f.staging, "incident"));
      // Every event is a month older than the clock, but was recorded just now: a day's retention keeps all.
      expect(await store.pruneBefore(clock.now - DAY)).toBe(0);
      expect((await store.query({})).length).toBe(f.prod.length + f.staging.length);
      // Two days later, with a one-day retention: the watched cluster's ended pods go whole, its old loose
      // events go except each object's latest version and the open gap; live pods stay; the import stays.
      clock.now += 2 * DAY;
      const gone = [...f.podIds("before", "old"), IDS.rs1, IDS.rs2, IDS.gapBefore, IDS.gapInside, IDS.lbActive, IDS.lbRemoved, IDS.scaled];
      expect(await store.pruneBefore(clock.now - DAY)).toBe(gone.length);
      const alive = f.podIds("quiet", "api-1", "o1", "fresh", "later");
      expect(ids(await store.query({ cluster: "prod" }))).toEqual(inProd(...alive, IDS.gapOpen, IDS.svcWeb, IDS.svcApi, IDS.deploy, IDS.rs3).sort());
      expect((await store.query({ cluster: "incident" })).length).toBe(f.staging.length);
      const summaries = await store.clusters();
      expect(summaries.map((c) => [c.name, c.origin, c.events])).toEqual([
        ["incident", "imported", f.staging.length],
        ["prod", "watched", f.prod.length - gone.length],
      ]);
      // Years later the import is still whole: only the user removes it.
      clock.now += 3650 * DAY;
      await store.pruneBefore(clock.now - DAY);
      expect((await store.query({ cluster: "incident" })).length).toBe(f.staging.length);
    });
  });

  it("never prunes half a pod: a pod goes only when every one of its rows was recorded before the cutoff", async () => {
    await withClock(async (store, clock) => {
      const old = f.prod.filter((e) => "podUid" in e && e.podUid === "uid-old");
      const firstHalf = old.filter((e) => e.type !== "pod-removed" && e.type !== "container-terminated");
      await store.append(firstHalf);
      clock.now += 10 * DAY;
      await store.append(old);
      // The first half is 10 days old, the rest (with the removal) brand new: nothing of the pod goes.
      expect(await store.pruneBefore(clock.now - 5 * DAY)).toBe(0);
      expect((await store.query({ podUids: ["uid-old"] })).filter((e) => "podUid" in e && e.podUid === "uid-old")).toHaveLength(old.length);
      clock.now += 10 * DAY;
      expect(await store.pruneBefore(clock.now - 5 * DAY)).toBe(old.length);
      expect(await store.query({ podUids: ["uid-old"] })).toEqual([]);
    });
  });

  it("keeps imported rows inside a watched cluster, and an import adopts rows the watcher stored", async () => {
    await withClock(async (store, clock) => {
      const before = f.prod.filter((e) => "podUid" in e && e.podUid === "uid-before");
      const old = f.prod.filter((e) => "podUid" in e && e.podUid === "uid-old");
      await store.append([...before, ...old]);
      expect(await store.importEvents(old)).toEqual({ inserted: 0, duplicates: old.length });
      clock.now += 30 * DAY;
      expect(await store.pruneBefore(clock.now - DAY)).toBe(before.length);
      expect(ids(await store.query({ cluster: "prod" }))).toEqual(inProd(...old.map((e) => e.id)).sort());
      expect((await store.clusters()).map((c) => c.origin)).toEqual(["watched"]);
    });
  });

  it("deletes exactly one cluster, whatever its origin", async () => {
    await withClock(async (store) => {
      await store.append(f.events);
      await store.importEvents(asCluster(f.staging, "incident"));
      const before = await store.clusters();
      expect(await store.deleteCluster("staging")).toBe(f.staging.length);
      expect(await store.deleteCluster("staging")).toBe(0);
      expect(await store.deleteCluster("no-such-cluster")).toBe(0);
      const after = await store.clusters();
      expect(after).toEqual(before.filter((c) => c.name !== "staging"));
      expect(await store.query({ cluster: "staging" })).toEqual([]);
      expect((await store.query({ cluster: "prod" })).length).toBe(f.prod.length);
      expect(await store.deleteCluster("incident")).toBe(f.staging.length);
      expect((await store.clusters()).map((c) => c.name)).toEqual(["prod"]);
      expect((await store.stats()).events).toBe(f.prod.length);
      // A deleted name can be used again, with a fresh origin.
      await store.append(f.staging);
      expect((await store.clusters()).map((c) => [c.name, c.origin])).toEqual([["prod", "watched"], ["staging", "watched"]]);
    });
  });

  it("imports all or nothing: one unstorable observation and nothing is written", async () => {
    await withClock(async (store) => {
      await store.append(f.staging);
      const base = f.prod[0];
      if (!base) throw new Error("fixture");
      const bad: LifecycleEvent = { ...base, id: "huge", at: 9_000_000_000_000_000, range: [9_000_000_000_000_000, 9_000_000_000_000_000] };
      await expect(store.importEvents([...f.prod, bad])).rejects.toBeInstanceOf(StoreRejectedError);
      await expect(store.importEvents([...f.prod, bad])).rejects.toThrow(/observation \d+ \(.+ huge\) cannot be stored: at: 9000000000000000 is not a storable time; nothing was written/);
      expect((await store.clusters()).map((c) => [c.name, c.events])).toEqual([["staging", f.staging.length]]);
      expect((await store.query({})).length).toBe(f.staging.length);
      // A watcher batch skips and counts it instead.
      expect(await store.append([bad])).toEqual({ inserted: 0, duplicates: 0, rejected: 1 });
    });
  });

  it("skips a bad row planted through SQL in every reader instead of crashing a page", async () => {
    await withClock(async (store, _clock, target, warnings) => {
      await store.append(f.prod);
      const huge = 9_000_000_000_000_000;
      const payload = JSON.stringify({ ...f.prod.find((e) => e.type === "pod-ready-changed"), id: "planted", at: huge, range: [huge, huge] }).replaceAll("'", "''");
      await target.exec(`INSERT INTO events (cluster, id, type, namespace, pod_uid, service, object_name, at, lo, hi, seq, payload, recorded_at, imported)
        VALUES ('prod', 'planted', 'pod-ready-changed', 'default', 'uid-quiet', NULL, NULL, ${at(5)}, ${at(5)}, ${at(5)}, 0, '${payload}', 0, 0)`);
      await target.exec(`INSERT INTO events (cluster, id, type, namespace, pod_uid, service, object_name, at, lo, hi, seq, payload, recorded_at, imported)
        VALUES ('prod', 'garbage', 'k8s-event', 'default', NULL, NULL, NULL, ${at(6)}, ${at(6)}, ${at(6)}, 0, 'not json', 0, 0)`);
      await target.exec(`UPDATE cluster_stats SET last_at = ${huge} WHERE cluster = 'prod'`);
      const got = await store.query({ cluster: "prod" });
      expect(got).toHaveLength(f.prod.length);
      expect(warnings.some((w) => w.includes("prod/planted"))).toBe(true);
      expect(warnings.some((w) => w.includes("not JSON"))).toBe(true);
      const [prod] = await store.clusters();
      expect(prod?.lastAt).toBeUndefined();
      expect(prod?.firstAt).toBe(Math.min(...f.prod.map((e) => e.at)));
      const doc = await getTimeline(store, { cluster: "prod", from: at(-60), to: at(600) }, T);
      expect(doc.lanes.map((l) => l.name).sort()).toEqual(["api-1", "before", "fresh", "later", "o1", "old", "quiet"]);
      expect(() => JSON.stringify(doc)).not.toThrow();
      const episodes = await listEpisodes(store, { cluster: "prod", limit: 100 }, T);
      expect(Array.isArray(episodes)).toBe(true);
    });
  });
}
