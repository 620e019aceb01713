"use client";
/**
 * Follow mode: /api/stream tells us when new observations arrive; we then refetch the timeline query,
 * throttled to at most a few refetches per second (the server batches messages too). `resync` (we fell
 * behind) refetches as well. The stream is closed while paused.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

const MIN_REFETCH_GAP_MS = 400;

export type StreamStatus = "off" | "connecting" | "live" | "error";

export function useLiveFollow(enabled: boolean, cluster: string | undefined, namespace: string | undefined): StreamStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("connecting");
  useEffect(() => {
    if (!enabled) return;
    const q = new URLSearchParams();
    if (cluster) q.set("cluster", cluster);
    if (namespace) q.set("namespace", namespace);
    const es = new EventSource(`/api/stream?${q.toString()}`);
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      timer = undefined;
      last = Date.now();
      void client.invalidateQueries({ queryKey: ["timeline"] });
    };
    const throttled = () => {
      if (timer) return;
      const wait = Math.max(0, last + MIN_REFETCH_GAP_MS - Date.now());
      timer = setTimeout(refetch, wait);
    };
    es.addEventListener("hello", () => setStatus("live"));
    es.addEventListener("observations", throttled);
    es.addEventListener("resync", throttled);
    es.onerror = () => setStatus(es.readyState === EventSource.CLOSED ? "error" : "connecting");
    return () => {
      if (timer) clearTimeout(timer);
      es.close();
      setStatus("connecting");
    };
  }, [enabled, cluster, namespace, client]);
  return enabled ? status : "off";
}
