/**
 * Next.js calls `register()` once per server process, before the first request, in every runtime
 * (nodejs and edge). Long-lived work (the cluster watcher, the store, the live hub) will start here
 * so it runs exactly once per process rather than once per route module: Next compiles route
 * handlers and this file as separate module graphs, so shared state must hang off `globalThis`.
 *
 * Server code is Node-only, so it is imported dynamically inside the `nodejs` branch: a static
 * import would pull it into the edge bundle too.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') {
    return;
  }
  // Nothing to start yet. When server/ has an entry point, start it here, e.g.:
  //   const { startServices } = await import('./server/start');
  //   await startServices();
}
