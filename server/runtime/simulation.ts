/** Adapter from the runtime to the built-in simulated cluster (server/sim). */
import { RuntimeError, type SimulationStarter } from "./runtime";

export const startBuiltInSimulation: SimulationStarter = async () => {
  throw new RuntimeError("the simulated cluster is not wired in yet");
};
