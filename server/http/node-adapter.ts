/**
 * node:http ⇄ the route handlers' Request/Response, for servers outside Next's router (the ingest listener,
 * the ingest bench). Small on purpose: Next's own plumbing costs ~1 ms of CPU per request (docs/benchmarks.md).
 *
 * The body is streamed, not buffered: the handler's own cap (readBodyCapped) decides when a body is too
 * large, and cancelling the stream does not destroy the socket, so the 413 still reaches the sender.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** The request's body as a web stream; pauses the socket when the handler reads slower than it arrives. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (cancelled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => {
        if (!cancelled) controller.close();
      });
      req.once("error", (e) => {
        if (!cancelled) controller.error(e);
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      // The handler has what it needs (or refused the body): the rest is discarded, the answer still goes out.
      cancelled = true;
      req.resume();
    },
  });
}

/** A Request for `req`; `origin` (http://host:port) stands in when the Host header is missing or not a host. */
export function toWebRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i] as string, raw[i + 1] as string);
    } catch {
      // a header value Headers refuses (control characters): dropped, as fetch would refuse to send it
    }
  }
  let url: URL;
  try {
    url = new URL(req.url ?? "/", req.headers.host ? `http://${req.headers.host}` : origin);
  } catch {
    url = new URL(req.url ?? "/", origin);
  }
  const method = req.method ?? "GET";
  // Always a (possibly empty) body stream, as Next gives its routes: an empty POST is "not valid JSON" on both ports.
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(url, { method, headers, ...(hasBody ? { body: bodyStream(req), duplex: "half" } : {}) } as RequestInit);
}

/**
 * Writes `response` to `res`. A request whose body was not read to its end (a 413, a 401 before reading)
 * gets `Connection: close`: the sender learns at once that the rest is not wanted, and the socket does not
 * stay open draining it.
 */
export async function sendWebResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers["content-length"] = String(body.length);
  if (!req.complete) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(body);
}
