import { afterEach, describe, expect, it } from "vitest";
import { startSimulatedCluster, UnknownScenarioError, type SimulatedCluster } from "./simulated-cluster";

let sim: SimulatedCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("startSimulatedCluster", () => {
  it("loops a scenario, wiping its namespace between rounds, until stopped", async () => {
    sim = await startSimulatedCluster({ scenario: "eviction-with-pdb", speed: 300, startMs: Date.UTC(2026, 10, 22, 6) });
    const handle = sim.loopScenario("eviction-with-pdb", 2000);
    const s = sim;
    await until(() => s.scenarioStatus().round >= 2 && s.cluster.pods("eviction-with-pdb").length === 3, "round 2 to be up");
    expect(s.scenarioStatus()).toMatchObject({ name: "eviction-with-pdb", state: "running" });
    handle.stop();
    expect(s.scenarioStatus().error).toBeUndefined();
  });

  it("reports the scenario's state and refuses unknown scenarios", async () => {
    await expect(startSimulatedCluster({ scenario: "nope" })).rejects.toBeInstanceOf(UnknownScenarioError);
    sim = await startSimulatedCluster({ speed: 200 });
    expect(sim.scenarioStatus()).toMatchObject({ state: "idle", round: 0 });
    await expect(sim.runScenario("nope")).rejects.toBeInstanceOf(UnknownScenarioError);
    await sim.runScenario("force-delete");
    expect(sim.scenarioStatus()).toMatchObject({ name: "force-delete", state: "done", round: 1 });
    const status = await (await fetch(`${sim.url}/__sim/scenario`, { headers: { authorization: `Bearer ${sim.token}` } })).json();
    expect(status).toMatchObject({ name: "force-delete", state: "done" });
    expect(Object.keys(sim.dataPlanes())).toEqual(["kube-proxy"]);
    // A second scenario on the same cluster replaces the first one's same-named data plane.
    await sim.runScenario("eviction-with-pdb");
    expect(sim.scenarioStatus()).toMatchObject({ name: "eviction-with-pdb", state: "done", round: 2 });
    expect(Object.keys(sim.dataPlanes())).toEqual(["kube-proxy"]);
  });
});
