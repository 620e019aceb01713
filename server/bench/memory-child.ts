/**
 * Run in its own process by the benchmark: feed N pods' watch updates through the watcher's parse +
 * normalize path (what a watcher keeps in memory) and print the resident memory afterwards.
 */
import { readKubeObject } from "../../lib/k8s/parse";
import { exactTime } from "../../lib/model/time";
import { createNormalizerState, normalize } from "../../lib/normalize";
import { podWatchStream } from "./watch-stream";

const pods = Number(process.argv[2] ?? "10000");
const gc = (globalThis as { gc?: () => void }).gc;
// The process before any pod: Node, tsx's loader thread and the modules (a `next start` server has
// its own, different baseline). What the pods add is the watcher's share.
gc?.();
const baseline = process.memoryUsage();
const state = createNormalizerState("bench");
// Created, scheduled, running and ready: every pod tracked and alive (none removed). Lines are
// generated one at a time, as they arrive from a watch, so only the watcher's own state stays.
let seq = 0;
let t = Date.UTC(2026, 0, 5);
for (const raw of podWatchStream(pods, 4)) {
  const line = JSON.parse(raw) as { type: "ADDED" | "MODIFIED"; object: unknown };
  const parsed = readKubeObject(line.object);
  if (parsed.ok) normalize(state, { watchType: line.type, object: parsed.value, receivedAt: exactTime((t += 1), "watcher"), seq: seq++ });
}
gc?.();
gc?.();
const m = process.memoryUsage();
const mb = (b: number) => b / 2 ** 20;
process.stdout.write(
  JSON.stringify({ pods: state.pods.size, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), baselineRssMb: mb(baseline.rss), baselineHeapUsedMb: mb(baseline.heapUsed) }) + "\n",
);
