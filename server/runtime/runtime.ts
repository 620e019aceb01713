/**
 * The server runtime: store, write batcher, live hub, cluster watchers (or the simulated cluster) and
 * retention, started once per process. The dashboard's route handlers, `drainscope watch` and the
 * tests all use this one object; nothing here is a module-level singleton (see registry.ts).
 *
 * Never pretend: the simulated cluster runs only when asked for (DRAINSCOPE_SIMULATE / --simulate) or
 * when there is no Kubernetes configuration at all. A configured cluster that fails (unreachable, TLS,
 * 401, 403, unknown context) is watched anyway: its errors show in the health, the log and the UI,
 * the watcher retries, and the time is a gap.
 *
 * Never blind without saying so: each watched resource's last in-sync time is stored (sync_state) after
 * the events before it are committed; the next start records the time since as a gap. A store that
 * cannot write shows in `storeHealth()` (health `degraded`), and ingest fails fast with
 * `StoreUnavailableError` (503) instead of hanging; both clear by themselves once a write succeeds.
 */
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { toClusterName } from "../../lib/model/names";
import { rangeTime } from "../../lib/model/time";
import type { DrainscopeConfig } from "../config";
import { createLiveHub, type LiveHub } from "../live/hub";
import { WriteBatcher } from "../store/batcher";
import { openStore } from "../store/open-store";
import type { Store, SyncMark } from "../store/types";
import { startClusterWatcher } from "../watcher/cluster-watcher";
import type { ClusterHealth } from "../watcher/health";
import { deferredTransport } from "../watcher/deferred-transport";
import { findClusters, kubeconfigPresent, type ClusterTarget } from "../watcher/kubeconfig";
import type { LoopEffects, LoopTuning } from "../watcher/list-watch";
import type { LbSourceHealth } from "../lb/poller";
import type { IngestListener, IngestListenerState } from "../http/ingest-listener";
import { loadLeaderConfig } from "./leader-config";
import { gateLbSources } from "./leader-gated-lb";
import { prepareLbSourcesFromEnv, renderLbSourceMetrics, startLbSources } from "./lb-sources";
import { OPEN_GAPS_EVERY_MS, startLiveRelay } from "./live-relay";
import { createRuntimeMetrics } from "./metrics";
import { startReadWarmer, type ReadWarmer } from "./read-warmer";
import { startWatcherSet } from "./watcher-set";

type ResumedList = Parameters<NonNullable<Parameters<typeof startClusterWatcher>[0]["onResumedList"]>>[0];

export type RuntimeMode = "cluster" | "simulated" | "store-only";

/** The cluster name the simulated cluster is recorded under. */
export const SIMULATED_CLUSTER = "simulated";

export interface SimulationHandle {
  readonly scenario: string;
  readonly kubeconfigPath: string;
  readonly apiUrl: string;
  readonly envoyAdminUrls: readonly string[];
  /** The simulated cluster's clock: the watcher stamps receive times with it, so every time shares one clock. */
  now(): number;
  stop(): Promise<void>;
}

export interface SimulationHooks {
  /** Where the simulated data planes' LB member changes go (the watcher's sink). */
  readonly sink?: (events: LifecycleEvent[]) => void;
  readonly cluster?: string;
  readonly log?: (line: string) => void;
}

/** Starts the built-in simulated cluster (server/sim); injected so tests and the CLI choose how. */
export type SimulationStarter = (scenario: string | undefined, speed: number, hooks?: SimulationHooks) => Promise<SimulationHandle>;

/** The store is not taking writes (or did not commit in time): ingest answers 503 with Retry-After. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

/** Whether the store is taking writes, as the batcher last saw it. */
export interface StoreHealth {
  readonly ok: boolean;
  /** Failing since (wall/effects clock), and the last error, while not ok. */
  readonly failingSince?: number;
  readonly cause?: string;
  /** Events queued for the store, not yet committed. */
  readonly pending: number;
}

