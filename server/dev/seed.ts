/**
 * Fill a store with real recordings and a synthetic large rollout, for UI work and demos without a
 * cluster: `node bin/run-ts.js server/dev/seed.ts [DATA_DIR]` (default ./data).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { recordingToEvents } from "../../lib/recording/analyze";
import { parseRecording } from "../../lib/recording/parse";
import { openStore } from "../store/open-store";
import { syntheticRollout } from "../store/synthetic";

const dataDir = process.argv[2] ?? "./data";
const fixtures = join(import.meta.dirname, "../../../shared/fixtures");
const opened = await openStore({ dataDir });
if (!opened.ok) {
  console.error(opened.error.message);
  process.exit(1);
}
const store = opened.store;
for (const [dir, cluster] of [["real-v1.24-rollout", "fixture-rollout"], ["real-v1.24-clean-rollout", "fixture-clean"]] as const) {
  const files = readdirSync(join(fixtures, dir)).filter((f) => f.endsWith(".jsonl") && f !== "kubelet-truth.jsonl");
  const lines = files.flatMap((f) => parseRecording(f, readFileSync(join(fixtures, dir, f), "utf8")));
  const r = await store.append(recordingToEvents(lines, cluster));
  console.log(`${cluster}: ${r.inserted} events`);
}
const big = syntheticRollout({ pods: 1000, cluster: "large-rollout" });
for (let i = 0; i < big.length; i += 2000) await store.append(big.slice(i, i + 2000));
console.log(`large-rollout: ${big.length} events`);
await store.close();
