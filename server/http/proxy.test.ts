// proxy.ts, which Next runs before every request: the guard for pages too, and the login redirect.
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { config, proxy } from "../../proxy";

const TOKEN = "read-token-0123456789";
const page = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  proxy(new NextRequest(`http://127.0.0.1:3000${path}`, { method, headers: { host: "127.0.0.1:3000", ...headers } }));
/** NextResponse.next() carries this header; a refusal or redirect does not. */
const passedOn = (r: Response) => r.headers.get("x-middleware-next") === "1";

describe("proxy without a token", () => {
  beforeEach(() => vi.stubEnv("DRAINSCOPE_AUTH_TOKEN", ""));
  afterEach(() => vi.unstubAllEnvs());

  it("serves pages and assets on loopback names, refuses a rebinding host with 421", async () => {
    expect(passedOn(page("/"))).toBe(true);
    expect(passedOn(page("/timeline?cluster=a", { host: "localhost:3000" }))).toBe(true);
    const r = page("/", { host: "rebind.attacker.example:3000" });
    expect(r.status).toBe(421);
    expect(await r.text()).toMatch(/^Drainscope does not answer to the host name "rebind.attacker.example:3000"/);
    expect(page("/_next/static/chunks/a.js", { host: "rebind.attacker.example:3000" }).status).toBe(421);
  });

  it("refuses a cross-origin write with 403", () => {
    expect(page("/api/import", { origin: "http://evil.example" }, "POST").status).toBe(403);
  });

  it("sends /login to the home page: there is nothing to log in to", () => {
    const r = page("/login?next=%2F");
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe("http://127.0.0.1:3000/");
  });

  it("honours DRAINSCOPE_ALLOWED_HOSTS", () => {
    vi.stubEnv("DRAINSCOPE_ALLOWED_HOSTS", "dash.example.com");
    expect(passedOn(page("/", { host: "dash.example.com" }))).toBe(true);
  });
});

describe("proxy with a token", () => {
  beforeEach(() => vi.stubEnv("DRAINSCOPE_AUTH_TOKEN", TOKEN));
  afterEach(() => vi.unstubAllEnvs());

  it("sends a page without a session to /login, keeping where it was going", () => {
    const r = page("/timeline?cluster=a&namespace=b");
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe("http://127.0.0.1:3000/login?next=%2Ftimeline%3Fcluster%3Da%26namespace%3Db");
  });

  it("lets the login page, assets, the API and /metrics through (the API answers 401 itself)", () => {
    for (const p of ["/login?next=%2F", "/_next/static/chunks/a.js", "/icon.svg", "/api/clusters", "/metrics"]) expect(passedOn(page(p))).toBe(true);
  });

  it("serves a page with the session cookie; a malformed or wrong cookie goes to /login", () => {
    expect(passedOn(page("/", { cookie: `drainscope_token=${TOKEN}` }))).toBe(true);
    expect(page("/", { cookie: "drainscope_token=%E0%A4%A" }).status).toBe(303);
    expect(page("/", { cookie: "drainscope_token=wrong" }).status).toBe(303);
  });

  it("answers 401 to a page write without a session", () => {
    expect(page("/", {}, "POST").status).toBe(401);
  });
});

describe("which requests the proxy sees", () => {
  // Next's own matcher logic, as `next start` applies `config.matcher`.
  const runs = (url: string) => unstable_doesMiddlewareMatch({ config, url });

  it("runs for pages, assets, the read API and /metrics", () => {
    for (const path of ["/", "/timeline?cluster=a", "/login", "/_next/static/chunks/a.js", "/icon.svg", "/api/timeline?cluster=a", "/api/import", "/api/clusters/a", "/api/health", "/metrics", "/api/ingestion"]) {
      expect([path, runs(path)]).toEqual([path, true]);
    }
  });

  it("skips the ingest routes, which guard themselves (respond.ts handle)", () => {
    for (const path of ["/api/ingest/signal", "/api/ingest/lb"]) expect([path, runs(path)]).toEqual([path, false]);
  });
});