/** A watcher started this soon after the runtime resumes from the stored in-sync marks (see startRuntime). */
const RESUME_WINDOW_MS = 60_000;
/** How many vanished pods' histories a restart reads at a time (their names, for the removals it records). */
const VANISHED_PODS_PER_READ = 500;

/** How long ingest waits for its commit before answering 503 (the events stay queued and are written later). */
export const INGEST_COMMIT_TIMEOUT_MS = 1000;

export interface Runtime {
  readonly config: DrainscopeConfig;
  readonly mode: RuntimeMode;
  /** Why the runtime is in this mode, in plain words (e.g. "no kubeconfig found: simulated cluster"). */
  readonly notice: string;
  readonly store: Store;
  readonly hub: LiveHub;
  readonly simulation?: SimulationHandle;
  readonly startedAt: number;
  clusters(): readonly ClusterHealth[];
  /** Gaps still open (a resource out of sync now), as watcher-gap observations without `to`. */
  openGaps(): readonly WatcherGap[];
  /** Configured LB sources (DRAINSCOPE_LB_CONFIG) and their health. */
  lbSources(): readonly LbSourceHealth[];
  /** Is the store taking writes? (`degraded` health and 503 ingest while not.) */
  storeHealth(): StoreHealth;
  /**
   * Runs retention now (it also runs at start and hourly): deletes watched rows recorded more than
   * DRAINSCOPE_RETENTION_DAYS ago by this runtime's clock (see Store.pruneBefore); resolves with the count.
   */
  prune(): Promise<number>;
  /** Store and publish observations from ingest; resolves once committed. */
  ingest(events: readonly LifecycleEvent[]): Promise<void>;
  metrics(): Promise<string>;
  /** The ingest listener (DRAINSCOPE_INGEST_PORT): its URL or why it is not listening; undefined when off. */
  ingestListener(): IngestListenerState | undefined;
  stop(): Promise<void>;
}

export class RuntimeError extends Error {
  override name = "RuntimeError";
}

export interface RuntimeDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
  readonly effects: LoopEffects;
  readonly startSimulation?: SimulationStarter;
  readonly tuning?: Partial<LoopTuning>;
  /** Wraps the opened store (tests inject faults with it: a store that stops writing). */
  readonly wrapStore?: (store: Store) => Store;
  /** Warm the first reads at start and after writes settle (read-warmer.ts): the dashboard server does. */
  readonly warmReads?: boolean;
  /** SQLite's page cache in KiB (default: the store's); `drainscope watch` only writes and asks for less. */
  readonly sqliteCacheKiB?: number;
}

export const systemEffects: LoopEffects = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const aborted = () => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      if (signal.aborted) return aborted();
      const onAbort = () => {
        clearTimeout(t);
        aborted();
      };
      // Remove the listener when the sleep ends: the signal lives as long as the watcher, and every
      // backoff would otherwise leave one behind (MaxListenersExceededWarning after a few reconnects).
      const t = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    }),
};

/**
 * The name a context is recorded under. Context names are free text (EKS writes
 * `arn:aws:eks:REGION:ACCOUNT:cluster/NAME`), while stored cluster names follow lib/model/names.ts so the
 * API and URLs can reach them: `/` and other characters become `-`.
 */
export function clusterNameOf(context: string): string {
  return toClusterName(context) ?? "kubeconfig";
}

interface Plan {
  readonly mode: RuntimeMode;
  readonly notice: string;
  readonly targets: readonly ClusterTarget[];
  readonly simulation?: SimulationHandle;
}

