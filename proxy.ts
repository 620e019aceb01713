/**
 * Runs before every request, pages and static files included (Next 16's proxy, Node.js runtime): the
 * Host/Origin guard against DNS rebinding and cross-site writes, then, when DRAINSCOPE_AUTH_TOKEN is set,
 * pages without a session go to /login. API routes answer 401 themselves (server/http/respond.ts). Pages get
 * a Content-Security-Policy with a per-request script nonce (server/http/csp.ts).
 *
 * Not for ingest (`config.matcher`): in-pod senders POST /api/ingest/* at high rates, and running the proxy
 * costs each request a second Request built from the socket, a copy of its body stream and a parse of the
 * whole environment (0.3–0.4 ms of CPU each in `next start`, measured in server/bench/ingest-latency.ts
 * --next). The ingest handlers run the same Host/Origin guard themselves (server/http/respond.ts `handle`),
 * and the API answers 401 itself, so nothing else the proxy does applies to them.
 */
import { NextResponse, type NextRequest } from "next/server";
import { ConfigError, loadConfig } from "./server/config";
import { newNonce, pageCsp, wantsPageCsp } from "./server/http/csp";
import { checkRequest, hostPolicy, refusalResponse, requestHost } from "./server/http/host-guard";
import { cameOverHttps, isAuthenticated } from "./server/http/session";

/** What a browser may load without a session: the login page, its scripts and styles, the icon; the API and /metrics answer 401 themselves. */
function open(pathname: string): boolean {
  return (
    pathname === "/login" ||
    pathname === "/metrics" ||
    pathname === "/icon.svg" ||
    pathname === "/favicon.ico" ||
    pathname.startsWith("/_next/") ||
    pathname.startsWith("/api/")
  );
}

/** Next wants an absolute Location from a proxy: `path` at the address the browser used (its Host passed the guard). */
function sameSite(request: NextRequest, path: string): URL {
  return new URL(path, `${cameOverHttps(request) ? "https" : "http"}://${requestHost(request)}`);
}

/** Every path except the ingest routes (a regular expression, as Next matches `matcher` entries). */
export const config = { matcher: ["/((?!api/ingest/).*)"] };

export function proxy(request: NextRequest): Response {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) return new Response(`Drainscope is not running: ${e.message}\n`, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    throw e;
  }
  const refused = checkRequest(request, hostPolicy(config));
  if (refused) return refusalResponse(refused);
  const token = config.DRAINSCOPE_AUTH_TOKEN;
  const { pathname, search } = request.nextUrl;
  // Without a token there is nothing to log in to: the login page would only confuse.
  if (!token && pathname === "/login") return NextResponse.redirect(sameSite(request, "/"), 303);
  if (token && !open(pathname) && !isAuthenticated(request, token)) {
    if (request.method !== "GET" && request.method !== "HEAD") return new Response("authentication required: log in at /login\n", { status: 401 });
    const login = sameSite(request, "/login");
    login.searchParams.set("next", `${pathname}${search}`);
    return NextResponse.redirect(login, 303);
  }
  if (!wantsPageCsp(pathname)) return NextResponse.next();
  const csp = pageCsp(newNonce(), process.env.NODE_ENV === "development");
  // On the request, Next finds the nonce and stamps it on the scripts it renders; on the response, the browser enforces it.
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}
