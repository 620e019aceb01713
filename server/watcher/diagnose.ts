/**
 * Why a list or watch failed, in the user's terms, and what to do about it: the real error, one line
 * that names the cause (credentials rejected, which verb on which resource is forbidden, which server
 * is unreachable and why), a hint how to fix it and a command to check it with kubectl. The same text
 * goes to the terminal (`drainscope start` / `watch`), /api/health and the home page.
 */
import { ApiError, MalformedLineError } from "./kube-transport";
import { LineTooLongError } from "./line-reader";
import { EmptyWatchError } from "./list-watch";
import type { WatchedResource } from "./resources";
import type { FailureKind, WatchFailure } from "../../lib/api/watch-failure";

export type { FailureKind, WatchFailure };

/** Where the failure happened: enough to name the resource and build the kubectl line. */
export interface FailureContext {
  readonly resource: WatchedResource;
  readonly namespace: string | undefined;
  readonly server: string;
  /** The kube context (cluster mode); undefined for the built-in simulated cluster. */
  readonly context?: string;
  /** The kubeconfig path(s) the runtime reads, when set explicitly (KUBECONFIG / --kubeconfig). */
  readonly kubeconfig?: string;
}

/** The kubeconfig could not give a cluster to talk to (unreadable, unknown context, no cluster). */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EPIPE", "ECONNABORTED", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET"]);
const TLS_CODE = /CERT|SSL|TLS|EPROTO|SIGNATURE|ISSUER|SELF_SIGNED/;

/** A system error code from the error or its cause (node-fetch's FetchError carries it as `code`). */
function systemCode(e: unknown, depth = 0): string | undefined {
  if (!(e instanceof Error) || depth > 3) return undefined;
  const code = "code" in e && typeof e.code === "string" ? e.code : undefined;
  if (code && (NETWORK_CODES.has(code) || TLS_CODE.test(code))) return code;
  return systemCode(e.cause, depth + 1);
}

/** Single-quote for a POSIX shell when the word has anything a shell would read. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `pods`, `endpointslices.discovery.k8s.io`: the name `kubectl auth can-i` and RBAC rules use. */
export function qualifiedResource(r: WatchedResource): string {
  const group = apiGroup(r);
  return group ? `${r.name}.${group}` : r.name;
}

function apiGroup(r: WatchedResource): string {
  return r.prefix.startsWith("/apis/") ? (r.prefix.split("/")[2] ?? "") : "";
}

function kubectl(ctx: FailureContext, args: string): string {
  // kubectl's --kubeconfig takes one file; a merged list goes in KUBECONFIG, as it came.
  const list = ctx.kubeconfig?.includes(":") ? ctx.kubeconfig : undefined;
  const target = [ctx.kubeconfig && !list ? `--kubeconfig ${shellWord(ctx.kubeconfig)}` : "", ctx.context ? `--context ${shellWord(ctx.context)}` : ""].filter(Boolean).join(" ");
  return `${list ? `KUBECONFIG=${shellWord(list)} ` : ""}kubectl ${args}${target ? ` ${target}` : ""}`;
}

function scopeFlag(ctx: FailureContext): string {
  return ctx.namespace ? `-n ${shellWord(ctx.namespace)}` : "--all-namespaces";
}

function scopeWords(ctx: FailureContext): string {
  return ctx.namespace ? `in namespace ${ctx.namespace}` : "in all namespaces";
}