async function plan(config: DrainscopeConfig, deps: RuntimeDeps, sink: (events: LifecycleEvent[]) => void): Promise<Plan> {
  if (config.DRAINSCOPE_WATCH === "off") return { mode: "store-only", notice: "watcher off (DRAINSCOPE_WATCH=off): serving stored history only", targets: [] };
  const simulate = async (why: string, scenario?: string): Promise<Plan> => {
    if (!deps.startSimulation) throw new RuntimeError(`${why}, and no simulated cluster is available in this build`);
    const sim = await deps.startSimulation(scenario, config.DRAINSCOPE_SIM_SPEED, { sink, cluster: SIMULATED_CLUSTER, log: deps.log });
    const found = findClusters([], sim.kubeconfigPath);
    if (!found.ok) throw new RuntimeError(`simulated cluster: ${found.reason}`);
    return { mode: "simulated", notice: `${why}: watching the built-in SIMULATED cluster (scenario ${sim.scenario})`, targets: found.targets, simulation: sim };
  };
  const forced = config.DRAINSCOPE_SIMULATE;
  // "demo" (or "on"): the simulated cluster with the demo playlist; any other value names one scenario.
  if (forced !== "auto" && forced !== "off") return simulate("simulation requested", forced === "demo" || forced === "on" ? undefined : forced);
  // Contexts or a kubeconfig named explicitly mean a real cluster is wanted, even if its file is missing.
  const named = config.DRAINSCOPE_CONTEXTS.length > 0 || Boolean(config.KUBECONFIG);
  if (!named && !kubeconfigPresent(deps.env)) {
    if (forced === "off") throw new RuntimeError("no kubeconfig found (KUBECONFIG, ~/.kube/config or in-cluster service account) and DRAINSCOPE_SIMULATE=off");
    return simulate("no kubeconfig and no in-cluster service account found");
  }
  const targets = clusterTargets(config.DRAINSCOPE_CONTEXTS, config.KUBECONFIG);
  return { mode: "cluster", notice: `watching ${targets.map((t) => t.name).join(", ")}`, targets };
}

/**
 * One target per context (or the current one). A context that cannot be resolved now still gets its
 * watcher, over a transport that fails with the reason and resolves again on every retry.
 */
function clusterTargets(contexts: readonly string[], kubeconfig: string | undefined): ClusterTarget[] {
  const wanted: readonly (string | undefined)[] = contexts.length ? [...new Set(contexts)] : [undefined];
  return wanted.map((context) => {
    const find = () => findClusters(context === undefined ? [] : [context], kubeconfig);
    const found = find();
    const target = found.ok ? found.targets[0] : undefined;
    // Unresolvable current context: its name is unknown, so the cluster is recorded as "kubeconfig".
    return target ?? { name: context ?? "kubeconfig", transport: deferredTransport(find) };
  });
}

