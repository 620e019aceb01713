/**
 * One cluster's watcher: a list-watch loop per resource (and per namespace when limited), one
 * normalizer state shared by all of them, lifecycle events out to a sink (the store batcher and the
 * live hub). Only the normalizer's compact per-object state is kept in memory, never whole objects.
 */
import { parseKubeObject } from "../../lib/k8s/parse";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { exactTime, rangeTime } from "../../lib/model/time";
import { createNormalizerState, inferRemovalsAfterRelist, normalize } from "../../lib/normalize";
import { newResourceHealth, type ClusterHealth, type ResourceHealth } from "./health";
import type { KubeTransport } from "./kube-transport";
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
}

export interface ClusterWatcher {
  readonly health: ClusterHealth;
  stop(): Promise<void>;
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
    server: opts.transport.server,
    simulated: opts.simulated ?? false,
    startedAt: opts.effects.now(),
    resources: healths,
    eventsIngested: 0,
    objectsSkipped: 0,
  };
  let seq = 0;
  const emit = (events: LifecycleEvent[]) => {
    if (events.length === 0) return;
    health.eventsIngested += events.length;
    opts.sink(events);
  };

  const loops = resources.flatMap((resource) =>
    namespaces.map((namespace) => {
      const h = newResourceHealth(resource.name, namespace);
      healths.push(h);
      return runListWatch(
        resource,
        namespace,
        opts.transport,
        {
          onObject: (type, object, receivedAt, changedSince) => {
            const parsed = parseKubeObject(object);
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
            if (resource.name === "pods" || resource.name === "endpointslices") {
              emit(inferRemovalsAfterRelist(state, resource.name, uids, gapFrom, at, seq++, namespace));
            }
          },
          onGap: (from, to, reason) => {
            h.gaps++;
            const gap: WatcherGap = {
              id: `gap:${resource.name}:${namespace ?? "*"}:${from}`,
              cluster: opts.cluster,
              namespace: namespace ?? "",
              source: "watcher",
              ...exactTime(from, "watcher"),
              range: [from, Math.max(from, to)],
              seq: seq++,
              type: "watcher-gap",
              resource: resource.name,
              from,
              to: Math.max(from, to),
              reason,
            };
            emit([gap]);
          },
        },
        h,
        opts.effects,
        controller.signal,
        tuning,
      );
    }),
  );

  return {
    health,
    async stop() {
      controller.abort(new Error("watcher stopped"));
      await Promise.allSettled(loops);
    },
  };
}
