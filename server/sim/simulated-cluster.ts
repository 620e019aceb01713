/**
 * A simulated Kubernetes cluster, ready to use: `startSimulatedCluster()` starts the control plane,
 * the loopback API server and writes a kubeconfig; `runScenario(name)` plays a scenario on it.
 *
 *   const sim = await startSimulatedCluster({ scenario: "clean-rollout", speed: 20 });
 *   // point the watcher at sim.kubeconfigPath …
 *   await sim.runScenario("clean-rollout");
 *   await sim.stop();
 *
 * Virtual time: `now()` is the clock every object timestamp is written on; at `speed` N it runs N× wall
 * time. Network: 127.0.0.1 only.
 */
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiServer, type SimTls } from "./api/api-server";
import type { SimAuth, SimAuthOptions } from "./api/auth";
import type { Faults } from "./api/faults";
import { writeKubeconfig } from "./api/kubeconfig";
import { loopScenario, runScenario, type LoopHandle } from "./cluster/run-scenario";
import { SimCluster } from "./cluster/sim-cluster";
import { dataPlaneUrls, simRoutes, type ScenarioStatus } from "./cluster/sim-routes";
import { createScaledClock, type SimClock } from "./core/clock";
import { findScenario, SCENARIO_NAMES } from "./scenarios";

export class UnknownScenarioError extends Error {
  override name = "UnknownScenarioError";
  constructor(name: string) {
    super(`unknown scenario "${name}" (known: ${SCENARIO_NAMES.join(", ")})`);
  }
}

export interface SimulatedClusterOptions {
  /** Scenario the cluster is shaped for (its node count and namespace in the kubeconfig). */
  readonly scenario?: string;
  /** Virtual ms per wall ms (default 1). */
  readonly speed?: number;
  /** Keep virtual time locked to the wall clock (for watchers in other processes; see createScaledClock). */
  readonly lockToWall?: boolean;
  /** Seed of every random choice (default 1). */
  readonly seed?: number;
  /** API server port; 0 (default) = ephemeral. */
  readonly port?: number;
  /** Where to write the kubeconfig (default: the OS temp dir, named after the port). */
  readonly kubeconfigPath?: string;
  /** Bearer token (default: random). */
  readonly token?: string;
  /** Virtual time at start, epoch ms (default: the wall clock now). */
  readonly startMs?: number;
  /** Worker nodes (default: the scenario's, else 3). */
  readonly nodes?: number;
  /** Watch history the API server keeps (default 20,000 changes). */
  readonly historyLimit?: number;
  /** Virtual ms between watch bookmarks (default 60 s). */
  readonly bookmarkIntervalMs?: number;
  /**
   * Serve the Kubernetes API to requests without credentials, as `system:anonymous`. Default false (401,
   * like a real apiserver). kubectl never sends a token to an `http://` server, so kubectl against the
   * default http simulator needs this (or `tls`).
   */
  readonly anonymousReads?: boolean;
  /** More tokens and RBAC-like rules (default: the kubeconfig's token may read everything). */
  readonly auth?: SimAuthOptions;
  /** Serve HTTPS (tests: certificates made with openssl); the kubeconfig then carries `tls.ca`. */
  readonly tls?: SimTls;
  /** A clock to run on instead of a scaled wall clock (tests). */
  readonly clock?: SimClock;
  /** Start with virtual time stopped until `resume()` (a recorder sets up its watches meanwhile). */
  readonly paused?: boolean;
  /** Progress lines (scenario notes). */
  readonly log?: (line: string) => void;
}

