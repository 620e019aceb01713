/**
 * Fill a store with real recordings, a synthetic large rollout and every simulator scenario, for UI work and
 * demos without a cluster: `node bin/run-ts.js server/dev/seed.ts [DATA_DIR] [--only base|scenarios]`
 * (default ./data, everything).
 *
 * - base: fixture-rollout and fixture-clean (the real v1.24 recordings), fixture-pods-only (the rollout's
 *   pods.jsonl alone: no EndpointSlice data, so its verdict is incomplete), large-rollout (1,000 pods, 2026-01-05).
 * - scenarios: each scenario of server/sim except large-rollout, recorded on a fresh simulated cluster from
 *   the recorder's fixed start (2026-11-22T06:00:00Z) and stored as cluster `scenario-<name>`.
 *
 * Appends are idempotent (event ids come from the objects, and a scenario's objects do not depend on the
 * speed), so seeding an existing store again adds nothing.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { recordingToEvents } from "../../lib/recording/analyze";
import { parseRecording } from "../../lib/recording/parse";
import { DEFAULT_RECORD_START_MS, SCENARIOS, recordScenario } from "../sim";
import { openStore } from "../store/open-store";
import { syntheticRollout } from "../store/synthetic";

/** Virtual ms per wall ms: the longest scenario (ipvs-weight-zero, ~170 s) then takes about a second. */
const SPEED = 150;
/** Scenarios recorded at once: enough to overlap their idle time, few enough for 2 cores. */
const CONCURRENCY = 3;

const args = process.argv.slice(2);
const onlyIdx = args.indexOf("--only");
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
const positional = onlyIdx >= 0 ? args.filter((_, i) => i !== onlyIdx && i !== onlyIdx + 1) : args;
if (only !== undefined && only !== "base" && only !== "scenarios") {
  console.error(`--only must be base or scenarios, not ${only}`);
  process.exit(2);
}
const dataDir = positional[0] ?? "./data";
const fixtures = join(import.meta.dirname, "../../../shared/fixtures");
const opened = await openStore({ dataDir });
if (!opened.ok) {
  console.error(opened.error.message);
  process.exit(1);
}
const store = opened.store;
const t0 = Date.now();

if (only !== "scenarios") {
  for (const [dir, cluster] of [["real-v1.24-rollout", "fixture-rollout"], ["real-v1.24-clean-rollout", "fixture-clean"]] as const) {
    const files = readdirSync(join(fixtures, dir)).filter((f) => f.endsWith(".jsonl") && f !== "kubelet-truth.jsonl");
    const lines = files.flatMap((f) => parseRecording(f, readFileSync(join(fixtures, dir, f), "utf8")));
    const r = await store.append(recordingToEvents(lines, cluster));
    console.log(`${cluster}: ${r.inserted} events`);
  }
  const podsOnly = parseRecording("pods.jsonl", readFileSync(join(fixtures, "real-v1.24-rollout", "pods.jsonl"), "utf8"));
  console.log(`fixture-pods-only: ${(await store.append(recordingToEvents(podsOnly, "fixture-pods-only"))).inserted} events`);
  const big = syntheticRollout({ pods: 1000, cluster: "large-rollout" });
  for (let i = 0; i < big.length; i += 2000) await store.append(big.slice(i, i + 2000));
  console.log(`large-rollout: ${big.length} events`);
}

if (only !== "base") {
  const queue = SCENARIOS.filter((s) => s.name !== "large-rollout");
  const failures: string[] = [];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const cluster = `scenario-${s.name}`;
      try {
        const rec = await recordScenario({ scenario: s.name, speed: SPEED, startMs: DEFAULT_RECORD_START_MS });
        const events = recordingToEvents(parseRecording(`${s.name}.jsonl`, rec.jsonl), cluster);
        const r = await store.append(events);
        const windows = Object.entries(s.expectedCounts).map(([rule, n]) => `${rule} ×${n}`).join(", ") || "no windows";
        console.log(`${cluster}: ${r.inserted}/${events.length} events, ${new Date(rec.startedAtMs).toISOString()} → ${new Date(rec.endedAtMs).toISOString()} (expects ${windows})`);
      } catch (e) {
        failures.push(`${cluster}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (failures.length > 0) {
    console.error(`seeding failed:\n${failures.join("\n")}`);
    await store.close();
    process.exit(1);
  }
}
await store.close();
console.log(`seeded ${dataDir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
