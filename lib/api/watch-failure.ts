/**
 * A diagnosed list/watch failure (server/watcher/diagnose.ts builds it): one definition for the watcher,
 * /api/health and the home page, which may not import server/.
 */
export type FailureKind = "unauthorized" | "forbidden" | "unreachable" | "tls" | "config" | "credentials" | "not-found" | "server" | "empty-watch" | "other";

export interface WatchFailure {
  readonly kind: FailureKind;
  readonly verb: "list" | "watch";
  readonly status?: number;
  /** The error as the API server or the network stack said it. */
  readonly message: string;
  /** One line in plain words: what failed. */
  readonly summary: string;
  /** How to fix it. */
  readonly hint: string;
  /** A kubectl command that shows the same failure (or its absence). */
  readonly check?: string;
}
