/**
 * `drainscope start`: serve the dashboard (what `npm start` runs). Builds the Next.js app first when no
 * build exists (or with --build), then runs `next start` bound to 127.0.0.1 unless told otherwise.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { boolFlag, parseArgs, stringFlag, UsageError, type ParsedArgs } from "../args";
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, clusterEnv } from "../cluster-flags";
import type { CliIo } from "../io";
import { checkLbConfig } from "./lb-config-check";
import { isLoopbackHost } from "../../http/loopback";

export const START_HELP = `Usage: drainscope start [options]

Starts the Drainscope dashboard.

Starts the watcher and the dashboard. It watches the clusters of your kubeconfig, as kubectl finds it.
Only when there is no kubeconfig and no in-cluster service account at all, or with --simulate, does it
watch the built-in SIMULATED cluster instead (playing the seed incidents in a loop). A cluster that
fails (unreachable, TLS, 401, 403, unknown context) is never replaced by the simulator: the error and
how to fix it are printed here and shown on the dashboard, the watcher retries with backoff, and the
time it could not watch is recorded as a gap.

Options:
${CLUSTER_FLAGS_HELP}
  --simulate [SCENARIO]   watch the simulated cluster instead of a real one (default: a demo playlist)
  --speed N               simulated time runs N× faster (default 1)
  --host ADDRESS          listen address (default: DRAINSCOPE_HOST or 127.0.0.1)
  --port N                listen port (default: PORT or 3000)
  --build                 rebuild the web app before starting
  --lb-config FILE        LB sources to poll (HAProxy, Envoy, BIG-IP, ingress-nginx), YAML or JSON
                          (DRAINSCOPE_LB_CONFIG)
  -h, --help              show this help

Examples:
  drainscope start -n shop --context prod-eu --context prod-us   # shop in both clusters
  drainscope start --kubeconfig ~/.kube/staging -A

Listening beyond loopback needs DRAINSCOPE_AUTH_TOKEN to be set.
`;

const SPEC = {
  ...CLUSTER_FLAGS,
  simulate: { type: "boolean" },
  scenario: { type: "string" },
  speed: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  build: { type: "boolean" },
  "lb-config": { type: "string" },
  help: { type: "boolean", alias: "h" },
} as const;

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const NEXT_BIN = fileURLToPath(new URL("../../../node_modules/next/dist/bin/next", import.meta.url));

function run(args: readonly string[], env: NodeJS.ProcessEnv, script = NEXT_BIN): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env, stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 0 : 1));
    });
  });
}

export interface StartSettings {
  readonly host: string;
  readonly port: string;
  readonly build: boolean;
  /** The server process's environment: the caller's, with the flags written over it. */
  readonly env: Record<string, string | undefined>;
}

/** Flags and environment → what to start. Throws UsageError. */
export function startSettings(args: ParsedArgs, callerEnv: Readonly<Record<string, string | undefined>>): StartSettings {
  if (args.positionals.length > 0 && !boolFlag(args, "simulate")) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
  const host = stringFlag(args, "host") ?? callerEnv.DRAINSCOPE_HOST ?? "127.0.0.1";
  const port = stringFlag(args, "port") ?? callerEnv.PORT ?? "3000";
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) throw new UsageError(`port must be a number from 0 to 65535, got "${port}"`);
  const env: Record<string, string | undefined> = { ...clusterEnv(args, callerEnv), NEXT_TELEMETRY_DISABLED: "1", DRAINSCOPE_HOST: host, PORT: port };
  const scenario = stringFlag(args, "scenario") ?? (boolFlag(args, "simulate") ? args.positionals[0] : undefined);
  if (boolFlag(args, "simulate") || scenario) env.DRAINSCOPE_SIMULATE = scenario ?? "demo";
  const speed = stringFlag(args, "speed");
  if (speed !== undefined) env.DRAINSCOPE_SIM_SPEED = speed;
  // The server runs in the project folder: a relative path must be resolved where the user called us.
  const lbConfig = stringFlag(args, "lb-config") ?? env.DRAINSCOPE_LB_CONFIG;
  if (lbConfig) env.DRAINSCOPE_LB_CONFIG = resolve(lbConfig);
  return { host, port, build: boolFlag(args, "build"), env };
}

export async function startCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  let s: StartSettings;
  try {
    args = parseArgs(argv, SPEC);
    if (boolFlag(args, "help")) {
      io.out(START_HELP);
      return 0;
    }
    s = startSettings(args, io.env);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`drainscope start: ${e.message}\n\n${START_HELP}`);
      return 2;
    }
    throw e;
  }
  const { host, port } = s;
  // The server process inherits this process's environment (io.env is it, outside tests), flags over it.
  const env: NodeJS.ProcessEnv = { ...process.env, ...s.env };
  if (!isLoopbackHost(host) && !env.DRAINSCOPE_AUTH_TOKEN) {
    io.err(`drainscope start: refusing to listen on ${host} without DRAINSCOPE_AUTH_TOKEN: anyone who can reach it would see your cluster's history. Set a token or put an authenticating proxy in front and listen on 127.0.0.1.\n`);
    return 2;
  }
  const lbProblem = checkLbConfig(env);
  if (lbProblem) {
    io.err(`drainscope start: ${lbProblem}\n`);
    return 2;
  }
  // The container image ships Next's standalone server (built beforehand) instead of `next start`.
  const standaloneServer = env.DRAINSCOPE_NEXT_SERVER;
  if (standaloneServer) {
    io.err(`drainscope: dashboard on http://${host.includes(":") ? `[${host}]` : host}:${port}\n`);
    return run([], { ...env, HOSTNAME: host }, standaloneServer);
  }
  if (s.build || !existsSync(`${ROOT}.next/BUILD_ID`)) {
    io.err("drainscope: building the web app (first start only; takes about half a minute)…\n");
    const code = await run(["build"], env);
    if (code !== 0) {
      io.err(`drainscope start: the web app build failed (exit ${code})\n`);
      return code;
    }
  }
  io.err(`drainscope: dashboard on http://${host.includes(":") ? `[${host}]` : host}:${port}\n`);
  return run(["start", "--hostname", host, "--port", port], env);
}
