/** The API's handlers; app/ route files only delegate here. */
import { ClusterNameSchema } from "../../lib/model/events-schema";
import { EpisodesQuerySchema, TimelineFormatSchema, LbIngestSchema, MAX_INGEST_BYTES, SignalIngestSchema, StreamQuerySchema, TimelineQuerySchema, describeIssues } from "../../lib/api/contracts";
import { lbTimeProblem, signalTimeProblem } from "../../lib/ingest/check-times";
import { lbToEvents, signalToEvent } from "../../lib/ingest/to-events";
import { getPod, listEpisodes, NotFoundError } from "../queries/timeline";
import { StoreUnavailableError, type Runtime } from "../runtime/runtime";
import { resourceHealthJson } from "../watcher/health";
import { HttpError, handle, json, jsonText, parseQuery, readJsonBody, requireIngest, requireRead, text } from "./respond";
import { openStream } from "./stream";
import { timelineBody } from "./timeline-body";

/** A resource is stale when its stream is down for longer than this. */
const STALE_MS = 30_000;

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function healthBody(rt: Runtime, now: number, detailed: boolean) {
  const clusters = rt.clusters();
  // Stale for a while, or refused outright (credentials, RBAC, TLS, kubeconfig): neither fixes itself.
  const down = clusters.flatMap((c) => c.resources.filter((r) => !r.connected && (now - (r.lastEventAt ?? c.startedAt) > STALE_MS || (r.failure !== undefined && r.failure.kind !== "server" && r.failure.kind !== "other"))));
  const lbDown = rt.lbSources().filter((s) => s.failingSince !== undefined && now - s.failingSince > STALE_MS);
  const storeHealth = rt.storeHealth();
  const ingestListener = rt.ingestListener();
  const status = down.length > 0 || lbDown.length > 0 || !storeHealth.ok || ingestListener?.error !== undefined ? "degraded" : "ok";
  if (!detailed) return { status, ...(storeHealth.ok ? {} : { cause: "the store cannot write" }) };
  return {
    status,
    mode: rt.mode,
    notice: rt.notice,
    simulated: rt.mode === "simulated",
    startedAt: new Date(rt.startedAt).toISOString(),
    store: {
      kind: rt.store.kind,
      location: rt.store.location,
      writable: storeHealth.ok,
      failingSince: iso(storeHealth.failingSince),
      cause: storeHealth.cause ?? null,
      pendingEvents: storeHealth.pending,
    },
    clusters: clusters.map((c) => ({
      name: c.cluster,
      server: c.server,
      simulated: c.simulated,
      eventsIngested: c.eventsIngested,
      objectsSkipped: c.objectsSkipped,
      resources: c.resources.map((r) => resourceHealthJson(r, c.startedAt, now, STALE_MS)),
    })),
    lbSources: rt.lbSources().map((s) => ({ ...s, up: s.polls > 0 && s.failingSince === undefined, lastSuccessAt: iso(s.lastSuccessAt), lastErrorAt: iso(s.lastErrorAt), failingSince: iso(s.failingSince) })),
    // Only when DRAINSCOPE_INGEST_PORT is set (server/http/ingest-listener.ts).
    ...(ingestListener ? { ingestListener: { url: ingestListener.url ?? null, error: ingestListener.error ?? null } } : {}),
  };
}

export const getHealth = (req: Request) =>
  handle(
    req,
    async (rt) => {
      let detailed = true;
      try {
        requireRead(rt, req);
      } catch {
        detailed = false; // liveness probes need no token; details do
      }
      return json(healthBody(rt, Date.now(), detailed));
    },
    { auth: "none" },
  );

/** Seconds an ingest client should wait after a 503 (the batcher retries the store at most every 5 s). */
const RETRY_AFTER_S = 5;

function unavailable(message: string): Response {
  const r = json({ error: message }, 503);
  r.headers.set("Retry-After", String(RETRY_AFTER_S));
  return r;
}

/** Ingest: a store that cannot write answers 503 + Retry-After within a second instead of hanging. */
async function ingestOr503(rt: Runtime, events: Parameters<Runtime["ingest"]>[0], accepted: number): Promise<Response> {
  try {
    await rt.ingest(events);
  } catch (e) {
    if (e instanceof StoreUnavailableError) return unavailable(e.message);
    throw e;
  }
  return json({ accepted }, 202);
}

/**
 * Reads: a store that fails (PostgreSQL down, a damaged file) is a 503 that says so, not a 500 "internal
 * error". Errors the handlers raise on purpose (HttpError, not found) pass through.
 */
