/**
 * `drainscope watch`: the watcher alone, writing into the store (for deployments with one watcher per
 * cluster and a shared PostgreSQL behind several dashboard replicas). Ctrl-C stops it after a final flush.
 *
 * In the bundled CLI (the image) the runtime runs in a worker thread with a small young generation
 * (WATCH_YOUNG_GENERATION_MB): V8 fixes that size when an isolate is made, so a node flag would be the
 * only other way, and for the main thread it grew to 32 MB during a 10,000-pod rollout, mostly empty once
 * the burst was over. This thread only parses the arguments, passes the signals on and waits.
 * Unbundled (tsx, tests) the runtime runs in this thread.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import { boolFlag, parseArgs, stringFlag, UsageError } from "../args";
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, clusterEnv } from "../cluster-flags";
import type { CliIo } from "../io";
import { watcherHeapFlag } from "../../watcher/heap-flags";
import type { WatchThreadData, WatchThreadResult } from "./watch-thread";

/** The watch thread's young generation (V8: two semi-spaces and the new large-object space), MB. */
export const WATCH_YOUNG_GENERATION_MB = 12;

/** The watch thread's file, written next to the bundle's chunks by bin/bundle-cli.sh. */
export const WATCH_THREAD_FILE = "cli-watch-thread.mjs";

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
  const stderrIsTTY = process.stderr.isTTY === true;
  const thread = new URL(`./${WATCH_THREAD_FILE}`, import.meta.url);
  if (thread.protocol === "file:" && import.meta.url.endsWith(".mjs") && existsSync(fileURLToPath(thread))) return watchInThread(thread, { env, stderrIsTTY });
  const { runWatch } = await import("./watch-run");
  return runWatch(env, io, stderrIsTTY, untilSignal);
}

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

/** Runs the runtime in the watch thread until it ends; SIGINT/SIGTERM ask it to stop. The exit code. */
async function watchInThread(file: URL, data: WatchThreadData): Promise<number> {
  const worker = new Worker(file, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: WATCH_YOUNG_GENERATION_MB } });
  const stop = () => worker.postMessage("stop");
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let code: number | undefined;
  worker.on("message", (m: WatchThreadResult) => {
    code = m.code;
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      worker.once("error", reject);
      worker.once("exit", (exitCode) => resolve(code ?? (exitCode || 1)));
    });
  } finally {
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
  }
}
