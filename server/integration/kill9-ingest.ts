/**
 * Child process for the kill -9 test (faults.test.ts): the simulated cluster plays clean-rollout in a
 * loop while a cluster watcher ingests it into the SQLite store in DATA_DIR (argv[2]) through the write
 * batcher, as the runtime does. After each batch commits it prints `committed ["id", …]`; the test
 * SIGKILLs it mid-run, and every id it printed must be in the store.
 */
import type { LifecycleEvent } from "../../lib/model/events";
import { startSimulatedCluster } from "../sim";
import { WriteBatcher } from "../store/batcher";
import { openStore } from "../store/open-store";
import { startClusterWatcher } from "../watcher/cluster-watcher";
import { findClusters } from "../watcher/kubeconfig";
import { systemEffects } from "../runtime/runtime";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: kill9-ingest.ts DATA_DIR");
  process.exit(2);
}
const opened = await openStore({ dataDir: dir });
if (!opened.ok) {
  console.error(opened.error.message);
  process.exit(1);
}
const store = opened.store;
const sim = await startSimulatedCluster({ scenario: "clean-rollout", speed: 50 });
const found = findClusters([], sim.kubeconfigPath);
if (!found.ok || !found.targets[0]) {
  console.error(found.ok ? "no target" : found.reason);
  process.exit(1);
}
const batcher = new WriteBatcher({
  maxDelayMs: 20,
  sink: {
    async append(events: readonly LifecycleEvent[]) {
      const r = await store.append(events);
      process.stdout.write(`committed ${JSON.stringify(events.map((e) => e.id))}\n`);
      return r;
    },
  },
});
startClusterWatcher({
  cluster: "kill9",
  transport: found.targets[0].transport,
  sink: (events) => void batcher.add(events).catch((e: unknown) => console.error(String(e))),
  effects: { ...systemEffects, now: () => sim.now() },
  simulated: true,
});
sim.loopScenario("clean-rollout", 1000);
// Bounded, so a test that fails to kill it still ends.
setTimeout(() => process.exit(3), 45_000);
