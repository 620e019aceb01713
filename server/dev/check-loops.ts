/**
 * A bounded check of the simulator's loops (issue 14): the runtime plays one scenario in a loop at a given
 * speed for a given wall time, as `npm start` does, into a throwaway store; then prints every episode, the
 * risk windows by rule, and any no-ready-endpoints or critical window, and exits 1 if there is a
 * no-ready-endpoints window (tearing a round down must not read as an outage).
 *
 *   node bin/run-ts.js server/dev/check-loops.ts [SCENARIO=large-rollout] [SPEED=20] [SECONDS=120]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config";
import { getTimeline } from "../queries/timeline";
import { startRuntime, systemEffects } from "../runtime/runtime";
import { startBuiltInSimulation } from "../runtime/simulation";

const [scenario = "large-rollout", speed = "20", seconds = "120"] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "ds-check-loops-"));
const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
const rt = await startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_SIMULATE: scenario, DRAINSCOPE_SIM_SPEED: speed, DRAINSCOPE_WATCH: "on" }), {
  env: {},
  log: (l) => console.log(`${since()} ${l.slice(0, 160)}`),
  effects: systemEffects,
  startSimulation: startBuiltInSimulation,
});
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
const now = Date.now();
const span = await rt.store.dataSpan({ cluster: "simulated" });
const doc = await getTimeline(rt.store, { cluster: "simulated", namespace: scenario, from: (span?.from ?? now) - 1000, to: now + 600_000 }, now, [], () => true);
const clock = (t: string | null) => (t ? t.slice(11, 23) : "open");
console.log(`${since()} ${doc.episodes.length} episode(s):`);
for (const e of doc.episodes) console.log(`  ${e.id} · ${e.podUids.length} pods, ${e.replacementUids?.length ?? 0} replacements · ${clock(e.start)} → ${clock(e.end)} · ${e.verdict}`);
const byRule: Record<string, number> = {};
for (const w of doc.riskWindows) byRule[w.rule] = (byRule[w.rule] ?? 0) + 1;
console.log(`windows by rule: ${JSON.stringify(byRule)}`);
const outage = doc.riskWindows.filter((w) => w.rule === "no-ready-endpoints");
for (const w of doc.riskWindows.filter((x) => x.rule === "no-ready-endpoints" || x.severity === "critical").slice(0, 10)) {
  console.log(`  ${w.severity} ${w.rule} ${clock(w.start)} → ${clock(w.end)} ${w.service ?? ""}: ${w.explanation.slice(0, 200)}`);
}
await rt.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(outage.length > 0 ? 1 : 0);
