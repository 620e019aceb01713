/**
 * HTTP to the API server with @kubernetes/client-node's configuration and auth (kubeconfig, contexts,
 * in-cluster, exec plugins, client certs). We read the watch stream ourselves rather than through the
 * library's Watch, because that one silently drops lines it cannot parse and has no stall detection:
 * a malformed line here fails the stream so the loop relists and records a gap.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import fetch from "node-fetch";
import { createInterface } from "node:readline";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
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
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Bodies we read are capped: a list page or a status over this is not something we asked for. */
const MAX_LIST_BYTES = 256 * 1024 * 1024;

export function createKubeTransport(kc: KubeConfig): KubeTransport {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig context "${kc.getCurrentContext()}" names no cluster`);
  const server = cluster.server.replace(/\/+$/, "");
  const url = (path: string, params: Readonly<Record<string, string>>) => {
    const u = new URL(server + path);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  };
  const request = async (path: string, params: Readonly<Record<string, string>>, signal: AbortSignal) => {
    const init = await kc.applyToFetchOptions({});
    const res = await fetch(url(path, params), { ...init, method: "GET", signal: signal as never, headers: { ...(init.headers as Record<string, string>), Accept: "application/json" } });
    if (res.status !== 200) {
      const text = (await res.text()).slice(0, 2000);
      let message = `${res.status} ${res.statusText}`;
      try {
        const body: unknown = JSON.parse(text);
        if (isRecord(body) && typeof body.message === "string") message = `${res.status}: ${body.message}`;
      } catch {
        // not a Status object: keep the HTTP status line
      }
      throw new ApiError(message, res.status);
    }
    return res;
  };
  return {
    server,
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
      const lines = createInterface({ input: body, crlfDelay: Infinity });
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
