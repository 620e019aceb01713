/**
 * `drainscope watch`: the watcher alone, writing into the store (for deployments with one watcher per
 * cluster and a shared PostgreSQL behind several dashboard replicas). Ctrl-C stops it after a final flush.
 */
import { resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { ConfigError, loadConfig } from "../../config";
import { createLog, wantsJsonLogs } from "../../runtime/logger";
import { startRuntime, systemEffects, RuntimeError } from "../../runtime/runtime";
import { boolFlag, parseArgs, stringFlag, UsageError } from "../args";
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, clusterEnv } from "../cluster-flags";
import type { CliIo } from "../io";
import { watcherHeapFlag } from "../../watcher/heap-flags";

export const WATCH_HELP = `Usage: drainscope watch [options]

Runs the cluster watcher without the dashboard, recording into the store (DATABASE_URL or the SQLite
file in DRAINSCOPE_DATA_DIR).

It watches the clusters of your kubeconfig, as kubectl finds it; the built-in simulated cluster only
with --simulate, or when there is no kubeconfig and no in-cluster service account at all. A cluster
that fails (unreachable, TLS, 401, 403, unknown context) is reported here with how to fix it, retried
with backoff, and the time it could not be watched is recorded as a gap.

Options:
${CLUSTER_FLAGS_HELP}
  --simulate [SCENARIO]   watch the built-in simulated cluster (default: a demo playlist)
  --lb-config FILE        LB sources to poll, YAML or JSON (DRAINSCOPE_LB_CONFIG)
  -h, --help              show this help
`;

/**
 * The page cache (KiB) of a process that only writes: the store's 64 MiB default is for the dashboard's
 * reads. For 10,000 pods 8 MiB saved 60–70 MB RSS and no CPU; 2 MiB saved 5 MB more but cost about 15 %
 * more CPU on a quiet machine (docs/benchmarks.md, "Issue 15 (third pass): watcher memory").
 */
export const WATCH_SQLITE_CACHE_KIB = 8192;

const SPEC = {
  ...CLUSTER_FLAGS,
  simulate: { type: "boolean" },
  "lb-config": { type: "string" },
  help: { type: "boolean", alias: "h" },
} as const;

export async function watchCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let env: Record<string, string | undefined>;
  try {
    const args = parseArgs(argv, SPEC);
    if (boolFlag(args, "help")) {
      io.out(WATCH_HELP);
      return 0;
    }
    if (args.positionals.length > 0 && !boolFlag(args, "simulate")) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
    env = clusterEnv(args, io.env);
    if (boolFlag(args, "simulate")) env.DRAINSCOPE_SIMULATE = args.positionals[0] ?? "demo";
    const lbConfig = stringFlag(args, "lb-config");
    if (lbConfig !== undefined) env.DRAINSCOPE_LB_CONFIG = resolve(lbConfig);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`drainscope watch: ${e.message}\n\n${WATCH_HELP}`);
      return 2;
    }
    throw e;
  }
  // A process that only watches: a tighter old-generation growth (server/watcher/heap-flags.ts).
  const heapFlag = watcherHeapFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (heapFlag) setFlagsFromString(heapFlag);
  try {
    const { startBuiltInSimulation } = await import("../../runtime/simulation");
    const runtime = await startRuntime(loadConfig(env), { env, log: createLog({ write: io.err, isTTY: process.stderr.isTTY }, wantsJsonLogs(process.stderr, env)), effects: systemEffects, startSimulation: startBuiltInSimulation, sqliteCacheKiB: WATCH_SQLITE_CACHE_KIB });
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
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
