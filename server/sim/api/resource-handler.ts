/**
 * GET on a resource collection or object: list (with paging), watch, or a single object. Query
 * parameters are parsed with zod; bad ones get a 400 Status, as from a real API server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimClock } from "../core/clock";
import type { Rng } from "../core/rng";
import type { ResourceInfo } from "../k8s/resources";
import { sendJson } from "./http-util";
import type { ListPager } from "./list";
import { ListWatchQuerySchema, parseRv, queryRecord, type ListWatchQuery } from "./query";
import { parseFieldSelector, parseLabelSelector, SelectorError } from "./selectors";
import { badRequestStatus, expiredStatus, listExpiredStatus, notFoundStatus, type Status } from "./status";
import type { ObjectStore } from "./store";
import { tableEncoder, tableForList, tableForObject, wantsTable } from "./table";
import { jsonEncoder, WatchStream, type WatchFilter } from "./watch-stream";

export interface ResourceHandlerDeps {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly rng: Rng;
  readonly pager: ListPager;
  /** Virtual ms between bookmarks when a watch asks for them. */
  readonly bookmarkIntervalMs: number;
  /** Register a new stream so faults and shutdown can reach it. */
  readonly track: (stream: WatchStream) => void;
  readonly untrack: (stream: WatchStream) => void;
  /** Consume a pending injected 410. */
  readonly takeExpire: () => boolean;
}

function timeoutStatus(message: string): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Timeout", code: 504 };
}

function parseQuery(url: URL): ListWatchQuery | Status {
  const parsed = ListWatchQuerySchema.safeParse(queryRecord(url.searchParams));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return badRequestStatus(`invalid query parameter ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "bad value"}`);
}

function buildFilter(resource: ResourceInfo, namespace: string | undefined, q: ListWatchQuery): WatchFilter | Status {
  try {
    return {
      resource,
      namespace,
      labels: parseLabelSelector(q.labelSelector),
      fields: parseFieldSelector(resource.name, q.fieldSelector),
    };
  } catch (error) {
    if (error instanceof SelectorError) return badRequestStatus(error.message);
    throw error;
  }
}

function isStatus(value: object): value is Status {
  return "kind" in value && value.kind === "Status";
}

export function handleCollection(
  deps: ResourceHandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  resource: ResourceInfo,
  namespace: string | undefined,
): void {
  const q = parseQuery(url);
  if (isStatus(q)) return sendJson(res, q.code, q);
  const filter = buildFilter(resource, namespace, q);
  if (isStatus(filter)) return sendJson(res, filter.code, filter);
  const table = wantsTable(req.headers.accept);
  if (q.watch) return startWatch(deps, res, q, filter, table);

  if (deps.takeExpire()) return sendJson(res, 410, listExpiredStatus());
  const page = deps.pager.page(deps.store, filter, q.limit, q.continue);
  if (page === "expired") return sendJson(res, 410, listExpiredStatus());
  if (!table) return sendJson(res, 200, page.body);
  sendJson(res, 200, tableForList(resource, page.objects, page.body.metadata, deps.clock.now(), q.includeObject));
}

function startWatch(deps: ResourceHandlerDeps, res: ServerResponse, q: ListWatchQuery, filter: WatchFilter, table: boolean): void {
  const rv = parseRv(q.resourceVersion);
  if (rv === "invalid") {
    const status = badRequestStatus(`invalid resource version: ${q.resourceVersion ?? ""}`);
    return sendJson(res, 400, status);
  }
  const current = deps.store.currentRv();
  if (rv !== undefined && rv > current) {
    return sendJson(res, 504, timeoutStatus(`Too large resource version: ${rv}, current: ${current}`));
  }
  // An injected 410 behaves like a version that fell out of the history window.
  const forcedExpiry = deps.takeExpire();
  const start = forcedExpiry
    ? { kind: "after" as const, rv: -1 }
    : rv === undefined
      ? { kind: "current-state" as const }
      : { kind: "after" as const, rv };
  const timeoutMs = q.timeoutSeconds !== undefined ? q.timeoutSeconds * 1000 : (1800 + deps.rng.int(1800)) * 1000;
  const stream = new WatchStream({
    res,
    filter,
    start,
    store: deps.store,
    clock: deps.clock,
    encode: table ? tableEncoder(filter.resource, () => deps.clock.now(), q.includeObject) : jsonEncoder,
    bookmarkIntervalMs: q.allowWatchBookmarks ? deps.bookmarkIntervalMs : undefined,
    timeoutMs,
    onClose: (s) => deps.untrack(s),
    expired: (from) => expiredStatus(forcedExpiry ? (q.resourceVersion ?? "0") : String(from), deps.store.oldestResumableRv()),
  });
  deps.track(stream);
  stream.start();
}

export function handleObject(
  deps: ResourceHandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  resource: ResourceInfo,
  namespace: string | undefined,
  name: string,
): void {
  const q = parseQuery(url);
  if (isStatus(q)) return sendJson(res, q.code, q);
  const obj = deps.store.get(resource.name, namespace, name);
  if (!obj) return sendJson(res, 404, notFoundStatus(resource.name, name, resource.group));
  if (wantsTable(req.headers.accept)) return sendJson(res, 200, tableForObject(resource, obj, deps.clock.now(), q.includeObject));
  sendJson(res, 200, obj);
}
