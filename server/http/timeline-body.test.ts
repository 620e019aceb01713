// GET /api/timeline's body is encoded once per (data version, format, query, clock, open gaps).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTHING_LIVE } from "../queries/timeline";
import { openSqliteStore } from "../store/sqlite";
import { syntheticRollout } from "../store/synthetic";
import type { Store } from "../store/types";
import { timelineBody } from "./timeline-body";

const NOW = Date.UTC(2026, 0, 6);
const Q = { cluster: "bench", namespace: "shop" };
let store: Store;

beforeAll(async () => {
  store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), "ds-timeline-body-")), "drainscope.db") });
  await store.append(syntheticRollout({ pods: 20, cluster: "bench" }));
});
afterAll(async () => {
  await store.close();
});

describe("timeline body cache", () => {
  it("the same request gets the same encoded body (not encoded again)", async () => {
    const a = await timelineBody(store, Q, "compact", NOW, [], NOTHING_LIVE);
    const b = await timelineBody(store, Q, "compact", NOW + 5000, [], NOTHING_LIVE); // a stored cluster: its clock is its data's
    expect(b).toBe(a);
    expect((JSON.parse(a.text) as { v: number }).v).toBe(1);
    const json = await timelineBody(store, Q, "json", NOW, [], NOTHING_LIVE);
    expect(json).not.toBe(a);
    expect((JSON.parse(json.text) as { lanes: unknown[] }).lanes).toHaveLength(20);
  });

  it("a new event, a live clock or another query gets a new body", async () => {
    const a = await timelineBody(store, Q, "json", NOW, [], NOTHING_LIVE);
    expect(await timelineBody(store, { ...Q, workload: "web" }, "json", NOW, [], NOTHING_LIVE)).not.toBe(a);
    const live1 = await timelineBody(store, Q, "json", NOW, [], () => true);
    const live2 = await timelineBody(store, Q, "json", NOW + 1000, [], () => true);
    expect(live2).not.toBe(live1);
    expect((JSON.parse(live2.text) as { generatedFor: { now: string } }).generatedFor.now).toBe(new Date(NOW + 1000).toISOString());
    const extra = syntheticRollout({ pods: 1, cluster: "bench" }).map((e) => ({ ...e, id: `extra-${e.id}`, ...("podUid" in e ? { podUid: `extra-${e.podUid}` } : {}) }));
    await store.append(extra);
    const after = await timelineBody(store, Q, "json", NOW, [], NOTHING_LIVE);
    expect(after).not.toBe(a);
    expect((JSON.parse(after.text) as { lanes: unknown[] }).lanes).toHaveLength(21);
  });

  it("a write to another cluster keeps the body; concurrent requests share one build; parameter order does not matter", async () => {
    const a = await timelineBody(store, Q, "compact", NOW, [], NOTHING_LIVE);
    await store.append(syntheticRollout({ pods: 2, cluster: "elsewhere" }));
    expect(await timelineBody(store, { namespace: "shop", cluster: "bench" }, "compact", NOW, [], NOTHING_LIVE)).toBe(a);
    const [x, y] = await Promise.all([timelineBody(store, { ...Q, service: "web" }, "compact", NOW, [], NOTHING_LIVE), timelineBody(store, { ...Q, service: "web" }, "compact", NOW, [], NOTHING_LIVE)]);
    expect(y).toBe(x);
  });
});
