/**
 * `drainscope simulate`: run the simulated Kubernetes cluster standalone, playing one scenario (once or
 * in a loop), so kubectl, the watcher or a dashboard can be pointed at it. Prints the kubeconfig path,
 * the API URL and the data-plane URLs; Ctrl-C (SIGINT/SIGTERM) stops it cleanly with exit 0.
 * Flags win over environment variables, which win over defaults.
 */
import { dataPlaneUrls } from "../../sim/cluster/sim-routes";
import { SCENARIOS, findScenario, startSimulatedCluster, type Scenario, type SimulatedCluster } from "../../sim/index";
import { boolFlag, numberFlag, parseArgs, stringFlag, UsageError, type ParsedArgs } from "../args";
import { processIo, type CliIo } from "../io";
import { parseFaultSchedule, startFaultSchedule, type FaultSchedule } from "../../sim/api/faults";

export const SIMULATE_HELP = `Usage: drainscope simulate --scenario NAME [options]
       drainscope simulate --list

Runs a simulated Kubernetes cluster on 127.0.0.1 that plays a scenario: a Deployment controller,
scheduler, kubelets (preStop, SIGTERM profiles, SIGKILL, exit codes), the EndpointSlice controller and
data planes (kube-proxy, an Envoy gateway, discovery, IPVS, cloud LBs). It writes a kubeconfig that
kubectl and the watcher accept, e.g.  kubectl --kubeconfig PATH get pods -w
                                      drainscope start --kubeconfig PATH

Options:
  --scenario NAME     scenario to play (see --list)            env DRAINSCOPE_SIM_SCENARIO
  --speed N           virtual time runs N× wall time (default 1)  env DRAINSCOPE_SIM_SPEED
  --port N            API server port (default 0: any free port) env DRAINSCOPE_SIM_PORT
  --write-kubeconfig PATH
                      where to write the kubeconfig              env DRAINSCOPE_SIM_KUBECONFIG
                      (default: the OS temp dir, drainscope-sim-PORT.kubeconfig;
                      --kubeconfig PATH is the old, deprecated spelling)
  --seed N            seed of every random choice (default 1)    env DRAINSCOPE_SIM_SEED
  --faults LIST       inject these faults in turn, to see each in the UI:
                      drop-watches, expire-next, fail-next, malformed-line,
                      stall-watches, restart, forbid, empty-watches,
                      huge-line (comma-separated)                env DRAINSCOPE_SIM_FAULTS
  --fault-every S     seconds between two faults (default 30)    env DRAINSCOPE_SIM_FAULT_EVERY
  --loop              play the scenario over and over
  --list              list the scenarios and the risk windows each must produce
  -h, --help          show this help

Stop with Ctrl-C. Exit status: 0 stopped, 1 the scenario failed, 2 bad usage.
`;

const SPEC = {
  scenario: { type: "string" },
  speed: { type: "string" },
  port: { type: "string" },
  "write-kubeconfig": { type: "string" },
  /** Deprecated spelling of --write-kubeconfig (every other command reads the kubeconfig it names). */
  kubeconfig: { type: "string" },
  seed: { type: "string" },
  loop: { type: "boolean" },
  faults: { type: "string" },
  "fault-every": { type: "string" },
  list: { type: "boolean" },
  help: { type: "boolean", alias: "h" },
} as const;

interface Settings {
  readonly scenario: Scenario;
  readonly speed: number;
  readonly port: number;
  readonly seed: number;
  readonly kubeconfig: string | undefined;
  readonly loop: boolean;
  readonly faults: FaultSchedule;
}

/** A flag, else its environment variable, parsed as a number within bounds. */
function numberSetting(args: ParsedArgs, env: CliIo["env"], flag: string, variable: string, o: { min: number; max?: number; fallback: number }): number {
  const fromFlag = numberFlag(args, flag, o);
  if (fromFlag !== undefined) return fromFlag;
  const raw = env[variable];
  if (raw === undefined || raw === "") return o.fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < o.min || (o.max !== undefined && n > o.max)) throw new UsageError(`${variable} must be a number ≥ ${o.min}, got "${raw}"`);
  return n;
}

