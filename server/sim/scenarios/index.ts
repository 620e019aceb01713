/** Every scenario by name, in the order `drainscope simulate --list` shows them. */
import { cleanRollout } from "./clean-rollout";
import { evictionWithPdb } from "./eviction-with-pdb";
import { forceDelete } from "./force-delete";
import { gatewaySyncLag } from "./gateway-sync-lag";
import { ipvsWeightZero } from "./ipvs-weight-zero";
import { keepalive503 } from "./keepalive-503";
import { largeRollout } from "./large-rollout";
import { lbLateRemoval } from "./lb-late-removal";
import { longConnectionSigkill } from "./long-connection-sigkill";
import { nodeDrainLocalPolicy } from "./node-drain-local-policy";
import { noPrestopRollout } from "./no-prestop-rollout";
import { probeRestart } from "./probe-restart";
import { scaleToZero } from "./scale-to-zero";
import type { Scenario } from "./types";

export type { ExpectedWindow, Scenario, ScenarioContext } from "./types";

export const SCENARIOS: readonly Scenario[] = [
  cleanRollout,
  noPrestopRollout,
  gatewaySyncLag,
  keepalive503,
  scaleToZero,
  nodeDrainLocalPolicy,
  lbLateRemoval,
  longConnectionSigkill,
  ipvsWeightZero,
  forceDelete,
  probeRestart,
  evictionWithPdb,
  largeRollout,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);
