/**
 * HTTP to the API server with @kubernetes/client-node's configuration and auth (tokens, token files,
 * client certs, exec plugins, auth providers, in-cluster, `insecure-skip-tls-verify`, `proxy-url`).
 *
 * Credentials are applied to every request, list and watch alike, so an exec plugin's expiry, a rotated
 * token file or a refreshed auth-provider token takes effect on the next request. A 401 reloads the
 * credentials once (a fresh KubeConfig: files re-read, exec plugins re-run, caches dropped) and retries;
 * only a second 401 counts as a failure, as client-go does for exec plugins.
 *
 * We read the watch stream ourselves rather than through the library's Watch, because that one silently
 * drops lines it cannot parse and has no stall detection: a malformed line here fails the stream so the
 * loop relists and records a gap.
 */
import { KubeConfig } from "@kubernetes/client-node";
import fetch, { Headers, type RequestInit, type Response } from "node-fetch";
import { z } from "zod";
import { cappedLines, DEFAULT_MAX_WATCH_LINE_BYTES } from "./line-reader";

/** The parts of a metav1.Status a failure carried (reason, details), when the body was one. */
export interface StatusDetails {
  readonly reason?: string;
  readonly kind?: string;
  readonly group?: string;
  readonly name?: string;
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    readonly details: StatusDetails = {},
  ) {
    super(message);
  }
}

export class MalformedLineError extends Error {
  override name = "MalformedLineError";
}

