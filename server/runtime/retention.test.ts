// Retention as a dashboard runs it, on an injected clock (never today's date): with
// DRAINSCOPE_RETENTION_DAYS=1, a recording dated weeks ago that was just imported keeps every
// observation across restarts, while a watched cluster's ended pods go whole, never half.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import { recordingToEvents } from "../../lib/recording/analyze";
import { parseRecording } from "../../lib/recording/parse";
import { loadConfig } from "../config";
import { importIntoStore } from "../import/apply";
import { startRuntime, systemEffects, type Runtime } from "./runtime";

const ROLLOUT = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const names = readdirSync(ROLLOUT).filter((f) => f.endsWith(".jsonl"));
const DAY = 24 * 3600 * 1000;

const podOf = (e: LifecycleEvent): string | undefined => ("podUid" in e ? e.podUid : undefined);

function perPod(events: readonly LifecycleEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    const uid = podOf(e);
    if (uid !== undefined) out.set(uid, (out.get(uid) ?? 0) + 1);
  }
  return out;
}

describe("retention in the runtime", () => {
  it("keeps a weeks-old import whole with DRAINSCOPE_RETENTION_DAYS=1 and prunes a watched cluster's ended pods entirely", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ds-retention-"));
    const files = names.map((n) => ({ name: join(ROLLOUT, n), text: readFileSync(join(ROLLOUT, n), "utf8") }));
    const watched = recordingToEvents(files.flatMap((f) => parseRecording(f.name, f.text)), "prod");
    // The recording happened on 2026-11-22; the dashboard's clock says three weeks later.
    const clock = { now: Math.max(...watched.map((e) => e.at)) + 21 * DAY };
    const start = (): Promise<Runtime> =>
      startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_RETENTION_DAYS: "1" }), {
        env: {},
        log: () => {},
        effects: { ...systemEffects, now: () => clock.now },
      });

    const first = await start();
    const imported = await importIntoStore(first.store, files);
    expect(imported.observations).toBe(137);
    // The same rollout as a watcher would have recorded it, into a watched cluster.
    expect((await first.store.append(watched)).inserted).toBe(watched.length);
    expect(await first.prune()).toBe(0);
    await first.stop();

    // Two days later the dashboard starts again: retention runs at start (and hourly).
    clock.now += 2 * DAY;
    const again = await start();
    try {
      await again.prune();
      const kept = await again.store.query({ cluster: imported.cluster });
      expect(kept).toHaveLength(137);
      const summaries = await again.store.clusters();
      expect(summaries.map((c) => [c.name, c.origin])).toEqual([["prod", "watched"], [imported.cluster, "imported"]]);

      const before = perPod(watched);
      const after = perPod(await again.store.query({ cluster: "prod" }));
      const removed = new Set(watched.filter((e) => e.type === "pod-removed").map((e) => e.podUid));
      expect(removed.size).toBe(3);
      for (const [uid, n] of before) {
        // Each pod is either gone entirely (it ended and all of it is older than a day) or whole.
        expect([uid, after.get(uid) ?? 0]).toEqual([uid, removed.has(uid) ? 0 : n]);
      }
      // Months later, the import is still there: only `drainscope delete` removes it.
      clock.now += 365 * DAY;
      await again.prune();
      expect(await again.store.query({ cluster: imported.cluster })).toHaveLength(137);
    } finally {
      await again.stop();
    }
  });
});
