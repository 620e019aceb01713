"use client";
/**
 * Follow mode (style.md habit 9): the timeline is fetched once; then each `observations` message of
 * /api/stream is applied to the cached document by a pure reducer (lib/view/live-patch.ts): a pod's
 * delete and removal show at once, and whatever needs the engine's recompute (Killing, SIGTERM, endpoints,
 * risk windows, new pods) is refetched, throttled to at most one request per MIN_REFETCH_GAP_MS and never
 * two at a time (an in-flight refetch is not cancelled, so a steady stream cannot starve it). Events
 * that arrived while a refetch ran are applied again to its result, so a marker never blinks out.
 * `resync` (we fell behind) refetches. The stream is closed while paused.
 */
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { LifecycleEvent } from "@/lib/model/events";
import { applyObservations, type LiveScope } from "@/lib/view/live-patch";
import type { TimelineDoc } from "@/lib/view/timeline-doc";

const MIN_REFETCH_GAP_MS = 400;

export type StreamStatus = "off" | "connecting" | "live" | "error";

declare global {
  interface Window {
    /** Live batches received (size, applied locally, Date.now()): for debugging follow mode. */
    __drainscopeLive?: { readonly events: number; readonly applied: number; readonly at: number }[];
  }
}

export function useLiveFollow(enabled: boolean, scope: LiveScope, queryKey: QueryKey): StreamStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("connecting");
  // The key changes when the fetch window moves; the stream stays open across it.
  const keyRef = useRef(queryKey);
  useEffect(() => {
    keyRef.current = queryKey;
  }, [queryKey]);
  const { cluster, namespace } = scope;

  useEffect(() => {
    if (!enabled) return;
    const scope: LiveScope = { ...(cluster ? { cluster } : {}), ...(namespace ? { namespace } : {}) };
    const q = new URLSearchParams();
    if (cluster) q.set("cluster", cluster);
    if (namespace) q.set("namespace", namespace);
    const es = new EventSource(`/api/stream?${q.toString()}`);
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inflight = false;
    let dirty = false;
    let closed = false;
    /** Events received since the running refetch started: re-applied to its result. */
    let sinceFetch: LifecycleEvent[] = [];

    const patch = (events: readonly LifecycleEvent[]) => {
      let applied = 0;
      client.setQueryData<TimelineDoc>(keyRef.current, (doc) => {
        if (!doc) return doc;
        const r = applyObservations(doc, events, scope);
        applied = r.applied;
        return r.doc;
      });
      return applied;
    };

    const run = async () => {
      timer = undefined;
      dirty = false;
      inflight = true;
      sinceFetch = [];
      const key = keyRef.current;
      try {
        await client.refetchQueries({ queryKey: key, exact: true }, { cancelRefetch: false });
      } finally {
        inflight = false;
        last = Date.now();
      }
      if (closed) return;
      if (sinceFetch.length > 0) patch(sinceFetch);
      sinceFetch = [];
      if (dirty) schedule();
    };
    const schedule = () => {
      dirty = true;
      if (timer || inflight) return;
      timer = setTimeout(() => void run(), Math.max(0, last + MIN_REFETCH_GAP_MS - Date.now()));
    };

    es.addEventListener("hello", () => setStatus("live"));
    es.addEventListener("observations", (m: MessageEvent<string>) => {
      let events: LifecycleEvent[];
      try {
        events = JSON.parse(m.data) as LifecycleEvent[];
      } catch {
        schedule();
        return;
      }
      const applied = patch(events);
      if (inflight) sinceFetch.push(...events);
      const log = (window.__drainscopeLive ??= []);
      log.push({ events: events.length, applied, at: Date.now() });
      if (log.length > 200) log.splice(0, log.length - 200);
      // The reducer decides; for a batch entirely out of scope it says no.
      if (applyNeedsRefetch(events, scope)) schedule();
    });
    es.addEventListener("resync", schedule);
    es.onerror = () => setStatus(es.readyState === EventSource.CLOSED ? "error" : "connecting");
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      es.close();
      setStatus("connecting");
    };
  }, [enabled, cluster, namespace, client]);
  return enabled ? status : "off";
}

/** Whether a batch needs the server's recompute, independent of whether a document is cached yet. */
function applyNeedsRefetch(events: readonly LifecycleEvent[], scope: LiveScope): boolean {
  return applyObservations(EMPTY_DOC, events, scope).refetch;
}

const EMPTY_DOC = { lanes: [], eventCount: 0 } as unknown as TimelineDoc;
