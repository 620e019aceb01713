/**
 * The cold path of `GET /api/timeline` (no range: the view the page opens), split into its steps:
 * `node bin/run-ts.js server/bench/profile-cold.ts [pods] [data-dir]` (add `--cpu-prof` after `node` for a
 * profile). Seeds one synthetic rollout (cluster `bench`) into `data-dir` (a temp dir by default; an
 * existing dir is reused as is), then times, in this fresh process, the first request's steps — store
 * query, engine, finish, view cut, the compact bytes as the server writes them (timeline-compact-writer.ts),
 * gzip — and then the same after a write to another cluster (JIT warm, nothing kept for the new data
 * version). For comparison, the reference encoder's route to the same bytes (arrays, `JSON.stringify`, UTF-8)
 * is timed after them. Not part of `npm run bench`.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeCompactTimeline } from "../../lib/api/timeline-compact";
import { writeCompactTimeline } from "../../lib/api/timeline-compact-writer";
import { computeTimelineCore, finishTimeline } from "../../lib/engine/timeline";
import { timelineBody } from "../http/timeline-body";
import { DEFAULT_RANGE_MS, timelineViewAt } from "../queries/timeline";
import { viewClock } from "../queries/view-clock";
import { openStore } from "../store/open-store";
import { syntheticRollout } from "../store/synthetic";

const pods = Number(process.argv[2] ?? 1000);
const given = process.argv[3];
const dir = given ?? mkdtempSync(join(tmpdir(), "ds-cold-"));
const seeded = given !== undefined && existsSync(join(dir, "drainscope.db"));
const opened = await openStore({ dataDir: dir });
if (!opened.ok) throw new Error(opened.error.message);
const store = opened.store;
if (!seeded) {
  const events = syntheticRollout({ pods });
  for (let i = 0; i < events.length; i += 2000) await store.append(events.slice(i, i + 2000));
}
const q = { cluster: "bench", namespace: "shop" } as const;
const now = Date.UTC(2026, 0, 6);

async function steps(label: string): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t: [string, number][] = [];
  let t0 = performance.now();
  const lap = (name: string) => {
    const t1 = performance.now();
    t.push([name, t1 - t0]);
    t0 = t1;
  };
  const clock = await viewClock(store, q, now, () => false);
  lap("view clock");
  const to = clock.span?.to ?? now;
  const events = await store.query({ ...q, from: to - DEFAULT_RANGE_MS, to });
  lap(`store query (${events.length} events)`);
  const core = computeTimelineCore(events, { live: false });
  lap("engine core");
  finishTimeline(core, clock.now);
  lap("finish");
  const view = await timelineViewAt(store, q, clock, []); // its own query + engine: timed separately below
  t0 = performance.now();
  const bytes = writeCompactTimeline(view, 65_536 + view.timeline.pods.length * 1536);
  lap(`compact bytes (${(bytes.length / 1024).toFixed(0)} KB)`);
  gzipSync(bytes);
  lap("gzip (level 6)");
  const cpu = process.cpuUsage(cpu0);
  const encoded = encodeCompactTimeline(view);
  lap("[reference: compact arrays");
  const text = JSON.stringify(encoded);
  lap("JSON text");
  Buffer.from(text);
  lap("UTF-8]");
  console.log(`${label}: ${t.map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`).join(" · ")} (CPU up to gzip incl. the view ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`);
}

async function whole(label: string): Promise<void> {
  const t0 = performance.now();
  await timelineBody(store, q, "compact", now, [], () => false);
  console.log(`${label}: timelineBody ${(performance.now() - t0).toFixed(0)} ms`);
}

await whole("first request after start");
await whole("same request again (kept)");
await store.append(syntheticRollout({ pods: 2, cluster: "other" }));
await whole("first request after a write to another cluster");
await steps("steps after start (JIT partly warm)");
await store.append(syntheticRollout({ pods: 2, cluster: "other2" }));
await steps("steps again");
console.log(`load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);
await store.close();
if (given === undefined) rmSync(dir, { recursive: true, force: true });
