/** metav1.Status bodies, shaped as the real API server sends them for failures. */

export interface Status {
  readonly kind: "Status";
  readonly apiVersion: "v1";
  readonly metadata: Record<string, never>;
  readonly status: "Failure" | "Success";
  readonly message: string;
  readonly reason: string;
  readonly details?: { readonly name?: string; readonly group?: string; readonly kind?: string; readonly retryAfterSeconds?: number };
  readonly code: number;
}

function failure(code: number, reason: string, message: string, details?: Status["details"]): Status {
  const base = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason } as const;
  return details ? { ...base, details, code } : { ...base, code };
}

/** Watch or list from a resourceVersion the history no longer holds. */
export function expiredStatus(requestedRv: string, oldestRv: number): Status {
  return failure(410, "Expired", `too old resource version: ${requestedRv} (${oldestRv})`);
}

export function listExpiredStatus(): Status {
  return failure(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
}

export function notFoundStatus(resource: string, name: string, group = ""): Status {
  return failure(404, "NotFound", `${group ? `${resource}.${group}` : resource} "${name}" not found`, { name, group: group || undefined, kind: resource });
}

export function pathNotFoundStatus(): Status {
  return failure(404, "NotFound", "the server could not find the requested resource");
}

export function unauthorizedStatus(): Status {
  return failure(401, "Unauthorized", "Unauthorized");
}

export function badRequestStatus(message: string): Status {
  return failure(400, "BadRequest", message);
}

export function methodNotAllowedStatus(method: string): Status {
  return failure(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${method})`);
}

export function internalErrorStatus(message: string): Status {
  return failure(500, "InternalError", `Internal error occurred: ${message}`);
}

export function serviceUnavailableStatus(message: string): Status {
  return failure(503, "ServiceUnavailable", message);
}

export function tooManyRequestsStatus(message: string, retryAfterSeconds: number): Status {
  return failure(429, "TooManyRequests", message, { retryAfterSeconds });
}

/**
 * The authorizer's refusal, word for word as kube-apiserver writes it, e.g.
 * `pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope`.
 */
export function forbiddenStatus(user: string, verb: string, resource: { readonly name: string; readonly group: string }, namespace: string | undefined, name?: string): Status {
  const qualified = resource.group ? `${resource.name}.${resource.group}` : resource.name;
  const subject = name === undefined ? qualified : `${qualified} "${name}"`;
  const scope = namespace === undefined ? "at the cluster scope" : `in the namespace "${namespace}"`;
  const message = `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource.name}" in API group "${resource.group}" ${scope}`;
  return failure(403, "Forbidden", message, { ...(name === undefined ? {} : { name }), ...(resource.group ? { group: resource.group } : {}), kind: resource.name });
}
