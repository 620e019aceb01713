/**
 * The kubeconfig the simulated cluster writes: one cluster, one user, one context. The user carries the
 * credential the server issued — a bearer token by default, or a token file, a client certificate, an exec
 * plugin (tests). An `http://` server gets `insecure-skip-tls-verify: true`, which @kubernetes/client-node
 * needs for http; an `https://` one gets the CA that signed the server's certificate. Both
 * @kubernetes/client-node's KubeConfig.loadFromFile and kubectl read it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { stringify } from "yaml";

export interface ExecPlugin {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
}

export interface KubeconfigOptions {
  readonly server: string;
  /** Bearer token. */
  readonly token?: string;
  /** A file holding the bearer token (re-read by clients). */
  readonly tokenFile?: string;
  /** Client certificate and key, PEM. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  /** An exec credential plugin (client.authentication.k8s.io/v1). */
  readonly exec?: ExecPlugin;
  /** PEM of the CA that signed the server's certificate (https servers). */
  readonly certificateAuthority?: string;
  /** Skip server certificate checks (always on for http://). */
  readonly insecureSkipTlsVerify?: boolean;
  readonly proxyUrl?: string;
  /** Context, cluster and user name (default "drainscope-sim"). */
  readonly name?: string;
  /** Default namespace of the context (what `kubectl get pods` shows). */
  readonly namespace?: string;
}

const b64 = (pem: string) => Buffer.from(pem).toString("base64");

export function renderKubeconfig(o: KubeconfigOptions): string {
  const name = o.name ?? "drainscope-sim";
  const skip = o.insecureSkipTlsVerify ?? o.server.startsWith("http:");
  const cluster = {
    server: o.server,
    ...(o.certificateAuthority ? { "certificate-authority-data": b64(o.certificateAuthority) } : {}),
    ...(skip ? { "insecure-skip-tls-verify": true } : {}),
    ...(o.proxyUrl ? { "proxy-url": o.proxyUrl } : {}),
  };
  const user = {
    ...(o.token ? { token: o.token } : {}),
    ...(o.tokenFile ? { "token-file": o.tokenFile } : {}),
    ...(o.clientCertificate ? { "client-certificate-data": b64(o.clientCertificate.cert), "client-key-data": b64(o.clientCertificate.key) } : {}),
    ...(o.exec
      ? {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1",
            command: o.exec.command,
            ...(o.exec.args ? { args: [...o.exec.args] } : {}),
            ...(o.exec.env ? { env: o.exec.env.map((e) => ({ ...e })) } : {}),
            interactiveMode: "Never",
          },
        }
      : {}),
  };
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name, ...(o.namespace ? { namespace: o.namespace } : {}) } }],
    "current-context": name,
    preferences: {},
  });
}

/** Write the kubeconfig (mode 0600: it holds a credential). */
export async function writeKubeconfig(path: string, o: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderKubeconfig(o), { mode: 0o600 });
}
