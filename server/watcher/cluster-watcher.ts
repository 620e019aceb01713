/**
 * One cluster's watcher: a list-watch loop per resource (and per namespace when limited), one
 * normalizer state shared by all of them, lifecycle events out to a sink (the store batcher and the
 * live hub). Only the normalizer's compact per-object state is kept in memory, never whole objects.
 * A failing resource is diagnosed (health.failure), reported once to the log with how to fix it, and
 * its open gap is readable (openGaps) until the loop records it, closed, on recovery.
 *
 * Sync marks: as each stream advances, the last in-sync time per resource goes to `onSyncMark` (at most
 * every `syncEveryMs`, and at every bookmark, list and stop), and `resumeFrom` gives the one a previous
 * run stored: the loop starts with a gap open from then, so a restart or crash leaves a gap, not silence.
 */
import { readKubeObject } from "../../lib/k8s/parse";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { exactTime, rangeTime } from "../../lib/model/time";
import { createNormalizerState, inferRemovalsAfterRelist, normalize } from "../../lib/normalize";
import { describeFailure, formatFailure, type FailureKind, type WatchFailure } from "./diagnose";
import { newResourceHealth, type ClusterHealth, type ResourceHealth } from "./health";
import type { KubeTransport } from "./kube-transport";
import { LineTooLongError } from "./line-reader";
import { DEFAULT_TUNING, runListWatch, type LoopEffects, type LoopTuning } from "./list-watch";
import { WATCHED_RESOURCES, type WatchedResource } from "./resources";

export interface ClusterWatcherOptions {
  readonly cluster: string;
  readonly transport: KubeTransport;
  /** Empty or undefined: every namespace. */
  readonly namespaces?: readonly string[];
  readonly resources?: readonly WatchedResource[];
  readonly sink: (events: LifecycleEvent[]) => void;
  readonly effects: LoopEffects;
  readonly tuning?: Partial<LoopTuning>;
  readonly simulated?: boolean;
  /** The kube context and kubeconfig, for the kubectl commands in failure hints (cluster mode). */
  readonly context?: string;
  readonly kubeconfig?: string;
  /** Where failures and recoveries are reported (the terminal of `drainscope start` / `watch`). */
  readonly log?: (line: string) => void;
  /** The last in-sync time a previous run stored for this resource (namespace '' = all), if any. */
  readonly resumeFrom?: (resource: string, namespace: string) => number | undefined;
  /** Where the advancing in-sync times go (throttled), to be stored after the events before them. */
  readonly onSyncMark?: (mark: { resource: string; namespace: string; inSyncAt: number }) => void;
  /**
   * After the first list of a resumed resource: what is present now and the gap it closes, so the caller
   * can record what the store still holds as alive but has gone meanwhile (this process's normalizer state
   * starts empty, so it cannot know).
   */
  readonly onResumedList?: (info: { resource: string; namespace: string | undefined; presentUids: ReadonlySet<string>; from: number; at: number }) => void;
  /** At most one sync mark per resource this often, besides those at bookmarks, lists and stop (default 5 s). */
  readonly syncEveryMs?: number;
}

/** Why a gap restored from the store is open: this process was not watching. */
export const NOT_WATCHING_REASON = "Drainscope was not watching (stopped, restarted or crashed)";

export interface ClusterWatcher {
  readonly health: ClusterHealth;
  /** The gaps still open, as the watcher-gap observations they will be once closed (without `to`). */
  openGaps(): WatcherGap[];
  stop(): Promise<void>;
}

/** One watcher-gap observation; the id is the same while it is open and once it is closed. */
export function gapObservation(cluster: string, resource: string, namespace: string | undefined, from: number, to: number | undefined, reason: string, seq: number): WatcherGap {
  const end = to === undefined ? undefined : Math.max(from, to);
  return {
    id: `gap:${resource}:${namespace ?? "*"}:${from}`,
    cluster,
    namespace: namespace ?? "",
    source: "watcher",
    ...exactTime(from, "watcher"),
    range: [from, end ?? from],
    seq,
    type: "watcher-gap",
    resource,
    from,
    ...(end !== undefined ? { to: end } : {}),
    reason,
  };
}

/** Failures that do not fix themselves (an empty watch is reported only after several in a row): reported at once. Others (5xx, a dropped stream) only when they repeat. */
const REPORT_AT_ONCE: ReadonlySet<FailureKind> = new Set(["unauthorized", "forbidden", "tls", "config", "credentials", "not-found", "empty-watch"]);

/**
 * Reports each distinct failure of a cluster once (six resources refused by one unreachable server are
 * one message), and its recovery once every resource it hit is back.
 */
function failureReporter(cluster: string, log: (line: string) => void) {
  const open = new Map<string, { failure: WatchFailure; resources: Set<string> }>();
  const keyOf = (f: WatchFailure) => `${f.kind}|${f.summary}`;
  return {
    failed(resource: string, f: WatchFailure, attempts: number) {
      const key = keyOf(f);
      // A resource failing another way now no longer counts for its earlier failure.
      for (const [k, other] of open) if (k !== key && other.resources.delete(resource) && other.resources.size === 0) open.delete(k);
      const entry = open.get(key);
      if (entry) {
        entry.resources.add(resource);
        return;
      }
      if (!REPORT_AT_ONCE.has(f.kind) && attempts < 2) return;
      open.set(key, { failure: f, resources: new Set([resource]) });
      log(formatFailure(cluster, f));
    },
    recovered(resource: string) {
      for (const [key, entry] of open) {
        if (!entry.resources.delete(resource) || entry.resources.size > 0) continue;
        open.delete(key);
        log(`drainscope: cluster ${cluster}: recovered from "${entry.failure.summary}"; watching again (the time missed is recorded as a gap)`);
      }
    },
  };
}