export interface SimulatedCluster {
  /** API server base URL, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  readonly port: number;
  readonly kubeconfigPath: string;
  readonly token: string;
  readonly speed: number;
  /** Virtual time, epoch ms: stamp `observedAt` with this. */
  now(): number;
  readonly clock: SimClock;
  readonly cluster: SimCluster;
  readonly faults: Faults;
  /** Tokens, rules and the audit log of the API server (revoke a token, forbid a resource). */
  readonly auth: SimAuth;
  /** URL of the LB member records (`?watch=true` streams them). */
  readonly membersUrl: string;
  /** Data plane name → URL of its read API (planes appear when a scenario adds them). */
  dataPlanes(): Record<string, string>;
  /** Play a scenario once; resolves when its script is done. */
  runScenario(name: string): Promise<void>;
  /** Play a scenario over and over until `stop()`. */
  loopScenario(name: string, pauseMs?: number): LoopHandle;
  scenarioStatus(): ScenarioStatus;
  /** Let virtual time run (after `paused: true`). */
  resume(): void;
  stop(): Promise<void>;
}

export async function startSimulatedCluster(o: SimulatedClusterOptions = {}): Promise<SimulatedCluster> {
  const scenario = o.scenario === undefined ? undefined : findScenario(o.scenario);
  if (o.scenario !== undefined && !scenario) throw new UnknownScenarioError(o.scenario);
  const clock = o.clock ?? createScaledClock({ startMs: o.startMs ?? Date.now(), speed: o.speed ?? 1, paused: o.paused, lockToWall: o.lockToWall });
  if (o.paused && o.clock) clock.pause();
  const cluster = new SimCluster({ clock, seed: o.seed ?? 1, nodes: o.nodes ?? scenario?.nodes ?? 3, historyLimit: o.historyLimit });
  const token = o.token ?? randomBytes(24).toString("hex");
  let status: ScenarioStatus = { name: scenario?.name, state: "idle", round: 0 };
  let baseUrl = "";
  const api = new ApiServer({
    store: cluster.store,
    clock,
    rng: cluster.rng.fork("api-server"),
    token,
    port: o.port ?? 0,
    bookmarkIntervalMs: o.bookmarkIntervalMs,
    anonymousReads: o.anonymousReads,
    auth: o.auth,
    tls: o.tls,
    simRoutes: simRoutes(cluster, () => baseUrl, () => status),
  });
  await api.listen();
  baseUrl = api.url;
  const kubeconfigPath = o.kubeconfigPath ?? join(tmpdir(), `drainscope-sim-${api.port}.kubeconfig`);
  await writeKubeconfig(kubeconfigPath, { server: api.url, token, namespace: scenario?.namespace, certificateAuthority: o.tls?.ca });
  const loops: LoopHandle[] = [];
  const log = o.log ?? (() => {});

  const resolve = (name: string) => {
    const s = findScenario(name);
    if (!s) throw new UnknownScenarioError(name);
    return s;
  };

  return {
    url: api.url,
    port: api.port,
    kubeconfigPath,
    token,
    speed: clock.speed,
    now: () => clock.now(),
    clock,
    cluster,
    faults: api.faults,
    auth: api.auth,
    membersUrl: `${api.url}/__sim/lb-members`,
    dataPlanes: () => dataPlaneUrls(cluster, api.url),
    async runScenario(name) {
      const s = resolve(name);
      status = { name: s.name, state: "running", round: status.round + 1 };
      try {
        await runScenario(cluster, s, { log });
        status = { ...status, state: "done" };
      } catch (error) {
        status = { ...status, state: "failed", error: error instanceof Error ? error.message : String(error) };
        throw error;
      }
    },
    loopScenario(name, pauseMs) {
      const s = resolve(name);
      status = { name: s.name, state: "running", round: 1 };
      const handle = loopScenario(cluster, s, {
        pauseMs,
        log: (line) => {
          const round = /round (\d+)$/.exec(line)?.[1];
          if (round) status = { name: s.name, state: "running", round: Number(round) };
          log(line);
        },
      });
      handle.done.catch((error: unknown) => {
        status = { ...status, state: "failed", error: error instanceof Error ? error.message : String(error) };
      });
      loops.push(handle);
      return handle;
    },
    scenarioStatus: () => status,
    resume: () => clock.resume(),
    async stop() {
      for (const l of loops) l.stop();
      await api.close();
      cluster.stop();
      clock.stop();
    },
  };
}
