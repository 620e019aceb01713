/**
 * State one server process shares across Next.js module graphs. Next compiles instrumentation.ts (which
 * starts the runtime and its read warm-up) and each route handler as separate module graphs, each with
 * its own copy of this folder's modules: a module-level cache would be one per graph, so the warm-up
 * would fill a cache no route reads, and the timeline and episode routes would each compute the same
 * engine result. Kept under a registered symbol on globalThis instead, like the runtime
 * (server/runtime/registry.ts).
 */
export function processShared<T>(name: string, make: () => T): T {
  const key = Symbol.for(`drainscope.${name}`);
  const g = globalThis as typeof globalThis & { [key: symbol]: unknown };
  if (!(key in g)) g[key] = make();
  return g[key] as T;
}
