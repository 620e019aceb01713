/**
 * Running a scenario on a SimCluster, once or in a loop. Data planes the scenario adds are removed when
 * its run is over; a looped run wipes the namespace between rounds so every round starts alike.
 */
import type { Scenario } from "../scenarios/types";
import type { SimCluster } from "./sim-cluster";

export interface RunOptions {
  readonly log?: (message: string) => void;
  /** Keep the data planes (and their HTTP views) after the run (default true for a single run). */
  readonly keepDataPlanes?: boolean;
}

/**
 * Wait until the next whole virtual second at least 0.5 s away, from inside a timer: the script then
 * starts at an instant that depends only on the clock's start, not on how long setup took, so a seed
 * gives the same timestamps at any speed.
 */
async function alignStart(cluster: SimCluster): Promise<void> {
  const at = Math.ceil((cluster.clock.now() + 500) / 1000) * 1000;
  await new Promise<void>((resolve) => cluster.clock.setTimerAt(at, resolve));
}

/** Run a scenario once; resolves when its script is done. */
export async function runScenario(cluster: SimCluster, scenario: Scenario, o: RunOptions = {}): Promise<void> {
  const log = o.log ?? (() => {});
  const before = new Set(cluster.dataPlanes().map((p) => p.name));
  await alignStart(cluster);
  cluster.ensureNamespace(scenario.namespace);
  try {
    await scenario.run({ cluster, namespace: scenario.namespace, sleep: (ms) => cluster.clock.sleep(ms), log });
  } finally {
    if (o.keepDataPlanes === false) {
      for (const p of cluster.dataPlanes()) if (!before.has(p.name)) cluster.removeDataPlane(p.name);
    }
  }
}

export interface LoopHandle {
  /** Stop after the current round. */
  stop(): void;
  /** Resolves when the loop ends (stopped, or a round failed). */
  readonly done: Promise<void>;
}

/** Run a scenario over and over (`--loop`, `npm start`), pausing `pauseMs` virtual ms between rounds. */
export function loopScenario(cluster: SimCluster, scenario: Scenario, o: RunOptions & { pauseMs?: number } = {}): LoopHandle {
  let stopped = false;
  const done = (async () => {
    for (let round = 1; !stopped; round++) {
      o.log?.(`${scenario.name}: round ${round}`);
      await runScenario(cluster, scenario, { ...o, keepDataPlanes: false });
      if (stopped) break;
      await cluster.clock.sleep(o.pauseMs ?? 10_000);
      if (stopped) break;
      cluster.resetNamespace(scenario.namespace);
    }
  })();
  return { stop: () => (stopped = true), done };
}
