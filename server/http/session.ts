/**
 * Who is logged in: the read token (DRAINSCOPE_AUTH_TOKEN) as `Authorization: Bearer …` or in the
 * `drainscope_token` cookie that POST /api/login sets. Comparisons are constant-time; a cookie that is not
 * valid percent-encoding counts as no cookie (a 401, never a 500).
 */
import { timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "drainscope_token";
/** A non-secret, script-readable companion cookie: it only tells the page to show "Log out". */
export const SESSION_HINT_COOKIE = "drainscope_login";

export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerToken(request: Request): string | undefined {
  const h = request.headers.get("authorization") ?? "";
  return h.toLowerCase().startsWith("bearer ") ? h.slice(7).trim() : undefined;
}

/** The session cookie's value, decoded; undefined when absent or malformed. */
export function sessionCookie(request: Request): string | undefined {
  const raw = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`).exec(request.headers.get("cookie") ?? "")?.[1];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function isAuthenticated(request: Request, token: string): boolean {
  return tokenMatches(bearerToken(request), token) || tokenMatches(sessionCookie(request), token);
}

/** Set-Cookie values that log in with `token`: HttpOnly, SameSite=Strict, Path=/, Secure over https. */
export function loginCookies(token: string, secure: boolean): string[] {
  const attrs = `Path=/; SameSite=Strict${secure ? "; Secure" : ""}`;
  return [`${SESSION_COOKIE}=${encodeURIComponent(token)}; ${attrs}; HttpOnly`, `${SESSION_HINT_COOKIE}=1; ${attrs}`];
}

/** Set-Cookie values that log out. */
export function logoutCookies(secure: boolean): string[] {
  const attrs = `Path=/; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT${secure ? "; Secure" : ""}`;
  return [`${SESSION_COOKIE}=; ${attrs}; HttpOnly`, `${SESSION_HINT_COOKIE}=; ${attrs}`];
}

/** Whether the browser reached us over https (directly, or as a TLS-terminating proxy says). */
export function cameOverHttps(request: Request): boolean {
  if (new URL(request.url).protocol === "https:") return true;
  return (request.headers.get("x-forwarded-proto") ?? "").split(",")[0]?.trim().toLowerCase() === "https";
}
