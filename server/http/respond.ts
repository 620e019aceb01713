/**
 * What every route handler shares: query parsing with the API's zod schemas, auth, capped bodies and
 * one mapping from known failures to status codes. Handlers stay two or three lines.
 */
import type { z } from "zod";
import { describeIssues } from "../../lib/api/contracts";
import { NotFoundError } from "../queries/timeline";
import { getRuntime } from "../runtime/registry";
import type { Runtime } from "../runtime/runtime";
import { checkRequest, hostPolicy, refusalResponse } from "./host-guard";
import { bearerToken, isAuthenticated, tokenMatches } from "./session";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

const NO_STORE = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8", ...NO_STORE } });
}

/** JSON already serialized (a string, or its UTF-8 bytes: sent as they are, not encoded again). */
export function jsonText(body: string | Uint8Array<ArrayBuffer>): Response {
  return new Response(body, { status: 200, headers: { "Content-Type": "application/json; charset=utf-8", ...NO_STORE } });
}

export function text(body: string, contentType = "text/plain; charset=utf-8", status = 200): Response {
  return new Response(body, { status, headers: { "Content-Type": contentType, ...NO_STORE } });
}

export function parseQuery<S extends z.ZodType>(schema: S, request: Request): z.output<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new HttpError(400, describeIssues(parsed.error));
  return parsed.data;
}

/** Reads need DRAINSCOPE_AUTH_TOKEN when one is set (the dashboard listens beyond loopback). */
export function requireRead(runtime: Runtime, request: Request): void {
  const token = runtime.config.DRAINSCOPE_AUTH_TOKEN;
  if (!token || isAuthenticated(request, token)) return;
  throw new HttpError(401, "authentication required: log in at /login, or send Authorization: Bearer <DRAINSCOPE_AUTH_TOKEN>");
}

/** Ingest needs its own token; without DRAINSCOPE_INGEST_TOKEN ingest is off. */
export function requireIngest(runtime: Runtime, request: Request): void {
  const token = runtime.config.DRAINSCOPE_INGEST_TOKEN;
  if (!token) throw new HttpError(403, "ingest is disabled: set DRAINSCOPE_INGEST_TOKEN to enable it");
  if (!tokenMatches(bearerToken(request), token)) throw new HttpError(401, "ingest requires Authorization: Bearer <DRAINSCOPE_INGEST_TOKEN>");
}

/** Reads a body of at most `maxBytes`, counting what actually arrives (Content-Length can lie). */
export async function readBodyCapped(
  request: Request,
  maxBytes: number,
  what = "body",
  tooLarge: (bytes: number) => HttpError = (n) => new HttpError(413, `${what} of ${n} bytes is over the ${maxBytes}-byte limit`),
): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(declared);
  const reader = request.body?.getReader();
  if (!reader) throw new HttpError(400, `${what}: empty body: send it as the request body`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(size);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON body of at most `maxBytes`. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const body = await readBodyCapped(request, maxBytes);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw new HttpError(400, `body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Runs a handler with the runtime, after the Host/Origin guard (proxy.ts runs it too; this keeps every route
 * safe on its own); known failures become 4xx/503 JSON, nothing else leaks.
 */
export async function handle(request: Request, fn: (runtime: Runtime) => Promise<Response>, opts: { auth?: "read" | "none" } = {}): Promise<Response> {
  let runtime: Runtime;
  try {
    runtime = await getRuntime();
  } catch (e) {
    return json({ error: `Drainscope is not running: ${e instanceof Error ? e.message : String(e)}` }, 503);
  }
  const refused = checkRequest(request, hostPolicy(runtime.config));
  if (refused) return refusalResponse(refused);
  try {
    if (opts.auth !== "none") requireRead(runtime, request);
    return await fn(runtime);
  } catch (e) {
    if (e instanceof HttpError) return json({ error: e.message }, e.status);
    if (e instanceof NotFoundError) return json({ error: e.message }, 404);
    console.error(e);
    return json({ error: "internal error" }, 500);
  }
}
