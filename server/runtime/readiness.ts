/**
 * Readiness for Kubernetes (GET /api/readyz): a replica takes traffic only when its store answers and
 * every cluster it watches has been listed at least once. Before the first list the dashboard would show
 * a partial picture as if it were whole. A watch that drops later keeps the replica ready: the gap is
 * recorded and shown, and taking the only replica out of the Service would hide the history too.
 * Liveness (GET /api/livez) deliberately checks none of this: restarting the process fixes neither a
 * database outage nor an unreachable API server.
 */
import type { ClusterHealth } from "../watcher/health";
import type { Runtime } from "./runtime";

export interface Readiness {
  readonly ready: boolean;
  /** Why not, in plain words; empty when ready. */
  readonly reasons: readonly string[];
}

/** Resources that have never completed a list, per cluster. */
export function neverSynced(clusters: readonly ClusterHealth[]): string[] {
  return clusters.flatMap((c) =>
    c.resources.filter((r) => r.lastEventAt === undefined).map((r) => `${c.cluster}: ${r.resource}${r.namespace ? ` in ${r.namespace}` : ""} not listed yet`),
  );
}

export async function checkReadiness(rt: Pick<Runtime, "store" | "clusters">, timeoutMs = 2000): Promise<Readiness> {
  const reasons: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([rt.store.stats(), timeout]);
  } catch (e) {
    reasons.push(`store ${rt.store.kind} down: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearTimeout(timer);
  }
  reasons.push(...neverSynced(rt.clusters()));
  return { ready: reasons.length === 0, reasons };
}
