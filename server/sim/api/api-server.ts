/**
 * The simulated Kubernetes API server: Node's `http` (or `https`, with `tls`) on 127.0.0.1, read-only,
 * speaking the subset the watcher and kubectl use (discovery, list, watch, get). Authentication and
 * authorisation are a real apiserver's (auth.ts): the kubeconfig's token (or a client certificate, over
 * TLS) is required, unknown credentials and anonymous requests get 401, a verb or resource the identity
 * is not granted gets 403. `/__sim/*` admin paths need an authenticated identity, except the read-only
 * data-plane views under `/__sim/dataplanes/` (real LB admin APIs have none).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type Server as TlsServer } from "node:https";
import type { SimClock } from "../core/clock";
import type { Rng } from "../core/rng";
import { readAll, SimAuth, type Authentication, type SimAuthOptions, type SimIdentity, type SimVerb } from "./auth";
import * as discovery from "./discovery";
import { Faults, FaultRequestSchema, type FaultTarget } from "./faults";
import { BodyError, readJsonBody, sendJson, sendText } from "./http-util";
import { LEASE_RESOURCE, leaseHolder, leaseRoute, LeaseStore } from "./leases";
import { ListPager } from "./list";
import { handleCollection, handleObject, type ResourceHandlerDeps } from "./resource-handler";
import { routeFor } from "./routes";
import {
  badRequestStatus,
  forbiddenStatus,
  internalErrorStatus,
  methodNotAllowedStatus,
  pathNotFoundStatus,
  serviceUnavailableStatus,
  unauthorizedStatus,
  type Status,
} from "./status";
import type { ObjectStore } from "./store";
import type { WatchStream } from "./watch-stream";

/** Extra `/__sim/<rest>` routes (data planes, LB member records). Return false when not handled. */
export type SimRouteHandler = (rest: readonly string[], url: URL, req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface ApiServerOptions {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly rng: Rng;
  /** The kubeconfig's bearer token: it authenticates as `tokenUser`. */
  readonly token: string;
  /** Who `token` is (default `drainscope-sim`, granted read of everything unless `auth.rules` says otherwise). */
  readonly tokenUser?: SimIdentity;
  /** More tokens, RBAC-like rules, anonymous reads. */
  readonly auth?: SimAuthOptions;
  /** Serve HTTPS with this certificate; `clientCa` also accepts client certificates it signed. */
  readonly tls?: SimTls;
  readonly host?: string;
  /** 0 = an ephemeral port. */
  readonly port?: number;
  /** Requests without credentials read as `system:anonymous` (kubectl sends none to an http:// server). Default false. */
  readonly anonymousReads?: boolean;
  /** Virtual ms between watch bookmarks (default 60 s, like a real server's ~1 min). */
  readonly bookmarkIntervalMs?: number;
  readonly simRoutes?: SimRouteHandler;
}

export interface SimTls {
  readonly key: string;
  readonly cert: string;
  /** The CA that signed `cert` (written into the kubeconfig). */
  readonly ca?: string;
  readonly clientCa?: string;
}

export const DEFAULT_SIM_USER: SimIdentity = { user: "drainscope-sim" };

export class ApiServer implements FaultTarget {
  readonly faults: Faults;
  readonly auth: SimAuth;
  private readonly http: Server | TlsServer;
  private readonly streams = new Set<WatchStream>();
  private readonly pager: ListPager;
  private readonly deps: ResourceHandlerDeps;
  private readonly leases: LeaseStore;
  private boundPort = 0;
  private readonly host: string;

  constructor(private readonly o: ApiServerOptions) {
    this.host = o.host ?? "127.0.0.1";
    this.pager = new ListPager(o.rng.fork("continue-tokens"));
    this.faults = new Faults(this);
    const tokenUser = o.tokenUser ?? DEFAULT_SIM_USER;
    this.auth = new SimAuth({
      tokens: { [o.token]: tokenUser, ...o.auth?.tokens },
      // Besides reading, the kubeconfig's user may hold the watcher's Lease, as deploy/base's Role grants.
      rules: o.auth?.rules ?? [readAll(tokenUser.user), leaseHolder(tokenUser.user)],
      anonymousReads: o.anonymousReads ?? o.auth?.anonymousReads,
    });
    this.leases = new LeaseStore(o.clock);
    this.deps = {
      store: o.store,
      clock: o.clock,
      rng: o.rng.fork("watch-timeouts"),
      pager: this.pager,
      bookmarkIntervalMs: o.bookmarkIntervalMs ?? 60_000,
      track: (s) => this.streams.add(s),
      untrack: (s) => this.streams.delete(s),
      takeExpire: () => this.faults.takeExpire(),
    };
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, internalErrorStatus(error instanceof Error ? error.message : String(error)));
        else res.destroy();
      });
    };
    // Client certificates are checked by auth.ts, so an untrusted one gets a 401 Status, not a TLS alert.
    this.http = o.tls
      ? createTlsServer({ key: o.tls.key, cert: o.tls.cert, ...(o.tls.clientCa ? { ca: o.tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}) }, listener)
      : createServer(listener);
    this.http.keepAliveTimeout = 30_000;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `${this.o.tls ? "https" : "http"}://${this.host}:${this.boundPort}`;
  }

  async listen(): Promise<void> {
    await this.listenOn(this.o.port ?? 0);
  }

  async close(): Promise<void> {
    for (const s of [...this.streams]) s.end();
    this.http.closeAllConnections();
    if (!this.http.listening) return;
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // FaultTarget

  dropWatches(): number {
    const all = [...this.streams];
    for (const s of all) s.drop();
    return all.length;
  }

  dropWatchesOf(resource: string): number {
    const mine = [...this.streams].filter((s) => s.resource === resource);
    for (const s of mine) s.drop();
    return mine.length;
  }

  writeHugeLine(bytes: number): number {
    let n = 0;
    for (const s of this.streams) {
      if (s.isStalled) continue;
      s.writeHuge(bytes);
      n++;
    }
    return n;
  }

  stallWatches(): number {
    let n = 0;
    for (const s of this.streams) {
      if (!s.isStalled) n++;
      s.stall();
    }
    return n;
  }

  writeMalformedLine(): number {
    let n = 0;
    for (const s of this.streams) {
      if (s.isStalled) continue;
      s.writeMalformed();
      n++;
    }
    return n;
  }

  async restart(downtimeMs: number, rvJump: number): Promise<void> {
    this.o.store.loseHistory(rvJump);
    this.pager.reset();
    this.dropWatches();
    this.http.closeAllConnections();
    if (downtimeMs <= 0) return;
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.o.clock.sleep(downtimeMs);
    await this.listenOn(this.boundPort);
  }

  watchCounts(): { open: number; stalled: number } {
    let stalled = 0;
    for (const s of this.streams) if (s.isStalled) stalled++;
    return { open: this.streams.size, stalled };
  }

  private async listenOn(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.http.once("error", onError);
      this.http.listen(port, this.host, () => {
        this.http.off("error", onError);
        resolve();
      });
    });
    const address = this.http.address();
    if (address && typeof address === "object") this.boundPort = address.port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const route = routeFor(url.pathname);
    const auth = this.auth.authenticate(req);
    const who = this.auth.subjectOf(auth);
    // Audit when the status goes out (a watch's response never "finishes" while it streams).
    const writeHead = res.writeHead.bind(res) as (code: number, headers?: Record<string, string | number>) => ServerResponse;
    res.writeHead = ((code: number, headers?: Record<string, string | number>) => {
      this.auth.record({
        method: req.method ?? "",
        path: `${url.pathname}${url.search}`,
        ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
        ...(who ? { user: who.user, via: auth.kind === "identity" ? auth.via : "anonymous" } : {}),
        code,
      });
      return writeHead(code, headers);
    }) as typeof res.writeHead;
    if (auth.kind === "unauthorized") return sendJson(res, 401, unauthorizedStatus());
    if (route.kind === "health") return sendText(res, 200, "ok");
    if (route.kind === "version") return sendJson(res, 200, discovery.SIM_VERSION);
    if (route.kind === "sim") return this.handleSim(route.rest, url, req, res, auth);
    if (!who) return sendJson(res, 401, unauthorizedStatus());
    // Leases (leader election) are the one kind clients write: server/sim/api/leases.ts.
    const lease = leaseRoute(url.pathname);
    if (lease) return this.leases.handle(req, res, lease, (verb, name) => this.auth.authorize(who, verb, LEASE_RESOURCE, lease.namespace, name));
    if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, methodNotAllowedStatus(req.method ?? ""));

    switch (route.kind) {
      case "core-versions":
        return sendJson(res, 200, discovery.coreVersions(`${this.host}:${this.boundPort}`));
      case "groups":
        return sendJson(res, 200, discovery.groupList());
      case "group":
        return this.sendOr404(res, discovery.group(route.group));
      case "resource-list":
        return this.sendOr404(res, discovery.resourceList(route.group, route.version));
      case "unknown":
        return sendJson(res, 404, pathNotFoundStatus());
      case "collection":
      case "object": {
        const watching = ["true", "1"].includes(url.searchParams.get("watch") ?? "");
        const verb: SimVerb = route.kind === "object" ? "get" : watching ? "watch" : "list";
        const forbidden = this.auth.authorize(who, verb, route.resource, route.namespace, route.kind === "object" ? route.name : undefined);
        if (forbidden) return sendJson(res, 403, forbidden);
        if (this.faults.takeForbidden(route.resource.name)) return sendJson(res, 403, forbiddenStatus(who.user, verb, route.resource, route.namespace));
        if (verb === "watch" && this.faults.takeEmptyWatch()) {
          res.writeHead(200, { "Content-Type": "application/json" });
          return void res.end();
        }
        const code = this.faults.takeFailure();
        if (code !== undefined) return sendJson(res, code, injectedFailure(code));
        if (route.kind === "collection") return handleCollection(this.deps, req, res, url, route.resource, route.namespace);
        return handleObject(this.deps, req, res, url, route.resource, route.namespace, route.name);
      }
    }
  }

  private sendOr404(res: ServerResponse, body: object | undefined): void {
    if (body) sendJson(res, 200, body);
    else sendJson(res, 404, pathNotFoundStatus());
  }

  private async handleSim(rest: readonly string[], url: URL, req: IncomingMessage, res: ServerResponse, auth: Authentication): Promise<void> {
    const isPublic = rest[0] === "dataplanes";
    if (!isPublic && auth.kind !== "identity") return sendJson(res, 401, unauthorizedStatus());
    if (rest[0] === "faults" && rest.length === 1) {
      if (req.method === "GET") return sendJson(res, 200, this.faults.state());
      if (req.method !== "POST") return sendJson(res, 405, methodNotAllowedStatus(req.method ?? ""));
      let body: unknown;
      try {
        body = await readJsonBody(req);
      } catch (error) {
        if (error instanceof BodyError) return sendJson(res, 400, badRequestStatus(error.message));
        throw error;
      }
      const parsed = FaultRequestSchema.safeParse(body);
      if (!parsed.success) return sendJson(res, 400, badRequestStatus(`invalid fault: ${parsed.error.issues[0]?.message ?? "bad body"}`));
      // Answer before a restart closes this very connection.
      if (parsed.data.fault === "restart") {
        sendJson(res, 202, { fault: "restart", accepted: true });
        await new Promise<void>((resolve) => res.once("finish", () => resolve()));
      }
      const result = await this.faults.apply(parsed.data);
      if (!res.headersSent) sendJson(res, 200, result);
      return;
    }
    if (rest[0] === "now" && rest.length === 1) {
      const now = this.o.clock.now();
      return sendJson(res, 200, { now: new Date(Math.floor(now)).toISOString(), nowMs: now, speed: this.o.clock.speed });
    }
    const handled = this.o.simRoutes ? await this.o.simRoutes(rest, url, req, res) : false;
    if (!handled) sendJson(res, 404, pathNotFoundStatus());
  }
}

function injectedFailure(code: number): Status {
  return code === 503 ? serviceUnavailableStatus("injected fault: service unavailable") : { ...internalErrorStatus("injected fault"), code };
}