async function reading(rt: Runtime, read: () => Promise<Response>): Promise<Response> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof HttpError || e instanceof NotFoundError) throw e;
    return unavailable(`the store (${rt.store.kind} at ${rt.store.location}) cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export const getClusters = (req: Request) =>
  handle(req, async (rt) => reading(rt, async () => {
    const stored = await rt.store.clusters();
    const live = new Map(rt.clusters().map((c) => [c.cluster, c]));
    return json({
      clusters: stored.map((c) => ({ ...c, firstAt: c.firstAt ?? null, lastAt: c.lastAt ?? null, live: live.has(c.name), simulated: live.get(c.name)?.simulated ?? false })),
      watching: [...live.keys()],
    });
  }));

/** Clusters a watcher of this runtime records: their "now" is the wall clock, the others' their last observation. */
export const liveClusters = (rt: Runtime) => {
  const names = new Set(rt.clusters().map((c) => c.cluster));
  return (cluster: string) => names.has(cluster);
};

export const getEpisodes = (req: Request) =>
  handle(req, async (rt) => {
    const q = parseQuery(EpisodesQuerySchema, req);
    return reading(rt, async () => json({ episodes: await listEpisodes(rt.store, q, Date.now(), liveClusters(rt), rt.openGaps()) }));
  });

/**
 * A timeline read computes on the event loop (tens of ms while a cluster takes writes, seconds for 10,000
 * pods), and every ingest acknowledgement queued behind it waits. Ingest commits in a `setImmediate` queued
 * when its request is parsed (server/store/batcher.ts, "Gathering a turn"); a read that first waits for two
 * `setImmediate`s lets every commit queued before it run, and those acknowledgements go out before it
 * computes. Twice, because one queued while the event loop is already running `setImmediate`s runs in the
 * next round, not this one. It changes nothing in the read's answer.
 */
async function acknowledgementsFirst(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * The JSON document is the default and `?format=json`; `?format=compact` (lib/api/timeline-compact.ts)
 * encodes the same engine result in under half the bytes, and is what the UI reads. The body is encoded
 * once per answer and kept as bytes (timeline-body.ts); `next start` gzips it (it drops a route's own
 * Content-Encoding and compresses again, so the handler cannot send a kept gzip).
 */
export const getTimelineHandler = (req: Request) =>
  handle(req, async (rt) => {
    const { format } = parseQuery(TimelineFormatSchema, req);
    const q = parseQuery(TimelineQuerySchema, req);
    await acknowledgementsFirst();
    return reading(rt, async () => {
      const body = await timelineBody(rt.store, q, format, Date.now(), rt.openGaps(), liveClusters(rt));
      return jsonText(body.bytes);
    });
  });

export const getPodHandler = (req: Request, uid: string) =>
  handle(req, async (rt) => {
    if (!/^[0-9a-zA-Z-]{1,64}$/.test(uid)) throw new HttpError(400, "uid: not a pod uid");
    const cluster = new URL(req.url).searchParams.get("cluster") ?? undefined;
    return reading(rt, async () => json(await getPod(rt.store, uid, cluster, Date.now(), liveClusters(rt), rt.openGaps())));
  });

export const getStream = (req: Request) => handle(req, async (rt) => openStream(rt, parseQuery(StreamQuerySchema, req), req.signal));

export const getMetrics = (req: Request) => handle(req, async (rt) => text(await rt.metrics(), "text/plain; version=0.0.4; charset=utf-8"));

function defaultCluster(rt: Runtime): string {
  return rt.clusters()[0]?.cluster ?? "default";
}

export const postLbIngest = (req: Request) =>
  handle(
    req,
    async (rt) => {
      requireIngest(rt, req);
      const parsed = LbIngestSchema.safeParse(await readJsonBody(req, MAX_INGEST_BYTES));
      if (!parsed.success) throw new HttpError(400, describeIssues(parsed.error));
      const now = Date.now();
      const badTime = lbTimeProblem(parsed.data, now);
      if (badTime) throw new HttpError(400, badTime);
      const events = lbToEvents(parsed.data, defaultCluster(rt), now);
      return ingestOr503(rt, events, events.length);
    },
    { auth: "none" },
  );

export const postSignalIngest = (req: Request) =>
  handle(
    req,
    async (rt) => {
      requireIngest(rt, req);
      const parsed = SignalIngestSchema.safeParse(await readJsonBody(req, MAX_INGEST_BYTES));
      if (!parsed.success) throw new HttpError(400, describeIssues(parsed.error));
      const now = Date.now();
      const badTime = signalTimeProblem(parsed.data, now);
      if (badTime) throw new HttpError(400, badTime);
      return ingestOr503(rt, [signalToEvent(parsed.data, defaultCluster(rt), now)], 1);
    },
    { auth: "none" },
  );

/**
 * DELETE /api/clusters/:name: removes every stored row of one cluster (imported data stays until this).
 * Write-protected like POST /api/import: a custom header (or a token) makes a browser on another origin
 * ask first, and we never say yes; the read token applies as to every call. A cluster this dashboard is
 * watching is refused (409): the watcher would only write it again.
 */
export const deleteClusterHandler = (req: Request, rawName: string) =>
  handle(req, async (rt) => {
    if (!req.headers.get("authorization") && req.headers.get("x-drainscope-write") !== "1") {
      throw new HttpError(403, "deleting a cluster needs the header X-Drainscope-Write: 1 (or an Authorization token)");
    }
    const name = ClusterNameSchema.safeParse(rawName);
    if (!name.success) throw new HttpError(400, `cluster: ${name.error.issues[0]?.message ?? "not a valid cluster name"}`);
    if (rt.clusters().some((c) => c.cluster === name.data)) {
      throw new HttpError(409, `cluster "${name.data}" is being watched by this dashboard: stop watching it (DRAINSCOPE_CONTEXTS) before deleting its history`);
    }
    const deleted = await rt.store.deleteCluster(name.data).catch((e: unknown) => {
      throw new HttpError(503, `the store (${rt.store.kind} at ${rt.store.location}) cannot write, nothing was deleted: ${e instanceof Error ? e.message : String(e)}`);
    });
    if (deleted === 0) throw new HttpError(404, `no cluster "${name.data}" in the store`);
    return json({ cluster: name.data, deleted });
  });
