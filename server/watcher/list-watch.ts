/**
 * The list-then-watch loop for one resource (cluster-wide or one namespace), owned here rather than
 * taken from client-node's informer, which asks for no bookmarks, has no watch timeout or stall
 * detection and stops for good on most errors (kubernetes-signals.md, "Watch protocol").
 *
 * - watch with allowWatchBookmarks and a timeoutSeconds of 300–600 s; resume from the last version;
 * - 410 Expired (status or in-stream ERROR) or a malformed line → relist, infer removals from absence;
 * - any other error (reset, refused, 5xx, stall) → capped exponential backoff with jitter, then resume;
 * - every disconnect is reported as a gap [last moment we were in sync, moment we are again]; while it
 *   lasts it is visible as `health.openGap`, and each failure goes to `onError` with the verb that failed;
 * - a watch that ends without a line well before its timeout (`minWatchMs`) is a failure too: it backs off
 *   rather than loop hot, and after `emptyWatchLimit` in a row it opens a gap and reports the failure;
 * - `resume`: the last in-sync time a previous run stored (sync_state): the loop starts with that gap
 *   open, so a restart or a crash records the time the dashboard was not watching.
 */
import type { ResourceHealth } from "./health";
import { ApiError, MalformedLineError, type KubeTransport, type WatchLine } from "./kube-transport";
import { LineTooLongError } from "./line-reader";
import { resourcePath, type WatchedResource } from "./resources";

export class ExpiredError extends Error {
  override name = "ExpiredError";
}
class StallError extends Error {
  override name = "StallError";
}
/** A watch the server ended at once without a line (not even a bookmark): treated as a failure. */
export class EmptyWatchError extends Error {
  override name = "EmptyWatchError";
}

