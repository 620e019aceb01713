// The DNS-rebinding and cross-site-write guard, as a table of Host / Origin / Sec-Fetch-Site combinations.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { checkRequest, hostPolicy } from "./host-guard";

const open = hostPolicy(loadConfig({}));
const listed = hostPolicy(loadConfig({ DRAINSCOPE_ALLOWED_HOSTS: "dash.example.com, Other.Example.org:8443" }));

function req(method: string, host: string, headers: Record<string, string> = {}, path = "/api/clusters"): Request {
  return new Request(`http://127.0.0.1:3000${path}`, { method, headers: { host, ...headers } });
}
const status = (r: Request, policy = open) => checkRequest(r, policy)?.status ?? 200;

describe("Host", () => {
  it.each([
    ["127.0.0.1:3000", 200],
    ["127.0.0.1", 200],
    ["localhost:3000", 200],
    ["LOCALHOST:3340", 200],
    ["localhost.:3000", 200],
    ["[::1]:3000", 200],
    ["10.1.2.3:3000", 200],
    ["[fd00::5]:80", 200],
    ["rebind.attacker.example", 421],
    ["rebind.attacker.example:3000", 421],
    ["localhost.attacker.example:3000", 421],
    ["127.0.0.1.nip.io:3000", 421],
    ["dash.example.com", 421],
    ["", 421],
    ["a b", 421],
    ["user@localhost", 421],
  ])("GET with Host %j: %i (no allowed hosts)", (host, expected) => expect(status(req("GET", host))).toBe(expected));

  it.each([
    ["dash.example.com", 200],
    ["DASH.example.com:3000", 200],
    ["other.example.org:8443", 200],
    ["other.example.org", 421],
    ["other.example.org:443", 421],
    ["evil.dash.example.com", 421],
    ["rebind.attacker.example", 421],
  ])("GET with Host %j: %i (DRAINSCOPE_ALLOWED_HOSTS=dash.example.com,other.example.org:8443)", (host, expected) =>
    expect(status(req("GET", host), listed)).toBe(expected),
  );

  it("covers pages, not only the API", () => {
    expect(status(req("GET", "rebind.attacker.example:3000", {}, "/"))).toBe(421);
    expect(status(req("GET", "rebind.attacker.example:3000", {}, "/timeline?cluster=x"))).toBe(421);
  });

  it("lets ingest through under any name (it demands its own token), but not a cross-site write", () => {
    expect(status(req("POST", "drainscope.ops.svc:3000", {}, "/api/ingest/signal"))).toBe(200);
    expect(status(req("POST", "drainscope.ops.svc:3000", { origin: "http://evil.example" }, "/api/ingest/signal"))).toBe(403);
  });

  it("says what to do in the refusal", () => {
    expect(checkRequest(req("GET", "rebind.attacker.example:3000"), open)?.message).toBe(
      'Drainscope does not answer to the host name "rebind.attacker.example:3000": only to localhost, IP addresses and the names in DRAINSCOPE_ALLOWED_HOSTS (a guard against DNS rebinding). If this is how you reach the dashboard, add the name to DRAINSCOPE_ALLOWED_HOSTS.',
    );
  });
});

describe("Origin and Sec-Fetch-Site on writes", () => {
  it.each([
    ["POST", {}, 200],
    ["POST", { origin: "http://127.0.0.1:3000" }, 200],
    ["POST", { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }, 200],
    ["POST", { "sec-fetch-site": "none" }, 200],
    ["POST", { origin: "http://evil.example" }, 403],
    ["POST", { origin: "http://localhost:3000" }, 403],
    ["POST", { origin: "http://127.0.0.1:3001" }, 403],
    ["POST", { origin: "https://127.0.0.1:3000" }, 200],
    ["POST", { origin: "null" }, 403],
    ["POST", { origin: "file://" }, 403],
    ["POST", { origin: "not a url" }, 403],
    ["POST", { origin: "http://127.0.0.1:3000", "sec-fetch-site": "cross-site" }, 403],
    ["POST", { "sec-fetch-site": "same-site" }, 403],
    ["PUT", { origin: "http://evil.example" }, 403],
    ["PATCH", { origin: "http://evil.example" }, 403],
    ["DELETE", { origin: "http://evil.example" }, 403],
    ["GET", { origin: "http://evil.example", "sec-fetch-site": "cross-site" }, 200],
    ["HEAD", { origin: "http://evil.example" }, 200],
    ["OPTIONS", { origin: "http://evil.example" }, 200],
  ] as const)("%s with %j to Host 127.0.0.1:3000: %i", (method, headers, expected) =>
    expect(status(req(method, "127.0.0.1:3000", headers))).toBe(expected),
  );

  it("accepts a listed name as Origin when a reverse proxy rewrote Host", () => {
    expect(status(req("POST", "127.0.0.1:3000", { origin: "https://dash.example.com" }), listed)).toBe(200);
    expect(status(req("POST", "127.0.0.1:3000", { origin: "https://evil.example.com" }), listed)).toBe(403);
  });

  it("refuses the rebinding host before looking at the Origin", () => {
    expect(status(req("POST", "rebind.attacker.example:3000", { origin: "http://rebind.attacker.example:3000" }))).toBe(421);
  });
});
