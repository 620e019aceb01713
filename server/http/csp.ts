/**
 * The pages' Content-Security-Policy, with a fresh nonce per request (docs/adr/0002): proxy.ts sends it on the
 * response and on the request, where Next reads the nonce and puts it on its own inline and bundle scripts.
 * `'strict-dynamic'` lets those scripts load their chunks; no `'unsafe-inline'` for scripts. Styles keep
 * `'unsafe-inline'`: React renders `style` attributes, which a nonce cannot cover.
 */

/** 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function pageCsp(nonce: string, isDev: boolean): string {
  return [
    "default-src 'self'",
    // React's dev build needs eval; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Requests that render HTML or RSC payloads (not the API, which sets its own, nor static files). */
export function wantsPageCsp(pathname: string): boolean {
  return !pathname.startsWith("/api/") && !pathname.startsWith("/_next/static/") && pathname !== "/metrics";
}
