/**
 * The part of `drainscope watch` that runs the runtime: loaded only where it runs (in the watch thread
 * when the CLI is bundled, see watch.ts), so the launching thread never loads the runtime's modules.
 */
import { ConfigError, loadConfig } from "../../config";
import { createLog, wantsJsonLogs } from "../../runtime/logger";
import { startRuntime, systemEffects, RuntimeError } from "../../runtime/runtime";
import type { CliIo } from "../io";

/**
 * The page cache (KiB) of a process that only writes: the store's 64 MiB default serves the dashboard's
 * reads, and a watcher that never reads history would fill it with pages nobody reads again (−65 to
 * −75 MB RSS for 10,000 pods, no CPU cost that shows, also on a store holding earlier rollouts; see
 * docs/benchmarks.md, "Issue 15 (third pass): watcher memory").
 */
export const WATCH_SQLITE_CACHE_KIB = 2048;

/** Runs the runtime until `stopRequested` resolves (asked for once the runtime is up); the exit code. */
export async function runWatch(env: Record<string, string | undefined>, io: CliIo, stderrIsTTY: boolean, stopRequested: () => Promise<void>): Promise<number> {
  try {
    const { startBuiltInSimulation } = await import("../../runtime/simulation");
    const runtime = await startRuntime(loadConfig(env), { env, log: createLog({ write: io.err, isTTY: stderrIsTTY }, wantsJsonLogs({ write: io.err, isTTY: stderrIsTTY }, env)), effects: systemEffects, startSimulation: startBuiltInSimulation, sqliteCacheKiB: WATCH_SQLITE_CACHE_KIB });
    await stopRequested();
    io.err("drainscope watch: stopping (flushing the store)…\n");
    await runtime.stop();
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof RuntimeError) {
      io.err(`drainscope watch: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
