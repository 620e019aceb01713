/**
 * Next.js calls `register()` once per server process, before the first request. The watcher, store
 * and live hub start here, once per process, not once per route module: Next compiles route handlers
 * and this file as separate module graphs, so the runtime hangs off `globalThis` (server/runtime/registry.ts).
 *
 * Server code is Node-only, so it is imported dynamically inside the `nodejs` branch: a static import
 * would pull it into the edge bundle too.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getRuntime } = await import("./server/runtime/registry");
  // A failed start must not take the web server down: /api/health reports it, the next request retries.
  await getRuntime().catch((e: unknown) => {
    console.error(`drainscope: could not start: ${e instanceof Error ? e.message : String(e)}`);
  });
}
