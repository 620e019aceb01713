/**
 * Seeds 001, 003 and 004 with the LB sub-lanes read by the real LB source code instead of the
 * simulator's member-record stream: the runtime watches the simulated cluster as usual, but LB members
 * come only from
 *
 * - 001 keepalive-503: the HAProxy poller on the simulator's Runtime API view of the cloud LB
 *   (127.0.0.1:3337) and the Envoy admin poller on the gateway's /clusters?format=json;
 * - 003 lb-late-removal: the BIG-IP poller on the "bigip" LB's iControl REST view;
 * - 004 ipvs-weight-zero: the IPVS node agent reading the simulated table (ipvsadm -Ln format) and
 *   handing its ingest bodies to the ingest conversion.
 *
 * Pollers run on the simulator's virtual clock every 500 ms, so a change is known to within 500 ms;
 * each scenario must still yield exactly its declared windows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lbToEvents } from "../../lib/ingest/to-events";
import type { LifecycleEvent } from "../../lib/model/events";
import { loadConfig } from "../config";
import { allConnected, countByRule, timelineViaApi, waitFor, type StoreTarget } from "../integration/harness";
import { SIMULATED_CLUSTER, startRuntime, systemEffects, type SimulationStarter } from "../runtime/runtime";
import { findScenario, startSimulatedCluster, type SimulatedCluster } from "../sim";
import { startHaproxyRuntimeView } from "../sim/dataplanes/haproxy-runtime-view";
import { bigipSource } from "./bigip-source";
import { envoySource } from "./envoy-poller";
import { haproxySource } from "./haproxy-source";
import { httpGet } from "./http-source";
import { createIpvsAgent } from "./ipvs-agent";
import { startLbPoller, type LbPoller, type LbSource } from "./poller";

const SPEED = 100;
const POLL_MS = 500;
const HAPROXY_VIEW_PORT = 3337;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Wiring {
  /** Data planes that must exist before the sources start (they are created by the scenario script). */
  readonly planes: readonly string[];
  start(sim: SimulatedCluster, sink: (events: LifecycleEvent[]) => void, poll: (source: LbSource) => LbPoller): Promise<() => Promise<void>>;
}

async function runThroughPollers(name: string, wiring: Wiring) {
  const scenario = findScenario(name);
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const dir = mkdtempSync(join(tmpdir(), "ds-lbscn-"));
  dirs.push(dir);
  const target: StoreTarget = { kind: "sqlite", dataDir: dir };
  let sim: SimulatedCluster | undefined;
  let sink: ((events: LifecycleEvent[]) => void) | undefined;
  // The simulated cluster without followMembers: no LB member record reaches the store but through a poller.
  const starter: SimulationStarter = async (scenarioName, speed, hooks) => {
    const s = await startSimulatedCluster({ scenario: scenarioName, speed, startMs: Date.now() - 2 * 3600_000 });
    sim = s;
    sink = hooks?.sink;
    return { scenario: scenarioName ?? "none", kubeconfigPath: s.kubeconfigPath, apiUrl: s.url, envoyAdminUrls: [], now: () => s.now(), stop: () => s.stop() };
  };
  const runtime = await startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_SIMULATE: name, DRAINSCOPE_SIM_SPEED: String(SPEED) }), { env: {}, log: () => {}, effects: systemEffects, startSimulation: starter });
  let from = 0;
  let to = 0;
  const gaps: string[] = [];
  try {
    if (!sim || !sink) throw new Error("the simulation did not start");
    const s = sim;
    const store = sink;
    await waitFor(() => allConnected(runtime), 10_000, "the watches to connect");
    from = s.now();
    const round = s.runScenario(name);
    await waitFor(() => wiring.planes.every((p) => s.cluster.dataPlanes().some((d) => d.name === p)), 10_000, `data planes ${wiring.planes.join(", ")}`, 2);
    const pollers: LbPoller[] = [];
    const poll = (source: LbSource) => {
      const p = startLbPoller({
        source,
        cluster: SIMULATED_CLUSTER,
        namespace: scenario.namespace,
        intervalMs: POLL_MS,
        now: () => s.now(),
        sleep: (ms) => s.clock.sleep(ms),
        sink: store,
        log: (l) => gaps.push(l),
      });
      pollers.push(p);
      return p;
    };
    const stopWiring = await wiring.start(s, store, poll);
    await round;
    await s.clock.sleep(2000);
    await Promise.all(pollers.map((p) => p.stop()));
    await stopWiring();
    to = s.now();
    for (const p of pollers) expect({ source: p.health.name, errors: p.health.errors, gaps: p.health.gaps }).toEqual({ source: p.health.name, errors: 0, gaps: 0 });
    expect(pollers.every((p) => p.health.polls > 10)).toBe(true);
    // Let the watcher deliver what it has.
    let last = -1;
    await waitFor(() => {
      const n = runtime.clusters().reduce((k, c) => k + c.eventsIngested, 0);
      const quiet = n === last;
      last = n;
      return quiet;
    }, 20_000, "the watcher to go quiet", 300);
  } finally {
    await runtime.stop();
  }
  // Cluster-wide: a node agent does not know which namespace a real server's pod is in.
  const doc = await timelineViaApi(target, { cluster: SIMULATED_CLUSTER, from: String(Math.floor(from)), to: String(Math.ceil(to)) });
  return { scenario, doc, gaps };
}

