/**
 * Public surface of the simulated cluster (design §6.2). See README.md in this folder.
 *
 * - `startSimulatedCluster(options)`: control plane + loopback API server + kubeconfig; play scenarios.
 * - `recordScenario(options)`: run a scenario on a fresh cluster and record what a watcher receives.
 * - `SCENARIOS`: every scenario with its documentation and expected risk windows.
 */
export {
  startSimulatedCluster,
  UnknownScenarioError,
  type SimulatedCluster,
  type SimulatedClusterOptions,
} from "./simulated-cluster";
export { SCENARIOS, SCENARIO_NAMES, findScenario } from "./scenarios";
export type { ExpectedWindow, Scenario, ScenarioContext } from "./scenarios";
export { SimCluster } from "./cluster/sim-cluster";
export type { Faults, FaultRequest, FaultState } from "./api/faults";
export type { ScenarioStatus } from "./cluster/sim-routes";
export { recordScenario, DEFAULT_RECORD_START_MS, type RecordOptions, type Recording, type RecordedLine } from "./record/recorder";