export interface ListPage {
  readonly items: readonly Record<string, unknown>[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
}

export interface WatchLine {
  readonly type: string;
  readonly object: Record<string, unknown>;
}

export interface KubeTransport {
  readonly server: string;
  list(path: string, params: Readonly<Record<string, string>>, signal: AbortSignal): Promise<ListPage>;
  /** Resolves when the server ends the stream; rejects on errors and malformed lines. */
  watch(
    path: string,
    params: Readonly<Record<string, string>>,
    handlers: { onOpen: () => void; onLine: (line: WatchLine) => void },
    signal: AbortSignal,
  ): Promise<void>;
  /**
   * One JSON request with the same auth, for leader election's Lease (server/runtime/lease-client.ts).
   * Resolves with any HTTP status; rejects only when no answer came. Optional: test transports lack it.
   */
  send?(method: "GET" | "POST" | "PUT", path: string, body: unknown, signal: AbortSignal): Promise<{ status: number; body: unknown }>;
}

export interface KubeTransportOptions {
  /**
   * Build the configuration again from its sources (kubeconfig files, service-account directory): used
   * after a 401. Default: a copy of `kc` with fresh authenticators (exec and token caches dropped).
   */
  readonly reload?: () => KubeConfig;
  /** The cap on one watch line (default DEFAULT_MAX_WATCH_LINE_BYTES); a longer line drops the stream. */
  readonly maxLineBytes?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Bodies we read are capped: a list page or a status over this is not something we asked for. */
const MAX_LIST_BYTES = 256 * 1024 * 1024;

/** The HTTP options client-node computes for one request: headers (Authorization …) and the agent (TLS, proxy). */
export async function requestOptions(kc: KubeConfig): Promise<{ headers: Headers; agent: RequestInit["agent"] }> {
  let init: Awaited<ReturnType<KubeConfig["applyToFetchOptions"]>>;
  try {
    init = await kc.applyToFetchOptions({});
  } catch (e) {
    // e.g. an exec plugin that failed (client-node's error is its stderr, possibly empty) or an unreadable file
    const detail = e instanceof Error ? e.message.trim() : String(e);
    throw new Error(`cannot get credentials for context "${kc.getCurrentContext()}": ${detail || "the credential plugin failed without a message"}`);
  }
  // client-node 1.4 returns a node-fetch Headers instance here; spreading it into an object yields nothing.
  const headers = new Headers(init.headers);
  headers.set("Accept", "application/json");
  return { headers, agent: init.agent };
}

async function failureOf(res: Response): Promise<ApiError> {
  const text = (await res.text()).slice(0, 2000);
  let message = `${res.status} ${res.statusText}`;
  let details: StatusDetails = {};
  try {
    const body: unknown = JSON.parse(text);
    if (isRecord(body) && typeof body.message === "string") {
      message = `${res.status}: ${body.message}`;
      const d = isRecord(body.details) ? body.details : {};
      const s = (v: unknown) => (typeof v === "string" && v ? v : undefined);
      details = Object.fromEntries(
        Object.entries({ reason: s(body.reason), kind: s(d.kind), group: s(d.group), name: s(d.name) }).filter(([, v]) => v !== undefined),
      );
    }
  } catch {
    // not a Status object: keep the HTTP status line
  }
  return new ApiError(message, res.status, details);
}

export function createKubeTransport(kc: KubeConfig, options: KubeTransportOptions = {}): KubeTransport {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig context "${kc.getCurrentContext()}" names no cluster`);
  const server = cluster.server.replace(/\/+$/, "");
  const reload = options.reload ?? (() => copyOf(kc));
  let config = kc;
  const url = (path: string, params: Readonly<Record<string, string>>) => {
    const u = new URL(server + path);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  };
  // One credential lookup at a time: the resources' loops start together, and client-node's exec provider
  // would run the plugin once per concurrent request before its cache fills.
  let applying: Promise<unknown> = Promise.resolve();
  const send = async (credentials: KubeConfig, path: string, params: Readonly<Record<string, string>>, signal: AbortSignal) => {
    const pending = applying.then(() => requestOptions(credentials));
    applying = pending.catch(() => undefined);
    const { headers, agent } = await pending;
    return fetch(url(path, params), { method: "GET", headers, agent, signal: signal as never });
  };
  const request = async (path: string, params: Readonly<Record<string, string>>, signal: AbortSignal) => {
    const used = config;
    let res = await send(used, path, params, signal);
    if (res.status === 401) {
      // Our credentials may have expired or rotated under us: read them again once before giving up
      // (once per transport: the other resources' requests that failed with the same ones reuse the reload).
      await res.text().catch(() => "");
      if (config === used) config = reload();
      res = await send(config, path, params, signal);
    }
    if (res.status !== 200) throw await failureOf(res);
    return res;
  };
  return {
    server,
    async send(method, path, body, signal) {
      // The same credentials, lookup queue and one reload on 401 as list and watch.
      const once = async (credentials: KubeConfig) => {
        const pending = applying.then(() => requestOptions(credentials));
        applying = pending.catch(() => undefined);
        const { headers, agent } = await pending;
        if (body !== undefined) headers.set("Content-Type", "application/json");
        return fetch(url(path, {}), { method, headers, agent, signal: signal as never, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      };
      const used = config;
      let res = await once(used);
      if (res.status === 401) {
        await res.text().catch(() => "");
        if (config === used) config = reload();
        res = await once(config);
      }
      const text = (await res.text()).slice(0, 1024 * 1024);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed };
    },
    async list(path, params, signal) {
      const res = await request(path, params, signal);
      const text = await res.text();
      if (text.length > MAX_LIST_BYTES) throw new ApiError(`list of ${path} is larger than ${MAX_LIST_BYTES} bytes`, 500);
      const body: unknown = JSON.parse(text);
      if (!isRecord(body) || !Array.isArray(body.items) || !isRecord(body.metadata)) throw new ApiError(`list of ${path}: not a List object`, 500);
      const md = body.metadata;
      return {
        items: body.items.filter(isRecord),
        resourceVersion: typeof md.resourceVersion === "string" ? md.resourceVersion : "",
        ...(typeof md.continue === "string" && md.continue ? { continueToken: md.continue } : {}),
      };
    },
    async watch(path, params, { onOpen, onLine }, signal) {
      const res = await request(path, { ...params, watch: "true" }, signal);
      onOpen();
      const body = res.body;
      const lines = cappedLines(body as AsyncIterable<Buffer>, options.maxLineBytes ?? maxWatchLineBytesFromEnv());
      const destroy = () => {
        if ("destroy" in body && typeof body.destroy === "function") body.destroy();
      };
      signal.addEventListener("abort", destroy, { once: true });
      try {
        for await (const raw of lines) {
          if (raw.trim() === "") continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(raw);
          } catch {
            throw new MalformedLineError(`malformed watch line: ${raw.slice(0, 120)}`);
          }
          if (!isRecord(parsed) || typeof parsed.type !== "string" || !isRecord(parsed.object)) {
            throw new MalformedLineError(`watch line without type/object: ${raw.slice(0, 120)}`);
          }
          onLine({ type: parsed.type, object: parsed.object });
        }
      } finally {
        signal.removeEventListener("abort", destroy);
        destroy();
      }
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
    },
  };
}

const MaxLineSchema = z.string().trim().regex(/^\d{4,12}$/).transform(Number).pipe(z.number().int().min(1024).max(Number.MAX_SAFE_INTEGER));

/**
 * DRAINSCOPE_MAX_WATCH_LINE_BYTES (bytes, at least 1 KiB), read where the transport is made so every way
 * a transport is built (kubeconfig, in-cluster, simulated) obeys it; anything else falls back to the default.
 */
export function maxWatchLineBytesFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const parsed = MaxLineSchema.safeParse(env.DRAINSCOPE_MAX_WATCH_LINE_BYTES);
  return parsed.success ? parsed.data : DEFAULT_MAX_WATCH_LINE_BYTES;
}

/** A KubeConfig with the same clusters, users and context but new authenticators (no cached credentials). */
function copyOf(kc: KubeConfig): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromString(kc.exportConfig());
  copy.setCurrentContext(kc.getCurrentContext());
  return copy;
}
