/**
 * HTTP reads for LB sources: a size-capped GET that parses JSON, with optional headers (credentials
 * stay in the headers and never reach an error message) and an injectable transport for tests.
 */
import type { Agent } from "node:https";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** Largest answer read from an LB's API. */
export const MAX_LB_ANSWER_BYTES = 32 * 1024 * 1024;

export interface HttpGetOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** For https: e.g. an agent that accepts a self-signed certificate (BIG-IP's default management one). */
  readonly agent?: Agent;
}

/** Returns the body as text; throws on a non-2xx status (status line only, never the headers). */
export type HttpGet = (url: string, signal: AbortSignal, opts?: HttpGetOptions) => Promise<string>;

export const httpGet: HttpGet = (url, signal, opts = {}) =>
  new Promise<string>((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return reject(new Error(`unsupported URL scheme ${u.protocol}`));
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(
      u,
      { method: "GET", headers: { accept: "application/json", ...opts.headers }, signal, ...(u.protocol === "https:" && opts.agent ? { agent: opts.agent } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_LB_ANSWER_BYTES) {
            req.destroy(new Error(`answer larger than ${MAX_LB_ANSWER_BYTES / 1024 / 1024} MiB`));
            return;
          }
          chunks.push(c);
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) return reject(new Error(`GET ${u.origin}${u.pathname}: ${status} ${res.statusMessage ?? ""}`.trim()));
          resolve(Buffer.concat(chunks).toString("utf8"));
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });

export async function fetchJson(url: string, signal: AbortSignal, get: HttpGet = httpGet, opts?: HttpGetOptions): Promise<unknown> {
  const text = await get(url, signal, opts);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${new URL(url).pathname}: the answer is not JSON`);
  }
}