const lbLanes = (doc: Awaited<ReturnType<typeof runThroughPollers>>["doc"]) => doc.lanes.flatMap((p) => p.lbMembers.map((l) => `${l.lbSource} ${l.lb}`));

describe("seed scenarios through the real LB pollers", () => {
  it(
    "001 keepalive-503: HAProxy Runtime API view of the cloud LB + Envoy admin of the gateway",
    async () => {
      const r = await runThroughPollers("keepalive-503", {
        planes: ["cloud-lb", "gateway"],
        async start(sim, _sink, poll) {
          const view = await startHaproxyRuntimeView(sim.cluster.members, (rec) => rec.object.spec.lb === "cloud-lb", HAPROXY_VIEW_PORT);
          poll(haproxySource({ name: "cloud-lb", address: view.address, service: "app" }));
          poll(envoySource({ name: "gateway", url: `${sim.url}/__sim/dataplanes/gateway`, get: httpGet }));
          return () => view.stop();
        },
      });
      expect(r.gaps).toEqual([]);
      expect(countByRule(r.doc)).toEqual(r.scenario.expectedCounts);
      const drain = r.doc.riskWindows.find((w) => w.rule === "drain-outlives-pod");
      expect(drain?.lb).toBe("keepalive-503.cloud-lb (haproxy)");
      expect(new Set(lbLanes(r.doc))).toEqual(new Set(["haproxy keepalive-503.cloud-lb"]));
    },
    60_000,
  );

  it(
    "003 lb-late-removal: BIG-IP iControl REST pool members of the late LB",
    async () => {
      const r = await runThroughPollers("lb-late-removal", {
        planes: ["bigip"],
        async start(sim, _sink, poll) {
          poll(bigipSource({ name: "bigip", url: `${sim.url}/__sim/dataplanes/bigip`, pools: [{ path: "/lb-late-removal/bigip", service: "web", namespace: "lb-late-removal" }] }));
          return async () => {};
        },
      });
      expect(r.gaps).toEqual([]);
      expect(countByRule(r.doc)).toEqual(r.scenario.expectedCounts);
      expect(r.doc.riskWindows.filter((w) => w.rule === "dead-but-routed").map((w) => w.lb)).toEqual(Array(3).fill("lb-late-removal/bigip (bigip)"));
    },
    60_000,
  );

  it(
    "004 ipvs-weight-zero: the IPVS node agent on the simulated table",
    async () => {
      const r = await runThroughPollers("ipvs-weight-zero", {
        planes: ["ipvs"],
        async start(sim, sink) {
          const agent = createIpvsAgent({
            readTable: () => httpGet(`${sim.url}/__sim/dataplanes/ipvs`, AbortSignal.timeout(2000)),
            post: async (body) => sink(lbToEvents(body, SIMULATED_CLUSTER, sim.now())),
            now: () => sim.now(),
            node: "node-1",
          });
          let stopped = false;
          let rounds = 0;
          const loop = (async () => {
            while (!stopped) {
              // Before kube-proxy knows the Service's cluster IP the table is not yet well formed: skip that round.
              await agent.pollOnce().then(() => rounds++, () => undefined);
              await sim.clock.sleep(POLL_MS);
            }
          })();
          return async () => {
            stopped = true;
            await loop;
            expect(rounds).toBeGreaterThan(100);
          };
        },
      });
      expect(countByRule(r.doc)).toEqual(r.scenario.expectedCounts);
      expect(new Set(lbLanes(r.doc)).size).toBe(1);
      expect(lbLanes(r.doc)[0]).toMatch(/^ipvs ipvs\/node-1\/10\.\d+\.\d+\.\d+:80$/);
    },
    90_000,
  );
});
