/**
 * Shared plumbing for the integration tests: the real runtime (store, batcher, cluster watcher over
 * HTTP) pointed at a fresh simulated cluster that plays one scenario round, with the simulator's LB
 * member records streamed into the same sink — as `startBuiltInSimulation` does, but one round instead
 * of a loop, and with the SimulatedCluster handed to the test so it can inject faults.
 */
import { followMembers } from "../runtime/simulation";
import type { LifecycleEvent } from "../../lib/model/events";
import { loadConfig } from "../config";
import { getTimelineHandler } from "../http/handlers";
import type { TimelineDocument } from "../queries/timeline";
import { installRuntime } from "../runtime/registry";
import { SIMULATED_CLUSTER, startRuntime, systemEffects, type Runtime, type SimulationStarter } from "../runtime/runtime";
import { findScenario, startSimulatedCluster, type Scenario, type SimulatedCluster } from "../sim";
import { openStore } from "../store/open-store";
import type { Store } from "../store/types";
import type { LoopTuning } from "../watcher/list-watch";

export { SIMULATED_CLUSTER };

export type StoreTarget = { readonly kind: "sqlite"; readonly dataDir: string } | { readonly kind: "postgres"; readonly dataDir: string; readonly databaseUrl: string };

export interface Harness {
  readonly runtime: Runtime;
  readonly sim: SimulatedCluster;
  readonly scenario: Scenario;
  /** LB member records received so far. */
  members(): number;
}

export interface HarnessOptions {
  readonly scenario: string;
  readonly store: StoreTarget;
  readonly speed: number;
  /** Virtual start; default two hours before the wall clock so the whole run stays in the past. */
  readonly startMs?: number;
  readonly tuning?: Partial<LoopTuning>;
  readonly bookmarkIntervalMs?: number;
  /** Reuse a running simulated cluster (a runtime restart): the runtime's stop() then leaves it running. */
  readonly sim?: SimulatedCluster;
  readonly log?: (line: string) => void;
}


export function storeEnv(store: StoreTarget): Record<string, string> {
  return { DRAINSCOPE_DATA_DIR: store.dataDir, ...(store.kind === "postgres" ? { DATABASE_URL: store.databaseUrl } : {}) };
}

export async function startHarness(o: HarnessOptions): Promise<Harness> {
  const scenario = findScenario(o.scenario);
  if (!scenario) throw new Error(`unknown scenario ${o.scenario}`);
  let sim: SimulatedCluster | undefined = o.sim;
  let members = 0;
  const starter: SimulationStarter = async (name, speed, hooks) => {
    const owned = !o.sim;
    const s =
      o.sim ??
      (await startSimulatedCluster({
        scenario: name,
        speed,
        startMs: o.startMs ?? Date.now() - 2 * 3600_000,
        ...(o.bookmarkIntervalMs ? { bookmarkIntervalMs: o.bookmarkIntervalMs } : {}),
      }));
    sim = s;
    const controller = new AbortController();
    if (hooks?.sink) followMembers(s, hooks.cluster ?? SIMULATED_CLUSTER, hooks.sink, controller.signal, () => members++);
    return {
      scenario: name ?? "none",
      kubeconfigPath: s.kubeconfigPath,
      apiUrl: s.url,
      envoyAdminUrls: [],
      now: () => s.now(),
      async stop() {
        controller.abort();
        if (owned) await s.stop();
      },
    };
  };
  const config = loadConfig({ ...storeEnv(o.store), DRAINSCOPE_SIMULATE: o.scenario, DRAINSCOPE_SIM_SPEED: String(o.speed) });
  const runtime = await startRuntime(config, {
    env: {},
    log: o.log ?? (() => {}),
    effects: systemEffects,
    startSimulation: starter,
    ...(o.tuning ? { tuning: o.tuning } : {}),
  });
  if (!sim) throw new Error("the simulation did not start");
  const h: Harness = { runtime, sim, scenario, members: () => members };
  await waitFor(() => allConnected(runtime), 10_000, "every resource's watch to connect");
  return h;
}

export function allConnected(rt: Runtime): boolean {
  const cs = rt.clusters();
  return cs.length > 0 && cs.every((c) => c.resources.length > 0 && c.resources.every((r) => r.connected));
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Wait until nothing new arrives (watch events or LB member records) for `quietMs` of wall time. */
export async function waitQuiet(h: Harness, quietMs = 400, timeoutMs = 20_000): Promise<void> {
  const mark = () => `${h.runtime.clusters().reduce((n, c) => n + c.eventsIngested, 0)}/${h.members()}`;
  let last = mark();
  let since = Date.now();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = mark();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    if (Date.now() > deadline) throw new Error("the watcher never went quiet");
  }
}

/** Play one round of the harness's scenario; resolves when its script is done and the watcher is quiet. */
export async function playRound(h: Harness): Promise<void> {
  await h.sim.runScenario(h.scenario.name);
  await h.sim.clock.sleep(2000);
  await waitQuiet(h);
}

export async function openTarget(target: StoreTarget): Promise<Store> {
  const opened = await openStore({ dataDir: target.dataDir, ...(target.kind === "postgres" ? { databaseUrl: target.databaseUrl } : {}) });
  if (!opened.ok) throw new Error(`store: ${opened.error.message}`);
  return opened.store;
}

let apiLock: Promise<unknown> = Promise.resolve();

/**
 * GET /api/timeline through the real handler, on a store-only runtime opened on the same store (the
 * dashboard restarted after the watcher stopped). The runtime registry is process-wide, so calls are
 * serialized.
 */
export function timelineViaApi(target: StoreTarget, query: Record<string, string>): Promise<TimelineDocument> {
  const run = async () => {
    const config = loadConfig({ ...storeEnv(target), DRAINSCOPE_WATCH: "off" });
    const rt = await startRuntime(config, { env: {}, log: () => {}, effects: systemEffects });
    installRuntime(Promise.resolve(rt));
    try {
      const res = await getTimelineHandler(new Request(`http://127.0.0.1/api/timeline?${new URLSearchParams(query).toString()}`));
      if (res.status !== 200) throw new Error(`GET /api/timeline: ${res.status} ${await res.text()}`);
      return (await res.json()) as TimelineDocument;
    } finally {
      installRuntime(undefined);
      await rt.stop();
    }
  };
  const p = apiLock.then(run, run);
  apiLock = p.catch(() => undefined);
  return p;
}

export type Counts = Record<string, number>;

export function countByRule(doc: TimelineDocument): Counts {
  const out: Counts = {};
  for (const w of doc.riskWindows) out[w.rule] = (out[w.rule] ?? 0) + 1;
  return out;
}

/** Stable text of an event without what legitimately differs between two sightings of one fact. */
export function factKey(e: LifecycleEvent): string {
  const { id: _id, seq: _seq, observedAt: _o, ...rest } = e as LifecycleEvent & { observedAt?: number };
  return JSON.stringify(rest);
}

/** Events that say the same thing under two ids (a relist or replay that was not idempotent). */
export function semanticDuplicates(events: readonly LifecycleEvent[]): string[][] {
  const byKey = new Map<string, string[]>();
  for (const e of events) {
    if (e.type === "watcher-gap") continue;
    const k = factKey(e);
    byKey.set(k, [...(byKey.get(k) ?? []), e.id]);
  }
  return [...byKey.values()].filter((ids) => ids.length > 1);
}
