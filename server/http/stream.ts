/**
 * GET /api/stream: Server-Sent Events of new observations for the open views. Messages are batched
 * by the hub (a few per second at most); a heartbeat comment keeps proxies from closing idle streams;
 * `resync` tells a client that fell behind to refetch instead of replaying a backlog.
 */
import type { LifecycleEvent } from "../../lib/model/events";
import type { Runtime } from "../runtime/runtime";

const HEARTBEAT_MS = 15_000;

export function openStream(rt: Runtime, q: { cluster?: string; namespace?: string }, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      send(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ mode: rt.mode, clusters: rt.clusters().map((c) => c.cluster) })}\n\n`);
      const unsubscribe = rt.hub.subscribe({
        ...(q.cluster ? { cluster: q.cluster } : {}),
        ...(q.namespace ? { namespace: q.namespace } : {}),
        deliver: (events: readonly LifecycleEvent[], overflowed: boolean) => {
          if (overflowed) send(`event: resync\ndata: {}\n\n`);
          if (events.length > 0) send(`event: observations\ndata: ${JSON.stringify(events)}\n\n`);
        },
      });
      const heartbeat = setInterval(() => send(`: keep-alive\n\n`), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener("abort", () => cleanup(), { once: true });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
}
