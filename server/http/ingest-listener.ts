/**
 * The optional ingest listener (DRAINSCOPE_INGEST_PORT): a plain node:http server in the runtime's process
 * that answers only `POST /api/ingest/signal` and `POST /api/ingest/lb`, with the very handlers the Next
 * routes call (token, Origin guard, zod, 1 MiB cap, status bodies: all theirs). It skips Next's per-request
 * plumbing, about 1 ms of CPU per request, which is what 64 senders in a closed loop queue behind.
 *
 * Everything else: 404, or 405 with Allow for another method on an ingest path. No pages, no reads.
 * A listener that cannot start (port in use, a non-loopback host without DRAINSCOPE_AUTH_TOKEN) never takes
 * the runtime down: it is logged and shown in /api/health, and the dashboard goes on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Runtime } from "../runtime/runtime";
import { installRuntimeIfNone } from "../runtime/registry";
import { postLbIngest, postSignalIngest } from "./handlers";
import { sendWebResponse, toWebRequest } from "./node-adapter";
import { json } from "./respond";
import { isLoopbackHost } from "./loopback";

/** What /api/health shows of the listener. */
export interface IngestListenerState {
  /** http://host:port while listening. */
  readonly url?: string;
  /** Why it is not listening. */
  readonly error?: string;
}

export interface IngestListener {
  state(): IngestListenerState;
  close(): Promise<void>;
}

const ROUTES: Readonly<Record<string, (req: Request) => Promise<Response>>> = {
  "/api/ingest/signal": postSignalIngest,
  "/api/ingest/lb": postLbIngest,
};

/** The same rule as `drainscope start`: beyond loopback only with a read token set. */

/** Bounds: a sender has 10 s for its headers and 30 s for the whole request; idle connections stay 65 s. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** At stop, connections still open after this are cut. */
const CLOSE_GRACE_MS = 2_000;

const urlOf = (host: string, port: number) => `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

async function answer(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  let response: Response;
  if (!route) response = json({ error: `not found: this port serves only POST /api/ingest/signal and POST /api/ingest/lb` }, 404);
  else if (req.method !== "POST") {
    response = json({ error: `method ${req.method ?? ""} not allowed: ${path} takes POST` }, 405);
    response.headers.set("Allow", "POST");
  } else response = await route(toWebRequest(req, origin));
  await sendWebResponse(req, res, response);
}

/**
 * Starts the listener for `runtime` on `host:port` (port 0: any free one). Resolves once it listens or has
 * failed to; never rejects.
 */
export async function startIngestListener(runtime: Runtime, host: string, port: number, log: (line: string) => void): Promise<IngestListener> {
  const wanted = urlOf(host, port);
  if (!isLoopbackHost(host) && !runtime.config.DRAINSCOPE_AUTH_TOKEN) {
    const error = `refusing to listen on ${host} without DRAINSCOPE_AUTH_TOKEN (the same rule as the dashboard): set a token or DRAINSCOPE_HOST=127.0.0.1`;
    log(`ingest listener could not start: ${error}`);
    return { state: () => ({ error }), close: async () => undefined };
  }
  // `drainscope watch` has no registry runtime: the handlers must find this one, not start a second.
  const uninstall = installRuntimeIfNone(runtime);
  let origin = wanted;
  const server: Server = createServer({ noDelay: true, keepAlive: true, headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
    answer(req, res, origin).catch((e: unknown) => {
      log(`ingest listener: request failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8", connection: "close" });
      res.end(res.headersSent ? undefined : JSON.stringify({ error: "internal error" }));
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  const error = await new Promise<string | undefined>((resolve) => {
    server.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "EADDRINUSE" ? `${wanted} is in use (EADDRINUSE): choose another DRAINSCOPE_INGEST_PORT` : `cannot listen on ${wanted}: ${e.message}`));
    server.listen(port, host, () => resolve(undefined));
  });
  if (error) {
    uninstall();
    log(`ingest listener could not start: ${error}`);
    return { state: () => ({ error }), close: async () => undefined };
  }
  origin = urlOf(host, (server.address() as AddressInfo).port);
  log(`ingest listener on ${origin}`);
  let closing: Promise<void> | undefined;
  return {
    state: () => ({ url: origin }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Requests in flight get their answer (their commit takes at most INGEST_COMMIT_TIMEOUT_MS); a
        // sender's stalled body does not hold the stop up past the grace.
        const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(grace);
          resolve();
        });
        server.closeIdleConnections();
      }).finally(uninstall);
      return closing;
    },
  };
}
