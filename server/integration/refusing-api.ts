/**
 * A stand-in API server for tests of what happens when a real cluster refuses us: on 127.0.0.1, it
 * answers 403 with the Status body a real API server sends (RBAC's wording) for the resources in
 * `forbidden`, 401 to everything while `unauthorized` is set, and otherwise empty lists and watches
 * that stay open. Both sets can change while it runs, so a test can watch a failure recover.
 * Outages: `down` resets every connection (and `dropWatches` the open ones); `emptyWatches` answers each
 * watch 200 and ends it at once, as a broken proxy might. `requests` counts lists and watches per resource.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { renderKubeconfig } from "../sim/api/kubeconfig";

export interface RefusingApi {
  readonly url: string;
  /** Resource names (e.g. "endpointslices") answered with 403. */
  readonly forbidden: Set<string>;
  /** Answer 401 to every request. */
  unauthorized: boolean;
  /** Reset every request's connection (an unreachable or crashed API server). */
  down: boolean;
  /** Answer every watch 200 and end it at once, without a line. */
  emptyWatches: boolean;
  /** Requests so far, as "list pods" / "watch endpointslices". */
  readonly requests: string[];
  /** Reset the open watch connections (of one resource, if named); returns how many. */
  dropWatches(resource?: string): number;
  /** Send a BOOKMARK line on every open watch; returns how many. */
  bookmarkWatches(): number;
  /** The user named in 403 messages. */
  readonly user: string;
  /** A kubeconfig for it, one context of this name. */
  kubeconfig(context: string): string;
  close(): Promise<void>;
}

const KINDS: Readonly<Record<string, { group: string; list: string }>> = {
  pods: { group: "", list: "PodList" },
  events: { group: "", list: "EventList" },
  services: { group: "", list: "ServiceList" },
  endpointslices: { group: "discovery.k8s.io", list: "EndpointSliceList" },
  replicasets: { group: "apps", list: "ReplicaSetList" },
  deployments: { group: "apps", list: "DeploymentList" },
};

function status(res: ServerResponse, code: number, reason: string, message: string, details?: Record<string, string>): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code }));
}

export async function startRefusingApi(user = "system:serviceaccount:ops:drainscope"): Promise<RefusingApi> {
  const forbidden = new Set<string>();
  const open = new Map<ServerResponse, string>();
  const state = { unauthorized: false, down: false, emptyWatches: false };
  const requests: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    // /api/v1[/namespaces/NS]/RESOURCE or /apis/GROUP/VERSION[/namespaces/NS]/RESOURCE
    const m = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/.exec(url.pathname);
    const kind = m?.[2] ? KINDS[m[2]] : undefined;
    if (!m?.[2] || !kind) return status(res, 404, "NotFound", "the server could not find the requested resource");
    const resource = m[2];
    const namespace = m[1];
    const watch = url.searchParams.get("watch") === "true";
    requests.push(`${watch ? "watch" : "list"} ${resource}`);
    if (state.down) return void req.socket.destroy();
    if (state.unauthorized) return status(res, 401, "Unauthorized", "Unauthorized");
    if (forbidden.has(resource)) {
      const qualified = kind.group ? `${resource}.${kind.group}` : resource;
      const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
      return status(res, 403, "Forbidden", `${qualified} is forbidden: User "${user}" cannot ${watch ? "watch" : "list"} resource "${resource}" in API group "${kind.group}" ${scope}`, { group: kind.group, kind: resource });
    }
    res.writeHead(200, { "content-type": "application/json" });
    if (!watch) return void res.end(JSON.stringify({ kind: kind.list, apiVersion: kind.group ? `${kind.group}/v1` : "v1", metadata: { resourceVersion: "1" }, items: [] }));
    if (state.emptyWatches) return void res.end();
    // An idle watch: headers now, no events; it ends when the client goes away or the server closes.
    res.flushHeaders();
    open.set(res, resource);
    res.on("close", () => open.delete(res));
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    forbidden,
    get unauthorized() {
      return state.unauthorized;
    },
    set unauthorized(v: boolean) {
      state.unauthorized = v;
    },
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    get emptyWatches() {
      return state.emptyWatches;
    },
    set emptyWatches(v: boolean) {
      state.emptyWatches = v;
    },
    requests,
    bookmarkWatches() {
      for (const res of open.keys()) res.write(`${JSON.stringify({ type: "BOOKMARK", object: { kind: "Status", apiVersion: "v1", metadata: { resourceVersion: "2" } } })}\n`);
      return open.size;
    },
    dropWatches(resource?: string) {
      let n = 0;
      for (const [res, r] of open) {
        if (resource !== undefined && r !== resource) continue;
        res.destroy();
        n++;
      }
      return n;
    },
    user,
    kubeconfig: (context) => renderKubeconfig({ server: url, token: "test-token-not-checked", name: context }),
    async close() {
      for (const res of open.keys()) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
