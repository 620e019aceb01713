import { describe, expect, it } from "vitest";
import { describeFailure, formatFailure, KubeconfigError, shellWord, type FailureContext } from "./diagnose";
import { ApiError } from "./kube-transport";
import { WATCHED_RESOURCES } from "./resources";

const resource = (name: string) => {
  const r = WATCHED_RESOURCES.find((x) => x.name === name);
  if (!r) throw new Error(name);
  return r;
};
const ctx = (name: string, more: Partial<FailureContext> = {}): FailureContext => ({ resource: resource(name), namespace: undefined, server: "https://10.0.0.1:6443", context: "prod", ...more });

function systemError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("describeFailure", () => {
  it("403: which verb on which resource, for whom, and the kubectl auth can-i line", () => {
    const message = '403: endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:ops:drainscope" cannot watch resource "endpointslices" in API group "discovery.k8s.io" in the namespace "shop"';
    const f = describeFailure(new ApiError(message, 403), "watch", ctx("endpointslices", { namespace: "shop", kubeconfig: "/home/me/.kube/my config" }));
    expect(f).toEqual({
      kind: "forbidden",
      verb: "watch",
      status: 403,
      message,
      summary: "forbidden (403): user system:serviceaccount:ops:drainscope may not watch endpointslices.discovery.k8s.io in namespace shop",
      hint: 'grant get, list and watch on endpointslices.discovery.k8s.io: an RBAC rule { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] } in a Role in shop (or a ClusterRole), bound to that user',
      check: "kubectl auth can-i watch endpointslices.discovery.k8s.io -n shop --as=system:serviceaccount:ops:drainscope --kubeconfig '/home/me/.kube/my config' --context prod",
    });
  });

  it("403 without RBAC's wording: our verb, the core group, no --as", () => {
    const f = describeFailure(new ApiError("403 Forbidden", 403), "list", ctx("pods", { context: undefined }));
    expect(f.summary).toBe("forbidden (403): the kubeconfig's user may not list pods in all namespaces");
    expect(f.check).toBe("kubectl auth can-i list pods --all-namespaces");
  });

  it("a merged kubeconfig list goes in KUBECONFIG, since kubectl's --kubeconfig takes one file", () => {
    const f = describeFailure(new ApiError("401: Unauthorized", 401), "list", ctx("pods", { kubeconfig: "/a/config:/b/config" }));
    expect(f.check).toBe("KUBECONFIG=/a/config:/b/config kubectl auth can-i list pods --all-namespaces --context prod");
  });

  it("401: credentials rejected", () => {
    const f = describeFailure(new ApiError("401: Unauthorized", 401), "list", ctx("pods"));
    expect(f).toMatchObject({ kind: "unauthorized", status: 401, summary: "credentials rejected (401) by https://10.0.0.1:6443", check: "kubectl auth can-i list pods --all-namespaces --context prod" });
  });

  it("network errors name the server and the cause, also when wrapped", () => {
    const refused = systemError("request to https://10.0.0.1:6443/api/v1/pods failed, reason: connect ECONNREFUSED 10.0.0.1:6443", "ECONNREFUSED");
    expect(describeFailure(refused, "list", ctx("pods"))).toMatchObject({ kind: "unreachable", summary: "API server https://10.0.0.1:6443 unreachable (ECONNREFUSED)", check: "kubectl cluster-info --context prod" });
    const wrapped = new Error("fetch failed", { cause: systemError("getaddrinfo ENOTFOUND api.example", "ENOTFOUND") });
    expect(describeFailure(wrapped, "list", ctx("pods")).summary).toBe("API server https://10.0.0.1:6443 unreachable (ENOTFOUND)");
  });

  it("TLS errors are told apart from unreachable servers", () => {
    for (const code of ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "DEPTH_ZERO_SELF_SIGNED_CERT", "CERT_HAS_EXPIRED", "ERR_TLS_CERT_ALTNAME_INVALID", "EPROTO"]) {
      const f = describeFailure(systemError(`request failed, reason: ${code}`, code), "list", ctx("pods"));
      expect([code, f.kind, f.summary]).toEqual([code, "tls", `TLS to https://10.0.0.1:6443 failed (${code})`]);
    }
  });

  it("kubeconfig problems, missing APIs, server errors", () => {
    expect(describeFailure(new KubeconfigError('context "b" is not in the kubeconfig (known: a)'), "list", ctx("pods"))).toMatchObject({
      kind: "config",
      summary: 'kubeconfig: context "b" is not in the kubeconfig (known: a)',
      check: "kubectl config get-contexts",
    });
    expect(describeFailure(new ApiError("404 Not Found", 404), "list", ctx("endpointslices"))).toMatchObject({ kind: "not-found", check: "kubectl api-resources --api-group=discovery.k8s.io --context prod" });
    expect(describeFailure(new ApiError("503: etcd leader changed", 503), "watch", ctx("pods"))).toMatchObject({ kind: "server", status: 503, summary: "API server error 503 on watch pods" });
    expect(describeFailure(new Error("exec: executable aws not found"), "list", ctx("pods")).kind).toBe("credentials");
  });

  it("formats one block for the terminal", () => {
    const f = describeFailure(new ApiError("401: Unauthorized", 401), "list", ctx("pods"));
    expect(formatFailure("prod", f).split("\n")).toEqual([
      "drainscope: cluster prod: credentials rejected (401) by https://10.0.0.1:6443",
      "  error:     401: Unauthorized",
      `  fix:       ${f.hint}`,
      "  check:     kubectl auth can-i list pods --all-namespaces --context prod",
      "  The watcher keeps retrying with backoff; the time it cannot watch is recorded as a gap.",
    ]);
  });

  it("quotes shell words only when needed", () => {
    expect(shellWord("system:serviceaccount:ops:x")).toBe("system:serviceaccount:ops:x");
    expect(shellWord("it's here")).toBe(`'it'\\''s here'`);
  });
});
