/**
 * `drainscope watch`: the watcher alone, writing into the store (for deployments with one watcher per
 * cluster and a shared PostgreSQL behind several dashboard replicas). Ctrl-C stops it after a final flush.
 */
import { ConfigError, loadConfig } from "../../config";
import { startRuntime, systemEffects, RuntimeError } from "../../runtime/runtime";
import { boolFlag, listFlag, parseArgs, UsageError } from "../args";
import type { CliIo } from "../io";

export const WATCH_HELP = `Usage: drainscope watch [options]

Runs the cluster watcher without the dashboard, recording into the store (DATABASE_URL or the SQLite
file in DRAINSCOPE_DATA_DIR).

Options:
  --context NAME        kube context to watch (repeatable; default: current context)
  --namespace NS        namespace to watch (repeatable; default: all)
  --simulate [SCENARIO] watch the built-in simulated cluster
  -h, --help            show this help
`;

const SPEC = {
  context: { type: "string", repeat: true },
  namespace: { type: "string", repeat: true },
  simulate: { type: "boolean" },
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
    env = { ...io.env };
    const contexts = listFlag(args, "context");
    const namespaces = listFlag(args, "namespace");
    if (contexts.length) env.DRAINSCOPE_CONTEXTS = contexts.join(",");
    if (namespaces.length) env.DRAINSCOPE_NAMESPACES = namespaces.join(",");
    if (boolFlag(args, "simulate")) env.DRAINSCOPE_SIMULATE = args.positionals[0] ?? "demo";
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`drainscope watch: ${e.message}\n\n${WATCH_HELP}`);
      return 2;
    }
    throw e;
  }
  try {
    const { startBuiltInSimulation } = await import("../../runtime/simulation");
    const runtime = await startRuntime(loadConfig(env), { env, log: (l) => io.err(`${l}\n`), effects: systemEffects, startSimulation: startBuiltInSimulation });
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
