/**
 * Warms the reads a visitor makes first, so the first visit after a start (or after new data settles)
 * finds them kept instead of paying store query + engine + encoding (1,000 pods: about 0.2 s on a quiet
 * machine; 10,000: 2–6 s). Per cluster, smallest first: the home page's episode list (each cluster's
 * last day) and the timeline the page opens without a range (the latest episode's namespace, compact
 * format; a cluster with one namespace gets that view first). Each step waits until the server has been quiet for a while, longer for larger clusters
 * (`quietNeededMs`): the work runs on the event loop, and a page being served must not queue behind a
 * warm-up of another cluster. A request
 * arriving meanwhile joins the computation in flight (engine-cache.ts and timeline-body.ts never compute
 * the same key twice).
 *
 * Bounded by the engine cache: clusters are warmed while their events (twice: two scopes) fit its event
 * budget, so a warm-up never evicts what it warmed a moment before. After writes, it runs again once they
 * have settled for `WARM_SETTLE_MS` (a cluster written continuously, e.g. live, is not re-warmed; its views
 * are computed when asked). Unchanged clusters are kept results: warming them again costs two lookups.
 */
import { performance } from "node:perf_hooks";
import type { WatcherGap } from "../../lib/model/events";
import { timelineBody } from "../http/timeline-body";
import { ENGINE_CACHE_MAX_EVENTS } from "../queries/engine-cache";
import { listEpisodes, type IsLive } from "../queries/timeline";
import type { Store } from "../store/types";

export const WARM_SETTLE_MS = 3000;
/** A quiet window: the event loop busy less than this share of `QUIET_WINDOW_MS`. */
const QUIET_UTILIZATION = 0.2;
const QUIET_WINDOW_MS = 250;

/**
 * How long the server must have been quiet before a cluster's warm step starts: longer for larger
 * clusters, whose steps hold the event loop longer (10,000 pods, 136,000 events: 1–2 s per step on a
 * loaded core), so they run when nobody is using the server rather than between two page loads.
 */
export function quietNeededMs(events: number): number {
  return Math.min(8000, Math.max(QUIET_WINDOW_MS, Math.round(events / 20)));
}

export interface WarmSources {
  readonly store: Store;
  readonly now: () => number;
  readonly isLive: IsLive;
  readonly openGaps: () => readonly WatcherGap[];
  /** Resolves once the server was quiet for `ms` (default: `quietMoment`). */
  readonly quiet?: (ms: number) => Promise<void>;
  /** True once the warm-up should end (shutdown): checked before each step. */
  readonly stopped?: () => boolean;
}

export interface WarmReport {
  /** Clusters whose views were warmed, in order. */
  readonly clusters: readonly string[];
  /** Clusters left out: their events would not fit the engine cache beside those warmed. */
  readonly skipped: readonly string[];
}

/** Resolves once the event loop was mostly idle (no page or request being served) in every window of the last `ms`. */
export async function quietMoment(ms = QUIET_WINDOW_MS): Promise<void> {
  let quietFor = 0;
  while (quietFor < ms) {
    const start = performance.eventLoopUtilization();
    await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS));
    quietFor = performance.eventLoopUtilization(start).utilization < QUIET_UTILIZATION ? quietFor + QUIET_WINDOW_MS : 0;
  }
}

/** One warm-up pass (see the file's comment). */
export async function warmLatestViews(src: WarmSources): Promise<WarmReport> {
  // Smallest first: the most views warm soonest, and the long steps of a large cluster come last.
  const clusters = [...(await src.store.clusters())].sort((a, b) => a.events - b.events || (b.lastAt ?? 0) - (a.lastAt ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let budget = ENGINE_CACHE_MAX_EVENTS;
  const warmed: string[] = [];
  const skipped: string[] = [];
  for (const c of clusters) {
    if (c.events * 2 > budget) {
      skipped.push(c.name);
      continue;
    }
    budget -= c.events * 2;
    const quiet = () => (src.quiet ?? quietMoment)(quietNeededMs(c.events));
    const warmTimeline = (namespace: string | undefined) => timelineBody(src.store, { cluster: c.name, ...(namespace !== undefined ? { namespace } : {}) }, "compact", src.now(), src.openGaps(), src.isLive);
    // One namespace: the page opens on the latest episode's namespace, which can only be this one, so its
    // view is warmed first (one long step before the page's view is kept, not two); the list after it.
    const only = c.namespaces.length === 1 ? c.namespaces[0] : undefined;
    if (only !== undefined) {
      await quiet();
      if (src.stopped?.()) break;
      await warmTimeline(only);
    }
    await quiet();
    if (src.stopped?.()) break;
    const [latest] = await listEpisodes(src.store, { cluster: c.name, limit: 1 }, src.now(), src.isLive, src.openGaps());
    if (only === undefined || latest?.namespace !== only) {
      await quiet();
      if (src.stopped?.()) break;
      await warmTimeline(latest?.namespace);
    }
    warmed.push(c.name);
  }
  return { clusters: warmed, skipped };
}

export interface ReadWarmer {
  /** Written data: warm again once writes have settled. */
  written(): void;
  /** Resolves once no pass is running (a pass due after writes may follow; `stop` cancels it). */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * Warms at once, then after writes settle; one pass at a time. `log` gets the first pass's line (at start)
 * and any failure; the later passes' lines (one each time writes settle) go to `debug`, by default nowhere.
 */
export function startReadWarmer(src: WarmSources, log: (line: string) => void, settleMs = WARM_SETTLE_MS, debug: (line: string) => void = () => undefined): ReadWarmer {
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let passes = 0;
  const pass = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    const t0 = performance.now();
    const report = passes++ === 0 ? log : debug;
    running = warmLatestViews({ ...src, stopped: () => stopped })
      .then((r) => report(`reads warmed in ${Math.round(performance.now() - t0)} ms: ${r.clusters.length ? r.clusters.join(", ") : "no cluster"}${r.skipped.length ? ` (too large to keep beside them: ${r.skipped.join(", ")})` : ""}`))
      .catch((e: unknown) => {
        if (!stopped) log(`warming reads failed: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          pass();
        }
      });
  };
  pass();
  return {
    written() {
      if (stopped) return;
      clearTimeout(timer);
      timer = setTimeout(pass, settleMs);
      timer.unref();
    },
    async idle() {
      while (running) await running;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
