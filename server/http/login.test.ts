// Login, logout and the session cookie, called as Next calls the route handlers, on a runtime with a read token.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { getClusters } from "./handlers";
import { postLogin, postLogout } from "./login";
import { postImport } from "./transfer";

const TOKEN = "read-token-0123456789;=% x";
let rt: Runtime;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ds-login-"));
  const config = loadConfig({ DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_AUTH_TOKEN: TOKEN });
  rt = await startRuntime(config, { env: {}, log: () => {}, effects: systemEffects });
  installRuntime(Promise.resolve(rt));
});

afterAll(async () => {
  installRuntime(undefined);
  await rt.stop();
});

const BASE = "http://127.0.0.1:3000";
const login = (body: unknown, headers: Record<string, string> = {}, base = BASE) =>
  postLogin(new Request(`${base}/api/login`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } }));
const clusters = (headers: Record<string, string>) => getClusters(new Request(`${BASE}/api/clusters`, { headers }));

describe("POST /api/login", () => {
  it("sets an HttpOnly, SameSite=Strict, Path=/ session cookie for the right token, and that cookie reads", async () => {
    const r = await login({ token: TOKEN });
    expect(r.status).toBe(200);
    const cookies = r.headers.getSetCookie();
    expect(cookies).toEqual([
      `drainscope_token=${encodeURIComponent(TOKEN)}; Path=/; SameSite=Strict; HttpOnly`,
      "drainscope_login=1; Path=/; SameSite=Strict",
    ]);
    const session = cookies[0]?.split(";")[0] ?? "";
    expect((await clusters({ cookie: `theme=dark; ${session}` })).status).toBe(200);
  });

  it("marks the cookie Secure when the request came over https", async () => {
    const direct = await login({ token: TOKEN }, {}, "https://127.0.0.1:3000");
    expect(direct.headers.getSetCookie()[0]).toBe(`drainscope_token=${encodeURIComponent(TOKEN)}; Path=/; SameSite=Strict; Secure; HttpOnly`);
    const proxied = await login({ token: TOKEN }, { "x-forwarded-proto": "https" });
    expect(proxied.headers.getSetCookie()[0]).toContain("; Secure;");
  });

  it("refuses a wrong token (401, no cookie), an empty one and a non-JSON body (400)", async () => {
    const wrong = await login({ token: `${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "wrong token" });
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const empty = await login({ token: "" });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ error: "token: enter the dashboard's token" });
    expect((await login("token")).status).toBe(400);
  });

  it("refuses a login posted from another origin (login CSRF) and under a rebinding host", async () => {
    expect((await login({ token: TOKEN }, { origin: "http://evil.example" })).status).toBe(403);
    expect((await login({ token: TOKEN }, { host: "rebind.attacker.example:3000" })).status).toBe(421);
  });
});

describe("the session cookie on reads", () => {
  it.each([
    ["no cookie", {}, 401],
    ["a wrong cookie", { cookie: "drainscope_token=nope" }, 401],
    ["a malformed cookie", { cookie: "drainscope_token=%E0%A4%A" }, 401],
    ["an empty cookie", { cookie: "drainscope_token=" }, 401],
    ["the bearer token", { authorization: `Bearer ${TOKEN}` }, 200],
  ])("%s: %i", async (_what, headers, expected) => {
    const r = await clusters(headers);
    expect(r.status).toBe(expected);
    if (expected === 401) expect(await r.json()).toEqual({ error: "authentication required: log in at /login, or send Authorization: Bearer <DRAINSCOPE_AUTH_TOKEN>" });
  });
});

describe("POST /api/logout", () => {
  it("clears both cookies", async () => {
    const r = await postLogout(new Request(`${BASE}/api/logout`, { method: "POST", headers: { origin: BASE } }));
    expect(r.status).toBe(200);
    expect(r.headers.getSetCookie()).toEqual([
      "drainscope_token=; Path=/; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly",
      "drainscope_login=; Path=/; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ]);
  });

  it("is refused cross-origin", async () => {
    expect((await postLogout(new Request(`${BASE}/api/logout`, { method: "POST", headers: { origin: "http://evil.example" } }))).status).toBe(403);
  });
});

describe("the guard in front of every route handler", () => {
  it("refuses reads and imports under a rebinding host even with the token, and an import from an evil origin", async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const rebound = await clusters({ ...auth, host: "rebind.attacker.example:3000" });
    expect(rebound.status).toBe(421);
    expect(rebound.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const imp = (headers: Record<string, string>) =>
      postImport(new Request(`${BASE}/api/import?name=x.jsonl`, { method: "POST", body: "", headers: { "x-drainscope-import": "1", ...auth, ...headers } }));
    expect((await imp({ host: "rebind.attacker.example:3000", origin: "http://rebind.attacker.example:3000" })).status).toBe(421);
    expect((await imp({ origin: "http://evil.example" })).status).toBe(403);
  });
});

describe("without a read token", () => {
  it("login answers 409: there is nothing to log in to", async () => {
    const config = loadConfig({ DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-login-open-")), DRAINSCOPE_WATCH: "off" });
    const open = await startRuntime(config, { env: {}, log: () => {}, effects: systemEffects });
    installRuntime(Promise.resolve(open));
    try {
      const r = await login({ token: TOKEN });
      expect(r.status).toBe(409);
      expect(await r.json()).toEqual({ error: "no DRAINSCOPE_AUTH_TOKEN is set: the dashboard is open, there is nothing to log in to" });
    } finally {
      installRuntime(Promise.resolve(rt));
      await open.stop();
    }
  });
});
