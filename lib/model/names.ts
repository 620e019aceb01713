/**
 * The one set of rules for names that enter Drainscope: a cluster name (chosen by the user, a kube
 * context, an imported file or bundle), a namespace and a pod name (Kubernetes' own rules). Every edge
 * that takes a name — ingest, import, bundles, CLI flags, the delete endpoint — checks it here, so a
 * name the store holds can always be asked for again (a `../../etc/passwd` cluster never gets in).
 */

/** Letters, digits, `.`, `_`, `-` and `:` (kube context names use it), starting and ending with a letter or digit. */
const CLUSTER_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._:-]*[A-Za-z0-9])?$/;
export const MAX_CLUSTER_NAME = 253;

/** Kubernetes DNS-1123 label: namespaces. */
const LABEL_RE = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
export const MAX_LABEL = 63;

/** Kubernetes DNS-1123 subdomain: pod names. */
const SUBDOMAIN_RE = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
export const MAX_SUBDOMAIN = 253;

export const CLUSTER_NAME_RULE = "letters, digits, '.', '_', '-' or ':', starting and ending with a letter or digit, at most 253 characters, no '..'";
export const NAMESPACE_RULE = "a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
export const POD_NAME_RULE = "a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters";

/** What is wrong with a cluster name, or undefined when it is fine. */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_CLUSTER_NAME || !CLUSTER_RE.test(name) || name.includes("..")) {
    return `${JSON.stringify(name.slice(0, 300))} is not a valid cluster name (${CLUSTER_NAME_RULE})`;
  }
  return undefined;
}

export function namespaceProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_LABEL || !LABEL_RE.test(name)) return `${JSON.stringify(name.slice(0, 300))} is not a valid namespace (${NAMESPACE_RULE})`;
  return undefined;
}

export function podNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_SUBDOMAIN || !SUBDOMAIN_RE.test(name)) return `${JSON.stringify(name.slice(0, 300))} is not a valid pod name (${POD_NAME_RULE})`;
  return undefined;
}

export const isClusterName = (name: string): boolean => clusterNameProblem(name) === undefined;
export const isNamespace = (name: string): boolean => namespaceProblem(name) === undefined;
export const isPodName = (name: string): boolean => podNameProblem(name) === undefined;

/**
 * A valid cluster name made from anything (a file or folder name): other characters become `-`, the
 * ends are trimmed to a letter or digit, `..` collapses. Undefined when nothing usable is left.
 */
export function toClusterName(raw: string): string | undefined {
  const clean = raw
    .replace(/[^A-Za-z0-9._:-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .slice(0, MAX_CLUSTER_NAME)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return clean && isClusterName(clean) ? clean : undefined;
}
