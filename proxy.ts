/**
 * Runs before every request, pages and static files included (Next 16's proxy, Node.js runtime): the
 * Host/Origin guard against DNS rebinding and cross-site writes, then, when DRAINSCOPE_AUTH_TOKEN is set,
 * pages without a session go to /login. API routes answer 401 themselves (server/http/respond.ts).
 */
import { NextResponse, type NextRequest } from "next/server";
import { ConfigError, loadConfig } from "./server/config";
import { checkRequest, hostPolicy, refusalResponse } from "./server/http/host-guard";
import { isAuthenticated } from "./server/http/session";

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
  if (token && !open(pathname) && !isAuthenticated(request, token)) {
    if (request.method !== "GET" && request.method !== "HEAD") return new Response("authentication required: log in at /login\n", { status: 401 });
    // A relative Location: the browser resolves it against the address it used, whatever Host we were sent.
    return new Response(null, { status: 303, headers: { Location: `/login?${new URLSearchParams({ next: `${pathname}${search}` }).toString()}`, "Cache-Control": "no-store" } });
  }
  return NextResponse.next();
}