function settings(args: ParsedArgs, env: CliIo["env"]): Settings {
  const name = stringFlag(args, "scenario") ?? env.DRAINSCOPE_SIM_SCENARIO;
  if (!name) throw new UsageError("--scenario NAME is required (see --list)");
  const scenario = findScenario(name);
  if (!scenario) throw new UsageError(`unknown scenario "${name}" (see --list)`);
  const speed = numberSetting(args, env, "speed", "DRAINSCOPE_SIM_SPEED", { min: 0.01, max: 10_000, fallback: 1 });
  const port = numberSetting(args, env, "port", "DRAINSCOPE_SIM_PORT", { min: 0, max: 65_535, fallback: 0 });
  const seed = numberSetting(args, env, "seed", "DRAINSCOPE_SIM_SEED", { min: 0, fallback: 1 });
  if (!Number.isInteger(port)) throw new UsageError("--port must be an integer");
  let faults: FaultSchedule;
  try {
    faults = parseFaultSchedule(stringFlag(args, "faults") ?? env.DRAINSCOPE_SIM_FAULTS ?? "", stringFlag(args, "fault-every") ?? env.DRAINSCOPE_SIM_FAULT_EVERY);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  return { faults, scenario, speed, port, seed, kubeconfig: stringFlag(args, "write-kubeconfig") ?? stringFlag(args, "kubeconfig") ?? env.DRAINSCOPE_SIM_KUBECONFIG, loop: boolFlag(args, "loop") };
}

export function formatScenarioList(): string {
  const rows = SCENARIOS.map((s) => {
    const windows = Object.entries(s.expectedCounts).map(([rule, n]) => `${rule} ×${n}`).join(", ") || "none";
    return `  ${s.name.padEnd(26)}${(s.incident ? `seed ${s.incident}` : "").padEnd(10)}${s.title}\n  ${"".padEnd(36)}windows: ${windows}\n`;
  });
  return `Scenarios:\n${rows.join("")}`;
}

function banner(sim: SimulatedCluster, s: Settings): string {
  return [
    `Simulated cluster playing "${s.scenario.name}" (speed ${s.speed}×, seed ${s.seed}${s.loop ? ", looping" : ""})`,
    `  kubeconfig:  ${sim.kubeconfigPath}`,
    `  API server:  ${sim.url}  (port ${sim.port})`,
    `  namespace:   ${s.scenario.namespace}`,
    `  LB members:  ${sim.membersUrl}?watch=true  (token in the kubeconfig)`,
    `  try:         kubectl --kubeconfig ${sim.kubeconfigPath} get pods -w`,
    `  watch it:    drainscope start --kubeconfig ${sim.kubeconfigPath}`,
    "",
  ].join("\n");
}

/** Resolves when Ctrl-C (or the given signal) asks to stop. */
function stopRequested(signal: AbortSignal | undefined): { promise: Promise<void>; dispose: () => void } {
  if (signal) {
    return { promise: signal.aborted ? Promise.resolve() : new Promise((r) => signal.addEventListener("abort", () => r(), { once: true })), dispose: () => {} };
  }
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  const onSignal = (): void => resolve();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return { promise, dispose: () => (process.off("SIGINT", onSignal), process.off("SIGTERM", onSignal)) };
}

export async function simulateCommand(argv: readonly string[], io: CliIo = processIo(), signal?: AbortSignal): Promise<number> {
  let args: ParsedArgs;
  let s: Settings;
  try {
    args = parseArgs(argv, SPEC);
    if (boolFlag(args, "help")) {
      io.out(SIMULATE_HELP);
      return 0;
    }
    if (boolFlag(args, "list")) {
      io.out(formatScenarioList());
      return 0;
    }
    s = settings(args, io.env);
    if (stringFlag(args, "kubeconfig") !== undefined) io.err("drainscope simulate: --kubeconfig is deprecated here, use --write-kubeconfig PATH\n");
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`drainscope simulate: ${error.message}\n\n${SIMULATE_HELP}`);
    return 2;
  }

  const stop = stopRequested(signal);
  let virtualNow = (): number => Date.now();
  const sim = await startSimulatedCluster({
    scenario: s.scenario.name,
    speed: s.speed,
    // At real time the watcher is usually another process (kubectl, drainscope start) stamping with its
    // own clock: keep the objects' timestamps on the wall clock.
    lockToWall: s.speed === 1,
    port: s.port,
    seed: s.seed,
    kubeconfigPath: s.kubeconfig,
    // kubectl sends no credentials to an http:// server: let it read as system:anonymous, so the printed
    // kubectl line works. Our watcher sends the kubeconfig's token either way.
    anonymousReads: true,
    log: (line) => io.out(`  [${new Date(Math.floor(virtualNow())).toISOString()}] ${line}\n`),
  });
  virtualNow = () => sim.now();
  io.out(banner(sim, s));
  const stopFaults = startFaultSchedule(sim.faults, s.faults, (line) => io.out(`  [${new Date(Math.floor(virtualNow())).toISOString()}] ${line}\n`));
  if (s.faults.faults.length) io.out(`  faults:      ${s.faults.faults.map((f) => f.fault).join(", ")}, one every ${s.faults.everyMs / 1000} s\n`);
  const printed = new Set<string>();
  const unsubscribe = sim.cluster.onDataPlaneAdded(() => {
    for (const [name, url] of Object.entries(dataPlaneUrls(sim.cluster, sim.url))) {
      if (!printed.has(name)) io.out(`  data plane:  ${name.padEnd(12)} ${url}\n`);
      printed.add(name);
    }
  });
  let code = 0;
  try {
    const finished = s.loop
      ? sim.loopScenario(s.scenario.name).done
      : sim.runScenario(s.scenario.name).then(() => io.out(`Scenario "${s.scenario.name}" finished; still serving. Ctrl-C to stop.\n`));
    // Settles only if the scenario fails; a finished scenario keeps the cluster up until Ctrl-C.
    const failure = new Promise<unknown>((resolve) => void finished.then(undefined, resolve));
    const outcome = await Promise.race([stop.promise.then(() => ({ failed: false, error: undefined })), failure.then((error) => ({ failed: true, error }))]);
    if (outcome.failed) {
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      io.err(`drainscope simulate: scenario "${s.scenario.name}" failed: ${message}\n`);
      code = 1;
    }
  } finally {
    unsubscribe();
    stopFaults();
    stop.dispose();
    await sim.stop();
  }
  io.out("Simulated cluster stopped.\n");
  return code;
}