function forbidden(message: string, verb: "list" | "watch", ctx: FailureContext): WatchFailure {
  const q = qualifiedResource(ctx.resource);
  // `User "system:serviceaccount:ops:drainscope" cannot list resource "pods" in API group "" …`
  const said = /User "([^"]*)" cannot ([a-z]+) resource "([^"]+)"/.exec(message);
  const user = said?.[1];
  const deniedVerb = said?.[2] ?? verb;
  const group = apiGroup(ctx.resource);
  return {
    kind: "forbidden",
    verb,
    status: 403,
    message,
    summary: `forbidden (403): ${user ? `user ${user}` : "the kubeconfig's user"} may not ${deniedVerb} ${q} ${scopeWords(ctx)}`,
    hint: `grant get, list and watch on ${q}: an RBAC rule { apiGroups: ["${group}"], resources: ["${ctx.resource.name}"], verbs: ["get", "list", "watch"] } in a ${ctx.namespace ? `Role in ${ctx.namespace} (or a ClusterRole)` : "ClusterRole bound cluster-wide"}, bound to that user`,
    check: kubectl(ctx, `auth can-i ${deniedVerb} ${q} ${scopeFlag(ctx)}${user ? ` --as=${shellWord(user)}` : ""}`),
  };
}

export function describeFailure(err: unknown, verb: "list" | "watch", ctx: FailureContext): WatchFailure {
  const message = err instanceof Error ? err.message : String(err);
  const q = qualifiedResource(ctx.resource);
  if (err instanceof KubeconfigError) {
    return { kind: "config", verb, message, summary: `kubeconfig: ${message}`, hint: "fix the kubeconfig or the context name (kubectl config get-contexts lists them; --context NAME picks one)", check: kubectl({ ...ctx, context: undefined }, "config get-contexts") };
  }
  if (err instanceof ApiError) {
    const status = err.status;
    if (status === 401) {
      return {
        kind: "unauthorized",
        verb,
        status,
        message,
        summary: `credentials rejected (401) by ${ctx.server}`,
        hint: "the API server did not accept the token or client certificate: it may have expired or been revoked. Renew it (log in again, refresh the exec plugin's credentials, or mint a new service-account token); the watcher re-reads credentials on every retry",
        check: kubectl(ctx, `auth can-i ${verb} ${q} ${scopeFlag(ctx)}`),
      };
    }
    if (status === 403) return forbidden(message, verb, ctx);
    if (status === 404) {
      const group = apiGroup(ctx.resource);
      return { kind: "not-found", verb, status, message, summary: `${ctx.server} does not serve ${q} (404)`, hint: "the API server lacks this API (too old a Kubernetes version, or the API group is disabled)", check: kubectl(ctx, `api-resources${group ? ` --api-group=${group}` : ""}`) };
    }
    if (status >= 500) return { kind: "server", verb, status, message, summary: `API server error ${status} on ${verb} ${q}`, hint: "usually transient (API server or etcd overloaded or restarting); the watcher retries with backoff" };
    return { kind: "other", verb, status, message, summary: `${verb} ${q} failed: ${message}`, hint: "the watcher retries with backoff" };
  }
  const code = systemCode(err);
  if (code && TLS_CODE.test(code)) {
    return {
      kind: "tls",
      verb,
      message,
      summary: `TLS to ${ctx.server} failed (${code})`,
      hint: "the server's certificate is not trusted by the kubeconfig's certificate-authority(-data), has expired, or does not name this address; or the server speaks plain http",
      check: kubectl(ctx, "cluster-info"),
    };
  }
  if (code) {
    return { kind: "unreachable", verb, message, summary: `API server ${ctx.server} unreachable (${code})`, hint: "check the server address in the kubeconfig, the network path (VPN, proxy, firewall) and that the API server is up", check: kubectl(ctx, "cluster-info") };
  }
  if (err instanceof LineTooLongError) return { kind: "other", verb, message, summary: `${verb} stream for ${q} sent a line over the size cap`, hint: "the stream was dropped and the watcher relists; raise DRAINSCOPE_MAX_WATCH_LINE_BYTES if objects this large are expected" };
  if (err instanceof EmptyWatchError) return { kind: "empty-watch", verb, message, summary: `watch of ${q} ends at once without events`, hint: "the API server (or a proxy in front of it) closes watches immediately; the watcher backs off and treats the time as a gap" };
  if (err instanceof MalformedLineError) return { kind: "other", verb, message, summary: `unreadable ${verb} stream for ${q}`, hint: "the watcher relists to learn the true state" };
  if (/\bexec\b|credential|auth.?provider|token/i.test(message)) {
    return { kind: "credentials", verb, message, summary: `could not get credentials: ${message}`, hint: "the kubeconfig's exec plugin, auth provider or token file failed; run the same command by hand, or log in again", check: kubectl(ctx, `auth can-i ${verb} ${q} ${scopeFlag(ctx)}`) };
  }
  return { kind: "other", verb, message, summary: `${verb} ${q} failed: ${message}`, hint: "the watcher retries with backoff" };
}

/** One block of text for the terminal: what failed (the summary names the resource where it matters), how to fix, how to check. */
export function formatFailure(cluster: string, f: WatchFailure): string {
  const lines = [`drainscope: cluster ${cluster}: ${f.summary}`, `  error:     ${f.message}`, `  fix:       ${f.hint}`];
  if (f.check) lines.push(`  check:     ${f.check}`);
  lines.push("  The watcher keeps retrying with backoff; the time it cannot watch is recorded as a gap.");
  return lines.join("\n");
}