export interface LoopEffects {
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

export interface LoopTuning {
  /** No line (not even a bookmark) for this long → the stream is presumed dead. */
  readonly stallMs: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly watchTimeoutSeconds: readonly [number, number];
  readonly listPageSize: number;
  /** A list page not answered within this is a failure (a half-open connection would hang the loop). */
  readonly listTimeoutMs: number;
  /** A watch that ends without any line sooner than this counts as a failure (backoff applies). */
  readonly minWatchMs: number;
  /** After this many such empty watches in a row, a gap opens and the failure is reported. */
  readonly emptyWatchLimit: number;
}

export const DEFAULT_TUNING: LoopTuning = {
  stallMs: 90_000,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  watchTimeoutSeconds: [300, 600],
  listPageSize: 500,
  listTimeoutMs: 60_000,
  minWatchMs: 5_000,
  emptyWatchLimit: 3,
};

export interface LoopHandlers {
  /**
   * `changedSince`: set when the change may have happened earlier than we received it — replayed after
   * a reconnect, or seen by a relist after a gap — so its time is only known to lie in [changedSince, receivedAt].
   */
  readonly onObject: (type: "ADDED" | "MODIFIED" | "DELETED", object: Record<string, unknown>, receivedAt: number, changedSince?: number) => void;
  /** After each successful list: the uids present, and since when we were out of sync (undefined on the first list, unless resumed). */
  readonly onListed: (presentUids: ReadonlySet<string>, gapFrom: number | undefined, at: number) => void;
  readonly onGap: (from: number, to: number, reason: string) => void;
  /** A failed list or watch (not a routine 410 relist); the loop retries after `retryInMs`. */
  readonly onError?: (err: unknown, verb: "list" | "watch", retryInMs: number) => void;
  /** Listed or watching again: whatever failed before has recovered. */
  readonly onInSync?: () => void;
  /** The stream advanced: in sync at `at`; `bookmark` when the line was a bookmark (a good moment to persist). */
  readonly onProgress?: (at: number, bookmark: boolean) => void;
}

function metadataOf(o: Record<string, unknown>): Record<string, unknown> {
  const m = o.metadata;
  return typeof m === "object" && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export async function runListWatch(
  resource: WatchedResource,
  namespace: string | undefined,
  transport: KubeTransport,
  handlers: LoopHandlers,
  health: ResourceHealth,
  effects: LoopEffects,
  signal: AbortSignal,
  tuning: LoopTuning = DEFAULT_TUNING,
  resume?: { readonly from: number; readonly reason: string },
): Promise<void> {
  const path = resourcePath(resource, namespace);
  let version: string | undefined;
  let needList = true;
  let firstList = true;
  let attempt = 0;
  let inSyncAt = effects.now();
  let gap: { from: number; reason: string } | undefined = resume ? { from: Math.min(resume.from, inSyncAt), reason: resume.reason } : undefined;
  if (gap) {
    inSyncAt = gap.from;
    health.openGap = gap;
  }
  let empties = 0; // watches in a row that ended at once without a line
  // Lines that arrive just after a reconnect may be replays of changes made during the outage.
  let replay: { since: number; until: number } | undefined;

  const openGap = (reason: string) => {
    gap ??= { from: inSyncAt, reason };
    health.openGap = gap;
  };
  const closeGap = () => {
    const t = effects.now();
    inSyncAt = t;
    health.openGap = undefined;
    if (gap) {
      handlers.onGap(gap.from, t, gap.reason);
      gap = undefined;
    }
    handlers.onInSync?.();
  };

  while (!signal.aborted) {
    try {
      if (needList) {
        const { uids, version: listed } = await listAll(resource, path, transport, handlers, effects, signal, tuning, firstList ? undefined : (gap?.from ?? inSyncAt));
        if (!firstList) health.relists++;
        // A first list after a resumed gap speaks for that gap too (what vanished meanwhile went then).
        handlers.onListed(uids, firstList && !resume ? undefined : (gap?.from ?? inSyncAt), effects.now());
        handlers.onProgress?.(effects.now(), true);
        firstList = false;
        version = listed;
        needList = false;
        closeGap();
        health.lastEventAt = effects.now();
      }
      const [lo, hi] = tuning.watchTimeoutSeconds;
      const timeoutSeconds = Math.round(lo + (hi - lo) * effects.random());
      // `since`: after empty watches without a gap, changes replayed now may date from then.
      const resync = (since?: number) => {
        health.connected = true;
        const outageFrom = gap?.from ?? since;
        closeGap();
        replay = outageFrom === undefined ? undefined : { since: outageFrom, until: effects.now() + REPLAY_WINDOW_MS };
      };
      const openedAt = effects.now();
      let lines = 0;
      await watchOnce(path, version ?? "", timeoutSeconds, transport, signal, tuning.stallMs, {
        onOpen: () => {
          // After a run of empty watches, opening proves nothing: only a line (or a full-length watch) does.
          if (empties > 0) return;
          attempt = 0;
          resync();
        },
        onLine: (line) => {
          lines++;
          if (empties > 0) {
            empties = 0;
            attempt = 0;
            resync(inSyncAt);
          }
          const late = replay && effects.now() <= replay.until ? replay.since : undefined;
          const v = handleLine(line, handlers, effects, late);
          if (v) version = v;
          inSyncAt = effects.now();
          health.lastEventAt = inSyncAt;
          handlers.onProgress?.(inSyncAt, line.type === "BOOKMARK");
        },
      });
      const lasted = effects.now() - openedAt;
      if (lines === 0 && lasted < tuning.minWatchMs) throw new EmptyWatchError(`watch ended after ${lasted} ms without an event (the server closes it at once)`);
      // A clean end (timeoutSeconds): resume from the last version, no gap.
      if (empties > 0) {
        empties = 0;
        attempt = 0;
        resync(inSyncAt);
      }
    } catch (err) {
      if (signal.aborted) break;
      const verb = needList ? "list" : "watch";
      health.connected = false;
      const message = err instanceof Error ? err.message : String(err);
      health.lastError = `${new Date(effects.now()).toISOString()} ${message}`;
      if (err instanceof EmptyWatchError) {
        empties++;
        const delay = Math.min(tuning.backoffMaxMs, tuning.backoffInitialMs * 2 ** attempt) * (0.5 + effects.random() / 2);
        attempt = Math.min(attempt + 1, 16);
        health.reconnects++;
        if (empties >= tuning.emptyWatchLimit) {
          openGap(`${message}; ${empties} in a row`);
          handlers.onError?.(new EmptyWatchError(`${message}; ${empties} in a row`), verb, delay);
        }
        await effects.sleep(delay, signal).catch(() => undefined);
        continue;
      }
      empties = 0; // another failure breaks the streak: its own gap opens now, and the next open resyncs
      openGap(message);
      if (err instanceof ExpiredError || (err instanceof ApiError && err.status === 410)) {
        needList = true; // our version is older than the server keeps: only a relist catches up
        continue;
      }
      health.reconnects++;
      // A malformed line means an event we could not read: relist to learn the true state.
      if (err instanceof MalformedLineError || err instanceof LineTooLongError) needList = true;
      const delay = Math.min(tuning.backoffMaxMs, tuning.backoffInitialMs * 2 ** attempt) * (0.5 + effects.random() / 2);
      attempt = Math.min(attempt + 1, 16);
      handlers.onError?.(err, verb, delay);
      await effects.sleep(delay, signal).catch(() => undefined);
    }
  }
  if (gap) handlers.onGap(gap.from, effects.now(), `${gap.reason} (watcher stopped)`);
  health.openGap = undefined;
  health.connected = false;
}

/** After a reconnect the server replays what we missed right away: lines this soon after opening may be late. */
export const REPLAY_WINDOW_MS = 1000;

/** Apply one watch line; returns the new resourceVersion if it carried one. */
function handleLine(line: WatchLine, handlers: LoopHandlers, effects: LoopEffects, changedSince: number | undefined): string | undefined {
  const md = metadataOf(line.object);
  switch (line.type) {
    case "BOOKMARK":
      return str(md.resourceVersion);
    case "ERROR": {
      const code = line.object.code;
      const message = str(line.object.message) ?? "watch error";
      if (code === 410) throw new ExpiredError(`410 Expired: ${message}`);
      throw new ApiError(`watch ERROR ${String(code)}: ${message}`, typeof code === "number" ? code : 500);
    }
    case "ADDED":
    case "MODIFIED":
    case "DELETED":
      handlers.onObject(line.type, line.object, effects.now(), changedSince);
      return str(md.resourceVersion);
    default:
      throw new MalformedLineError(`unknown watch event type "${line.type}"`);
  }
}

async function listAll(
  resource: WatchedResource,
  path: string,
  transport: KubeTransport,
  handlers: LoopHandlers,
  effects: LoopEffects,
  signal: AbortSignal,
  tuning: LoopTuning,
  changedSince: number | undefined,
): Promise<{ uids: Set<string>; version: string }> {
  const uids = new Set<string>();
  let version = "";
  let token: string | undefined;
  do {
    const pageSignal = AbortSignal.any([signal, AbortSignal.timeout(tuning.listTimeoutMs)]);
    const page = await transport.list(path, { limit: String(tuning.listPageSize), ...(token ? { continue: token } : {}) }, pageSignal).catch((err: unknown) => {
      if (pageSignal.aborted && !signal.aborted) throw new StallError(`list ${path}: no answer within ${Math.round(tuning.listTimeoutMs / 1000)} s`);
      throw err;
    });
    if (!version) version = page.resourceVersion;
    const at = effects.now();
    for (const item of page.items) {
      // List items carry no kind or apiVersion; watch events do. Set in place: the page is ours, and a
      // copy of every item would only be more garbage during a relist.
      const object = item;
      object.kind = resource.kind;
      object.apiVersion = resource.apiVersion;
      const uid = str(metadataOf(object).uid);
      if (uid) uids.add(uid);
      handlers.onObject("ADDED", object, at, changedSince);
    }
    token = page.continueToken;
  } while (token && !signal.aborted);
  return { uids, version };
}

async function watchOnce(
  path: string,
  version: string,
  timeoutSeconds: number,
  transport: KubeTransport,
  outer: AbortSignal,
  stallMs: number,
  handlers: { onOpen: () => void; onLine: (line: WatchLine) => void },
): Promise<void> {
  const controller = new AbortController();
  const abort = () => controller.abort(outer.reason);
  outer.addEventListener("abort", abort, { once: true });
  // Watchdog: a half-open connection sends nothing forever; bookmarks keep a healthy one talking.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new StallError(`no data for ${Math.round(stallMs / 1000)} s: stream stalled`)), stallMs);
  };
  arm();
  try {
    await transport.watch(
      path,
      { resourceVersion: version, allowWatchBookmarks: "true", timeoutSeconds: String(timeoutSeconds) },
      {
        onOpen: () => {
          arm();
          handlers.onOpen();
        },
        onLine: (line) => {
          arm();
          handlers.onLine(line);
        },
      },
      controller.signal,
    );
  } catch (err) {
    const reason: unknown = controller.signal.reason;
    if (controller.signal.aborted && reason instanceof StallError && !outer.aborted) throw reason;
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
    outer.removeEventListener("abort", abort);
  }
}
