/**
 * One runtime per server process. Next.js compiles instrumentation.ts and each route handler into
 * separate module graphs, so module state is not shared between them: the runtime hangs off
 * globalThis under a registered symbol instead. The first caller starts it; everyone awaits the same promise.
 */
import { loadConfig } from "../config";
import { processLog } from "./logger";
import { startRuntime, systemEffects, type Runtime, type SimulationStarter } from "./runtime";

const KEY = Symbol.for("drainscope.runtime");

type Slot = { promise?: Promise<Runtime> };

function slot(): Slot {
  const g = globalThis as typeof globalThis & { [KEY]?: Slot };
  g[KEY] ??= {};
  return g[KEY];
}

async function defaultSimulation(): Promise<SimulationStarter | undefined> {
  try {
    const mod = await import("./simulation");
    return mod.startBuiltInSimulation;
  } catch {
    return undefined;
  }
}

/** Use this runtime for the process (`drainscope watch`, tests) instead of starting one from the environment. */
export function installRuntime(runtime: Promise<Runtime> | undefined): void {
  slot().promise = runtime;
}

/**
 * Makes `runtime` the process's one when there is none yet (`drainscope watch` starts its runtime without the
 * registry, and the ingest listener's handlers look it up here). Returns the undo: only if it is still that one.
 */
export function installRuntimeIfNone(runtime: Runtime): () => void {
  const s = slot();
  if (s.promise) return () => undefined;
  const mine = Promise.resolve(runtime);
  s.promise = mine;
  return () => {
    if (s.promise === mine) s.promise = undefined;
  };
}

export function getRuntime(): Promise<Runtime> {
  const s = slot();
  s.promise ??= (async () => {
    const config = loadConfig(process.env);
    const startSimulation = await defaultSimulation();
    const runtime = await startRuntime(config, {
      env: process.env,
      log: processLog(),
      effects: systemEffects,
      warmReads: true,
      ...(startSimulation ? { startSimulation } : {}),
    });
    const stop = () => {
      void runtime.stop().finally(() => process.exit(0));
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    return runtime;
  })();
  // A failed start is reported to every caller, and retried by the next one.
  s.promise.catch(() => {
    s.promise = undefined;
  });
  return s.promise;
}
