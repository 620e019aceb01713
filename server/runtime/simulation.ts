/**
 * Adapter from the runtime to the built-in simulated cluster (server/sim): starts it on loopback,
 * plays scenarios in a loop so the dashboard is alive, and streams its data-plane member records
 * (gateway, discovery, IPVS, cloud LB) the way LB pollers would in a real cluster.
 */
import { readKubeObject } from "../../lib/k8s/parse";
import type { LifecycleEvent } from "../../lib/model/events";
import { exactTime, parseTimestamp } from "../../lib/model/time";
import { createNormalizerState, normalize } from "../../lib/normalize";
import { findScenario, SCENARIO_NAMES, startSimulatedCluster, type SimulatedCluster } from "../sim";
import { parseFaultSchedule, startFaultSchedule, type FaultSchedule } from "../sim/api/faults";
import { runScenario } from "../sim/cluster/run-scenario";
import { RuntimeError, type SimulationStarter } from "./runtime";

/** What `npm start` plays when no scenario is named: the seed incidents and a clean rollout, in turn. */
export const DEMO_PLAYLIST = ["clean-rollout", "gateway-sync-lag", "no-prestop-rollout", "long-connection-sigkill", "ipvs-weight-zero", "keepalive-503", "lb-late-removal", "scale-to-zero", "force-delete", "probe-restart"];

async function playForever(sim: SimulatedCluster, names: readonly string[], stopped: () => boolean, log: (l: string) => void): Promise<void> {
  const played = new Set<string>();
  while (!stopped()) {
    for (const name of names) {
      const scenario = findScenario(name);
      if (stopped() || !scenario) return;
      try {
        // A scenario's namespace stays as it ended until the scenario's next round, so its history reads naturally.
        if (played.has(name)) sim.cluster.resetNamespace(scenario.namespace);
        played.add(name);
        // Data planes stay until the next round's reset, so their last syncs still happen.
        await runScenario(sim.cluster, scenario, { log, keepDataPlanes: true });
        await sim.cluster.clock.sleep(10_000);
      } catch (e) {
        if (stopped()) return;
        log(`simulated scenario ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }
}

/** Follows /__sim/lb-members?watch=true; reconnects from the last record seen. `onRecord` counts lines (tests). */
export function followMembers(sim: SimulatedCluster, cluster: string, sink: (events: LifecycleEvent[]) => void, signal: AbortSignal, onRecord: () => void = () => {}): void {
  const state = createNormalizerState(cluster);
  let seen = 0;
  let seq = 0;
  const loop = async () => {
    while (!signal.aborted) {
      try {
        const res = await fetch(`${sim.membersUrl}?watch=true&since=${seen}`, { headers: { authorization: `Bearer ${sim.token}` }, signal });
        if (!res.ok || !res.body) throw new Error(`${res.status}`);
        const decoder = new TextDecoder();
        let buffer = "";
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let nl: number;
          while ((nl = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (!line.trim()) continue;
            seen++;
            onRecord();
            const rec = JSON.parse(line) as { type?: string; observedAt?: string | number; object?: unknown };
            const parsed = readKubeObject(rec.object);
            if (!parsed.ok) continue;
            const at = typeof rec.observedAt === "number" ? rec.observedAt : (parseTimestamp(rec.observedAt) ?? sim.now());
            const type = rec.type === "DELETED" ? "DELETED" : rec.type === "ADDED" ? "ADDED" : "MODIFIED";
            sink(normalize(state, { watchType: type, object: parsed.value, receivedAt: exactTime(at, "watcher"), seq: seq++ }));
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  void loop();
}

export const startBuiltInSimulation: SimulationStarter = async (scenario, speed, hooks) => {
  if (scenario !== undefined && !findScenario(scenario)) {
    throw new RuntimeError(`unknown scenario "${scenario}" (known: ${SCENARIO_NAMES.join(", ")})`);
  }
  // DRAINSCOPE_SIM_FAULTS: faults injected in turn (see server/sim/api/faults.ts), to see each one in the UI.
  let schedule: FaultSchedule;
  try {
    schedule = parseFaultSchedule(process.env.DRAINSCOPE_SIM_FAULTS ?? "", process.env.DRAINSCOPE_SIM_FAULT_EVERY);
  } catch (e) {
    throw new RuntimeError(`DRAINSCOPE_SIM_FAULTS: ${e instanceof Error ? e.message : String(e)}`);
  }
  // At real speed the page's "now" line and live follow read the wall clock: the simulated cluster must not
  // drift behind it (without the lock, a loaded host slows virtual time: ~10 s behind after 8 minutes).
  const sim = await startSimulatedCluster({ speed, lockToWall: speed === 1, ...(hooks?.log ? { log: hooks.log } : {}) });
  const stopFaults = startFaultSchedule(sim.faults, schedule, hooks?.log ?? (() => {}));
  let stopped = false;
  const controller = new AbortController();
  const names = scenario ? [scenario] : DEMO_PLAYLIST.filter((n) => findScenario(n));
  void playForever(sim, names, () => stopped, hooks?.log ?? (() => {}));
  if (hooks?.sink) followMembers(sim, hooks.cluster ?? "simulated", hooks.sink, controller.signal);
  return {
    scenario: scenario ?? `demo playlist (${names.join(", ")})`,
    kubeconfigPath: sim.kubeconfigPath,
    apiUrl: sim.url,
    envoyAdminUrls: [],
    now: () => sim.now(),
    async stop() {
      stopped = true;
      stopFaults();
      controller.abort();
      await sim.stop();
    },
  };
};
