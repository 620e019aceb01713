/**
 * The engine alone, warm: `node --cpu-prof bin/run-ts.js server/bench/profile-engine.ts [pods] [rounds]`.
 * Prints the median time per run; the profile shows where it goes. Not part of `npm run bench`.
 */
import { computeTimeline } from "../../lib/engine/timeline";
import { syntheticRollout } from "../store/synthetic";

const pods = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 20);
const events = syntheticRollout({ pods });
const now = Date.UTC(2026, 0, 6);
const times: number[] = [];
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  computeTimeline(events, { now });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`${pods} pods, ${events.length} events: median ${times[Math.floor(times.length / 2)]?.toFixed(1)} ms, min ${times[0]?.toFixed(1)} ms over ${rounds} runs`);
