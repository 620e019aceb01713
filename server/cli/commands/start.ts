/**
 * `drainscope start`: serve the dashboard (what `npm start` runs). Builds the Next.js app first when no
 * build exists (or with --build), then runs `next start` bound to 127.0.0.1 unless told otherwise.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { boolFlag, listFlag, parseArgs, stringFlag, UsageError } from "../args";
import type { CliIo } from "../io";

export const START_HELP = `Usage: drainscope start [options]

Starts the Drainscope dashboard.

Starts the watcher and the dashboard. With no reachable cluster (no kubeconfig, or its API server does
not answer) it watches the built-in simulated cluster instead, playing the seed incidents in a loop.

Options:
  --context NAME        kube context to watch, each its own cluster (repeatable; default: current context)
  --namespace NS        namespace to watch (repeatable; default: all)
  --simulate [SCENARIO] watch the simulated cluster even if a real one is reachable (default: a demo playlist)
  --speed N             simulated time runs N× faster (default 1)
  --host ADDRESS        listen address (default: DRAINSCOPE_HOST or 127.0.0.1)
  --port N              listen port (default: PORT or 3000)
  --build               rebuild the web app before starting
  -h, --help            show this help

Listening beyond loopback needs DRAINSCOPE_AUTH_TOKEN to be set.
`;

const SPEC = {
  context: { type: "string", repeat: true },
  namespace: { type: "string", repeat: true },
  simulate: { type: "boolean" },
  scenario: { type: "string" },
  speed: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  build: { type: "boolean" },
  help: { type: "boolean", alias: "h" },
} as const;

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const NEXT_BIN = fileURLToPath(new URL("../../../node_modules/next/dist/bin/next", import.meta.url));

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, ...args], { cwd: ROOT, env, stdio: "inherit" });
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

export async function startCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, SPEC);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`drainscope start: ${e.message}\n\n${START_HELP}`);
      return 2;
    }
    throw e;
  }
  if (boolFlag(args, "help")) {
    io.out(START_HELP);
    return 0;
  }
  const host = stringFlag(args, "host") ?? io.env.DRAINSCOPE_HOST ?? "127.0.0.1";
  const port = stringFlag(args, "port") ?? io.env.PORT ?? "3000";
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) {
    io.err(`drainscope start: port must be a number from 0 to 65535, got "${port}"\n`);
    return 2;
  }
  if (!LOOPBACK.has(host) && !io.env.DRAINSCOPE_AUTH_TOKEN) {
    io.err(`drainscope start: refusing to listen on ${host} without DRAINSCOPE_AUTH_TOKEN: anyone who can reach it would see your cluster's history. Set a token or put an authenticating proxy in front and listen on 127.0.0.1.\n`);
    return 2;
  }
  // Flags become the server process's environment (flags win over the environment).
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DRAINSCOPE_HOST: host, PORT: port };
  const contexts = listFlag(args, "context");
  const namespaces = listFlag(args, "namespace");
  if (contexts.length) env.DRAINSCOPE_CONTEXTS = contexts.join(",");
  if (namespaces.length) env.DRAINSCOPE_NAMESPACES = namespaces.join(",");
  const scenario = stringFlag(args, "scenario") ?? (boolFlag(args, "simulate") ? args.positionals[0] : undefined);
  if (boolFlag(args, "simulate") || scenario) env.DRAINSCOPE_SIMULATE = scenario ?? "demo";
  const speed = stringFlag(args, "speed");
  if (speed !== undefined) env.DRAINSCOPE_SIM_SPEED = speed;
  if (boolFlag(args, "build") || !existsSync(`${ROOT}.next/BUILD_ID`)) {
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
