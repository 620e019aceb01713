/**
 * A kubeconfig user's `token-file`, read on every request. client-node reads `token-file` once, when the
 * kubeconfig loads, so a rotated token would never be picked up; client-go re-reads it every minute. A
 * read per request is cheap (lists and watches are few) and never sends a token older than the file.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { readFileSync } from "node:fs";

/** The auth-provider name kubeconfig-merge gives users that had a `token-file`. */
export const TOKEN_FILE_PROVIDER = "drainscope-token-file";

type Authenticator = Parameters<KubeConfig["addAuthenticator"]>[0];
type User = Parameters<Authenticator["isAuthProvider"]>[0];

function pathOf(user: User): string | undefined {
  const provider: unknown = user.authProvider;
  if (typeof provider !== "object" || provider === null) return undefined;
  const { name, config } = provider as { name?: unknown; config?: unknown };
  if (name !== TOKEN_FILE_PROVIDER || typeof config !== "object" || config === null) return undefined;
  const path = (config as { path?: unknown }).path;
  return typeof path === "string" ? path : undefined;
}

export const tokenFileAuthenticator: Authenticator = {
  isAuthProvider: (user) => pathOf(user) !== undefined,
  applyAuthentication: async (user, opts) => {
    const path = pathOf(user);
    if (path === undefined) return;
    let token: string;
    try {
      token = readFileSync(path, "utf8").trim();
    } catch (e) {
      throw new Error(`cannot read token-file ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!token) throw new Error(`token-file ${path} is empty`);
    opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
  },
};
