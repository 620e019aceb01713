/**
 * DNS rebinding and cross-site writes. A page on rebind.attacker.example whose name later resolves to
 * 127.0.0.1 is same-origin with itself, so the browser lets it read our answers: the only sign is the Host
 * header. We answer only to names that cannot be rebound (loopback names, IP addresses) and to the names the
 * operator lists in DRAINSCOPE_ALLOWED_HOSTS; anything else gets 421. State-changing requests
 * (POST/PUT/PATCH/DELETE) from a browser must also be same-origin: an `Origin` or `Sec-Fetch-Site` that says
 * otherwise gets 403. Non-browser clients (curl, the CLI, in-pod signals) send neither header and pass.
 * Runs in proxy.ts for every request (pages too) and again in every route handler.
 */
import type { DrainscopeConfig } from "../config";

export interface HostPolicy {
  /** Extra names, lower case: `name` (any port) or `name:port`. */
  readonly allowedHosts: readonly string[];
}

export interface Refusal {
  readonly status: 403 | 421;
  readonly message: string;
}

export function hostPolicy(config: Pick<DrainscopeConfig, "DRAINSCOPE_ALLOWED_HOSTS">): HostPolicy {
  return { allowedHosts: config.DRAINSCOPE_ALLOWED_HOSTS.map((h) => h.toLowerCase().replace(/\.$/, "")) };
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

/** `host[:port]` split; the name lower case without a trailing dot. Undefined when it is not a host at all. */
function splitHost(value: string): { name: string; port: string | undefined } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/\s@]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m?.[1]) return undefined;
  return { name: m[1].toLowerCase().replace(/\.$/, ""), port: m[2] };
}

/**
 * Names no DNS answer can make point here: `localhost` and IP literals (a rebinding page always has a DNS
 * name in its URL, and so in Host). Any port: a port is not a name an attacker can rebind.
 */
function cannotBeRebound(name: string): boolean {
  return name === "localhost" || IPV4.test(name) || IPV6_LITERAL.test(name);
}

function listed(name: string, port: string | undefined, policy: HostPolicy): boolean {
  return policy.allowedHosts.some((h) => h === name || (port !== undefined && h === `${name}:${port}`));
}

export function hostAllowed(host: string, policy: HostPolicy): boolean {
  const h = splitHost(host);
  return h !== undefined && (cannotBeRebound(h.name) || listed(h.name, h.port, policy));
}

/** What a refusal quotes of the request: printable and short. */
function quote(value: string): string {
  return JSON.stringify(value.replace(/[^\x20-\x7e]/g, "?").slice(0, 100));
}

export function checkHost(host: string, policy: HostPolicy): Refusal | undefined {
  if (hostAllowed(host, policy)) return undefined;
  return {
    status: 421,
    message:
      `Drainscope does not answer to the host name ${quote(host)}: only to localhost, IP addresses and the names in ` +
      `DRAINSCOPE_ALLOWED_HOSTS (a guard against DNS rebinding). If this is how you reach the dashboard, add the name to DRAINSCOPE_ALLOWED_HOSTS.`,
  };
}

/** Same-origin check for writes: `Origin` must name this host (or a listed one); `Sec-Fetch-Site` must be same-origin or none. */
export function checkOrigin(method: string, headers: Headers, host: string, policy: HostPolicy): Refusal | undefined {
  if (!STATE_CHANGING.has(method.toUpperCase())) return undefined;
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    return { status: 403, message: `cross-site request refused: Sec-Fetch-Site is ${quote(site)}; writes must come from the dashboard's own pages` };
  }
  const origin = headers.get("origin");
  if (origin === null) return undefined;
  let originHost: string | undefined;
  try {
    const u = new URL(origin);
    originHost = u.protocol === "http:" || u.protocol === "https:" ? u.host.toLowerCase() : undefined;
  } catch {
    originHost = undefined;
  }
  const own = host.trim().toLowerCase();
  const ok = originHost !== undefined && (originHost === own || listed(...hostAndPort(originHost), policy));
  if (ok) return undefined;
  return { status: 403, message: `cross-origin request refused: Origin ${quote(origin)} is not this dashboard (${quote(host)}); writes must come from the dashboard's own pages` };
}

function hostAndPort(host: string): [string, string | undefined] {
  const h = splitHost(host);
  return h ? [h.name, h.port] : ["", undefined];
}

/** The Host a request was sent to: the header, else (a Request built in a test) the URL's. */
export function requestHost(request: Request): string {
  return request.headers.get("host") ?? new URL(request.url).host;
}

/** Ingest endpoints demand their own bearer token whatever the name, and pods reach them by Service DNS names. */
function hostExempt(pathname: string): boolean {
  return pathname.startsWith("/api/ingest/");
}

export function checkRequest(request: Request, policy: HostPolicy): Refusal | undefined {
  const host = requestHost(request);
  if (!hostExempt(new URL(request.url).pathname)) {
    const refused = checkHost(host, policy);
    if (refused) return refused;
  }
  return checkOrigin(request.method, request.headers, host, policy);
}

export function refusalResponse(r: Refusal): Response {
  return new Response(`${r.message}\n`, {
    status: r.status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}