export function startClusterWatcher(opts: ClusterWatcherOptions): ClusterWatcher {
  const state = createNormalizerState(opts.cluster);
  const controller = new AbortController();
  const namespaces: readonly (string | undefined)[] = opts.namespaces?.length ? opts.namespaces : [undefined];
  const resources = opts.resources ?? WATCHED_RESOURCES;
  const tuning: LoopTuning = { ...DEFAULT_TUNING, ...opts.tuning };
  const healths: ResourceHealth[] = [];
  const health: ClusterHealth = {
    cluster: opts.cluster,
    // A getter: a cluster whose kubeconfig entry resolves later learns its server then.
    get server() {
      return opts.transport.server;
    },
    simulated: opts.simulated ?? false,
    startedAt: opts.effects.now(),
    resources: healths,
    eventsIngested: 0,
    objectsSkipped: 0,
  };
  let seq = 0;
  const reporter = opts.log ? failureReporter(opts.cluster, opts.log) : undefined;
  const emit = (events: LifecycleEvent[]) => {
    if (events.length === 0) return;
    health.eventsIngested += events.length;
    opts.sink(events);
  };

  const syncEveryMs = opts.syncEveryMs ?? 5000;
  const lastMarks: { resource: string; namespace: string; at: number }[] = [];
  const loops = resources.flatMap((resource) =>
    namespaces.map((namespace) => {
      const h = newResourceHealth(resource.name, namespace);
      healths.push(h);
      const label = namespace ? `${resource.name} (${namespace})` : resource.name;
      const mark = { resource: resource.name, namespace: namespace ?? "", at: -Infinity };
      lastMarks.push(mark);
      const stored = opts.resumeFrom?.(resource.name, namespace ?? "");
      let resumedList = stored !== undefined;
      return runListWatch(
        resource,
        namespace,
        opts.transport,
        {
          onObject: (type, object, receivedAt, changedSince) => {
            const parsed = readKubeObject(object);
            if (!parsed.ok) {
              // Skip one bad object rather than the stream; the health shows it.
              health.objectsSkipped++;
              h.lastError = `skipped ${resource.kind}: ${parsed.error}`;
              return;
            }
            const t = changedSince === undefined ? exactTime(receivedAt, "watcher") : rangeTime(changedSince, receivedAt, "watcher", "inferred", receivedAt);
            emit(normalize(state, { watchType: type, object: parsed.value, receivedAt: t, seq: seq++ }));
          },
          onListed: (uids, gapFrom, at) => {
            if (gapFrom === undefined) return;
            if (resumedList) {
              resumedList = false;
              opts.onResumedList?.({ resource: resource.name, namespace, presentUids: uids, from: gapFrom, at });
            }
            if (resource.name === "pods" || resource.name === "endpointslices") {
              emit(inferRemovalsAfterRelist(state, resource.name, uids, gapFrom, at, seq++, namespace));
            }
          },
          onGap: (from, to, reason) => {
            h.gaps++;
            emit([gapObservation(opts.cluster, resource.name, namespace, from, to, reason, seq++)]);
          },
          onError: (err, verb, retryInMs) => {
            const now = opts.effects.now();
            if (err instanceof LineTooLongError) opts.log?.(`drainscope: cluster ${opts.cluster}: ${label}: ${err.message}; dropped the stream, relisting (the time is recorded as a gap)`);
            const f = describeFailure(err, verb, { resource, namespace, server: opts.transport.server, ...(opts.context ? { context: opts.context } : {}), ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}) });
            const same = h.failure && h.failure.kind === f.kind && h.failure.summary === f.summary;
            const attempts = (h.failure?.attempts ?? 0) + 1;
            h.failure = { ...f, since: same && h.failure ? h.failure.since : now, attempts, retryAt: now + retryInMs };
            reporter?.failed(label, f, attempts);
          },
          onProgress: (at, bookmark) => {
            if (!opts.onSyncMark || (!bookmark && at - mark.at < syncEveryMs)) return;
            mark.at = at;
            opts.onSyncMark({ resource: mark.resource, namespace: mark.namespace, inSyncAt: at });
          },
          onInSync: () => {
            if (!h.failure) return;
            h.failure = undefined;
            reporter?.recovered(label);
          },
        },
        h,
        opts.effects,
        controller.signal,
        tuning,
        stored === undefined ? undefined : { from: stored, reason: NOT_WATCHING_REASON },
      );
    }),
  );

  return {
    health,
    openGaps: () => healths.flatMap((h) => (h.openGap ? [gapObservation(opts.cluster, h.resource, h.namespace, h.openGap.from, undefined, h.openGap.reason, 0)] : [])),
    async stop() {
      controller.abort(new Error("watcher stopped"));
      await Promise.allSettled(loops);
      // Watched (or its gap recorded, closed) up to now: a restart's gap starts here.
      const at = opts.effects.now();
      for (const m of lastMarks) opts.onSyncMark?.({ resource: m.resource, namespace: m.namespace, inSyncAt: at });
    },
  };
}
