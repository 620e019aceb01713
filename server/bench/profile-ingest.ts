/**
 * Ingest timing splits for profiling (`node bin/run-ts.js server/bench/profile-ingest.ts [rounds]`):
 * JSON.parse, zod, normalize, and store.append (1,000 events per append) measured separately, in wall and
 * CPU time, over the bench's watch stream, then the whole path as the watcher runs it
 * (server/bench/ingest.ts) in CPU time.
 * Run with `node --cpu-prof bin/run-ts.js …` for a CPU profile. Not part of `npm run bench`.
 * `--random-uids`: the same stream with random pod UIDs, as a real cluster has (see `withRandomPodUids`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readKubeObject } from "../../lib/k8s/parse";
import type { KubeObject } from "../../lib/k8s/objects";
import type { LifecycleEvent } from "../../lib/model/events";
import { exactTime } from "../../lib/model/time";
import { createNormalizerState, normalize } from "../../lib/normalize";
import { openStore } from "../store/open-store";
import { bareParse, watcherShapedIngest, withRandomPodUids } from "./ingest";
import { podWatchLines } from "./watch-stream";

type Watch = { type: "ADDED" | "MODIFIED" | "DELETED"; object: unknown };
const args = process.argv.slice(2);
const rounds = Number(args.find((a) => !a.startsWith("--")) ?? 5);
const lines = args.includes("--random-uids") ? withRandomPodUids(podWatchLines(2500)) : podWatchLines(2500);
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU time of each stage, printed beside the wall time: on a loaded machine only CPU time compares. */
const cpuOf: Record<string, number> = {};
const t = (stage: string, fn: () => void): number => {
  const c0 = cpuNow();
  const t0 = performance.now();
  fn();
  cpuOf[stage] = cpuNow() - c0;
  return performance.now() - t0;
};
for (let r = 0; r < rounds; r++) {
  let watches: Watch[] = [];
  const tJson = t("json", () => (watches = lines.map((l) => JSON.parse(l) as Watch)));
  let objs: { type: Watch["type"]; o: KubeObject }[] = [];
  const tZod = t("zod", () => {
    objs = [];
    for (const w of watches) {
      const p = readKubeObject(w.object);
      if (p.ok) objs.push({ type: w.type, o: p.value });
    }
  });
  let events: LifecycleEvent[] = [];
  const tNorm = t("normalize", () => {
    const state = createNormalizerState("bench");
    events = [];
    let seq = 0;
    for (const { type, o } of objs) {
      const evs = normalize(state, { watchType: type, object: o, receivedAt: exactTime(Date.UTC(2026, 0, 5) + seq, "watcher"), seq: seq++ });
      for (const e of evs) events.push(e);
    }
  });
  const dir = mkdtempSync(join(tmpdir(), "ds-prof-"));
  const opened = await openStore({ dataDir: dir });
  if (!opened.ok) throw new Error(opened.error.message);
  const c0 = cpuNow();
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += 1000) await opened.store.append(events.slice(i, i + 1000));
  const tStore = performance.now() - t0;
  cpuOf.append = cpuNow() - c0;
  await opened.store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `wall: json ${tJson.toFixed(0)} ms  zod ${tZod.toFixed(0)} ms  normalize ${tNorm.toFixed(0)} ms  append ${tStore.toFixed(0)} ms (${events.length} events)  total ${(tJson + tZod + tNorm + tStore).toFixed(0)} ms = ${((tJson + tZod + tNorm + tStore) / tJson).toFixed(2)}×`,
  );
  const c = (k: string): number => cpuOf[k] ?? 0;
  const cpuTotal = c("json") + c("zod") + c("normalize") + c("append");
  console.log(
    `  CPU: json ${c("json").toFixed(0)} ms  zod ${c("zod").toFixed(0)} ms  normalize ${c("normalize").toFixed(0)} ms  append ${c("append").toFixed(0)} ms  total ${cpuTotal.toFixed(0)} ms = ${(cpuTotal / c("json")).toFixed(2)}×`,
  );
  // The watcher-shaped run should not carry the stages' data on its heap.
  watches = [];
  objs = [];
  events = [];
  const bare = await bareParse(lines);
  const w = await watcherShapedIngest(lines);
  console.log(`  watcher-shaped: CPU ${w.cpuMs.toFixed(0)} ms = ${(w.cpuMs / bare.cpuMs).toFixed(2)}× JSON.parse CPU (${bare.cpuMs.toFixed(0)} ms), ${w.appends} transactions`);
}