export async function startRuntime(config: DrainscopeConfig, deps: RuntimeDeps): Promise<Runtime> {
  // A bad LB configuration file stops start-up before anything opens.
  const lbPrepared = (() => {
    try {
      return prepareLbSourcesFromEnv(deps.env);
    } catch (e) {
      throw new RuntimeError(`LB sources: ${e instanceof Error ? e.message : String(e)}`);
    }
  })();
  // The store stamps rows with this process's clock: retention counts from when a row was recorded here.
  const opened = await openStore({
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
    dataDir: config.DRAINSCOPE_DATA_DIR,
    now: deps.effects.now,
    warn: deps.log,
    ...(deps.sqliteCacheKiB !== undefined ? { sqliteCacheKiB: deps.sqliteCacheKiB } : {}),
  });
  if (!opened.ok) throw new RuntimeError(`store: ${opened.error.message}`);
  const store = deps.wrapStore ? deps.wrapStore(opened.store) : opened.store;
  const hub = createLiveHub();
  // Several replicas on PostgreSQL: one leader per cluster watches; live updates reach every replica.
  let leader;
  try {
    leader = loadLeaderConfig(deps.env);
  } catch (e) {
    await store.close();
    throw new RuntimeError(e instanceof Error ? e.message : String(e));
  }
  if (leader.enabled && !config.DATABASE_URL) deps.log("leader election is on without DATABASE_URL: each replica keeps its own SQLite store, so only the leader's has the cluster's history");
  const relay = leader.enabled && config.DATABASE_URL ? await startLiveRelay(config.DATABASE_URL, leader.identity, (events) => hub.publish(events), deps.log) : undefined;
  const metrics = createRuntimeMetrics();
  let storeFailure: { since: number; cause: string } | undefined;
  // Ingest calls waiting for their commit hear about a failed write at once (see ingest).
  const failureListeners = new Set<(cause: string) => void>();
  let warmer: ReadWarmer | undefined;
  const batcher = new WriteBatcher({
    sink: store,
    onFlush: (r) => {
      metrics.recordWrite(r);
      warmer?.written();
      if (storeFailure) deps.log(`store writes recovered (${store.kind} at ${store.location})`);
      storeFailure = undefined;
    },
    onError: (err, pending) => {
      metrics.recordWriteFailure();
      const cause = err instanceof Error ? err.message : String(err);
      storeFailure = { since: storeFailure?.since ?? deps.effects.now(), cause };
      for (const l of failureListeners) l(cause);
      deps.log(`store write failed (${pending} events queued, retrying): ${cause}`);
    },
  });
  // The latest add: once it is committed, so is every event queued before it (the batcher keeps order).
  let lastAdd: Promise<void> = Promise.resolve();
  const sink = (events: LifecycleEvent[]) => {
    if (events.length === 0) return;
    metrics.observeWatcherEvents(events);
    hub.publish(events);
    // The watcher's stream: a burst is committed a few ms at a time, not one transaction per pod update.
    const added = batcher.add(events, { coalesce: true });
    lastAdd = added;
    added
      // Other replicas hear of events once they are committed, so what they show is never lost.
      .then(() => relay?.publish(events))
      .catch((e: unknown) => deps.log(`dropped ${events.length} events: ${e instanceof Error ? e.message : String(e)}`));
  };
  // Sync marks are stored only after the events before them: a crash never claims more than is stored.
  const savingMarks = new Set<Promise<void>>();
  const saveMark = (mark: SyncMark) => {
    const saving = lastAdd.then(
      () => store.saveSync([mark]).catch((e: unknown) => deps.log(`sync state not saved: ${e instanceof Error ? e.message : String(e)}`)),
      () => undefined, // events not stored: keep the older mark, so the next start's gap covers them
    );
    savingMarks.add(saving);
    void saving.finally(() => savingMarks.delete(saving));
  };
  let p: Plan;
  try {
    p = await plan(config, deps, sink);
  } catch (e) {
    await batcher.close().catch(() => undefined);
    await store.close();
    throw e;
  }
  deps.log(`drainscope: ${p.notice}; store ${store.kind} at ${store.location}`);
  const sim = p.simulation;
  const effects: LoopEffects = sim ? { ...deps.effects, now: () => sim.now() } : deps.effects;
  // DRAINSCOPE_CLUSTER_NAME names the one watched cluster (in-cluster its context is "inClusterContext").
  const fixedName = config.DRAINSCOPE_CLUSTER_NAME;
  if (fixedName && p.mode === "cluster" && p.targets.length > 1) {
    await store.close();
    throw new RuntimeError(`DRAINSCOPE_CLUSTER_NAME names one cluster, but ${p.targets.length} contexts are watched (${p.targets.map((t) => t.name).join(", ")})`);
  }
  const recordedName = (context: string): string => (p.mode === "simulated" ? SIMULATED_CLUSTER : (fixedName ?? clusterNameOf(context)));
  /**
   * Pods the store still holds as alive but absent from the first list after a restart were removed while
   * nobody watched: record their removal, time-ranged over the gap (same id as the watcher's own, so idempotent).
   * Only the vanished pods' histories are read (for their names): the live ones' uids come from their spans,
   * as reading 10,000 live pods' histories to find a few gone ones held hundreds of MB at every restart.
   */
  const removeVanishedPods = async (cluster: string, info: ResumedList): Promise<void> => {
    if (info.resource !== "pods") return;
    try {
      const ns = info.namespace ? { namespace: info.namespace } : {};
      const vanished = (await store.livePodUids({ cluster, ...ns, to: info.at })).filter((uid) => !info.presentUids.has(uid));
      // In slices: when a whole cluster went while nobody watched, its histories are not all held at once.
      for (let i = 0; i < vanished.length; i += VANISHED_PODS_PER_READ) {
        const events = await store.query({ cluster, ...ns, podUids: vanished.slice(i, i + VANISHED_PODS_PER_READ), from: info.from, to: info.at });
        const removed = new Set(events.flatMap((e) => (e.type === "pod-removed" ? [e.podUid] : [])));
        const gone = new Map<string, { namespace: string; pod: string }>();
        for (const e of events) {
          if (e.type !== "pod-seen" || !("podUid" in e) || !e.podUid || !("pod" in e) || typeof e.pod !== "string" || info.presentUids.has(e.podUid) || removed.has(e.podUid)) continue;
          gone.set(e.podUid, { namespace: e.namespace, pod: e.pod });
        }
        sink([...gone].map(([podUid, p]): LifecycleEvent => ({ id: `removed:${podUid}`, cluster, namespace: p.namespace, pod: p.pod, podUid, source: "relist", ...rangeTime(info.from, info.at, "watcher", "inferred"), seq: 0, type: "pod-removed", via: "relist" })));
      }
    } catch (e) {
      deps.log(`could not check stored pods after the restart: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  // Only real clusters resume: the simulated one starts a fresh cluster (and clock) every run. Marks are
  // read once, at start: only a watcher started then resumes from them (a replica that becomes leader
  // later gets the handover gap instead, as the marks it read are stale by then).
  const resumeUntil = effects.now() + RESUME_WINDOW_MS;
  const resumed = new Set<string>();
  const loadMarks = async () =>
    p.mode === "cluster" ? await store.loadSync().catch((e: unknown) => (deps.log(`sync state not read: ${e instanceof Error ? e.message : String(e)}`), [] as SyncMark[])) : [];
  const resumeAt = new Map((await loadMarks()).map((m) => [`${m.cluster}|${m.resource}|${m.namespace}`, m.inSyncAt]));
  const watchers = startWatcherSet({
    targets: p.targets,
    clusterName: (t) => recordedName(t.name),
    ...(p.mode === "cluster" ? { leader } : {}),
    effects,
    sink,
    log: deps.log,
    start: (t) => {
      const cluster = recordedName(t.name);
      const resume = !resumed.has(cluster) && effects.now() <= resumeUntil;
      resumed.add(cluster);
      return startClusterWatcher({
        cluster,
        ...(p.mode === "cluster"
          ? {
              ...(resume ? { resumeFrom: (resource: string, namespace: string) => resumeAt.get(`${cluster}|${resource}|${namespace}`) } : {}),
              onSyncMark: (m: Omit<SyncMark, "cluster">) => saveMark({ cluster, ...m }),
              onResumedList: (info: ResumedList) => void removeVanishedPods(cluster, info),
            }
          : {}),
        transport: t.transport,
        namespaces: config.DRAINSCOPE_NAMESPACES,
        sink,
        effects,
        simulated: p.mode === "simulated",
        log: deps.log,
        ...(p.mode === "cluster" ? { context: t.name, ...(config.KUBECONFIG ? { kubeconfig: config.KUBECONFIG } : {}) } : {}),
        ...(deps.tuning ? { tuning: deps.tuning } : {}),
      });
    },
  });
  const lbCluster = recordedName(p.targets[0]?.name ?? "default");
  const startLb = () => startLbSources(lbPrepared, { cluster: lbCluster, sink, now: effects.now, log: deps.log });
  // With leader election only the replica leading the (first) cluster polls the LBs.
  const lb = watchers.leaders() && lbPrepared.length > 0 ? gateLbSources(startLb, () => watchers.leaders()?.get(lbCluster) === true) : startLb();
  // Retention (Store.pruneBefore): rows recorded here more than DRAINSCOPE_RETENTION_DAYS ago, of watched
  // clusters only, whole pods at a time; imported data stays until `drainscope delete`. At start, then hourly.
  const retentionMs = config.DRAINSCOPE_RETENTION_DAYS * 24 * 3600 * 1000;
  const prune = (): Promise<number> =>
    store.pruneBefore(deps.effects.now() - retentionMs).catch((e: unknown) => {
      deps.log(`retention failed: ${e instanceof Error ? e.message : String(e)}`);
      return 0;
    });
  void prune();
  const retentionTimer = setInterval(() => void prune(), 3600 * 1000);
  retentionTimer.unref();
  // Other replicas hatch this replica's outages while they last (live-relay.ts).
  const gapReportTimer = relay ? setInterval(() => relay.publishOpenGaps([...watchers.openGaps(), ...lb.openGaps()]), OPEN_GAPS_EVERY_MS) : undefined;
  gapReportTimer?.unref();
  let stopped = false;
  const openGaps = () => [...watchers.openGaps(), ...lb.openGaps(), ...(relay?.remoteOpenGaps() ?? [])];
  if (deps.warmReads) warmer = startReadWarmer({ store, now: () => Date.now(), isLive: (c) => watchers.clusters().some((h) => h.cluster === c), openGaps }, deps.log);
  let ingestListener: IngestListener | undefined;
  const runtime: Runtime = {
    config,
    mode: p.mode,
    notice: p.notice,
    store,
    hub,
    ...(p.simulation ? { simulation: p.simulation } : {}),
    startedAt: deps.effects.now(),
    clusters: () => watchers.clusters(),
    openGaps,
    lbSources: () => lb.health(),
    storeHealth: () => ({ ok: storeFailure === undefined, ...(storeFailure ? { failingSince: storeFailure.since, cause: storeFailure.cause } : {}), pending: batcher.pending }),
    prune,
    async ingest(events) {
      // A store known to be failing (its failed batch still queued for retry): say so now rather than
      // make the sender wait. With nothing queued, this request is let through as the probe.
      if (storeFailure && batcher.pending > 0) throw new StoreUnavailableError(`the store cannot write: ${storeFailure.cause}`);
      const added = batcher.add(events);
      let timer: ReturnType<typeof setTimeout> | undefined;
      let listener: ((cause: string) => void) | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StoreUnavailableError(`the store did not commit within ${INGEST_COMMIT_TIMEOUT_MS} ms`)), INGEST_COMMIT_TIMEOUT_MS);
        listener = (cause) => reject(new StoreUnavailableError(`the store cannot write: ${cause}`));
        failureListeners.add(listener);
      });
      try {
        // Still queued after a timeout: written once the store answers (appends are idempotent, so a retry is safe).
        await Promise.race([added, late]);
      } catch (e) {
        added.catch(() => undefined);
        if (e instanceof StoreUnavailableError) throw e;
        throw new StoreUnavailableError(`the store cannot take the events: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        clearTimeout(timer);
        if (listener) failureListeners.delete(listener);
      }
      hub.publish(events);
      relay?.publish(events);
    },
    async metrics() {
      const stats = await store.stats().catch(() => undefined);
      // The LB sources' lines are rendered by lb-sources.ts and appended: valid text, distinct names.
      const leaders = watchers.leaders();
      return (await metrics.render({ now: effects.now(), clusters: watchers.clusters(), sseClients: hub.subscribers(), ...(stats ? { storeEvents: stats.events } : {}), storeWritable: storeFailure === undefined, storePending: batcher.pending, ...(leaders ? { leaders } : {}) })) + renderLbSourceMetrics(lb.health());
    },
    ingestListener: () => ingestListener?.state(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await ingestListener?.close();
      warmer?.stop();
      clearInterval(retentionTimer);
      clearInterval(gapReportTimer);
      await watchers.stop();
      await lb.stop();
      await p.simulation?.stop().catch(() => undefined);
      await batcher.close().catch((e: unknown) => deps.log(`final flush failed: ${e instanceof Error ? e.message : String(e)}`));
      await Promise.allSettled([...savingMarks]);
      hub.close();
      await relay?.close();
      await warmer?.idle();
      await store.close();
    },
  };
  // Imported only when asked for: the listener's handlers import the registry, which imports this module.
  const port = config.DRAINSCOPE_INGEST_PORT;
  if (port !== undefined) ingestListener = await (await import("../http/ingest-listener")).startIngestListener(runtime, config.DRAINSCOPE_HOST, port, deps.log);
  return runtime;
}
