/** A simulated data plane: consumes endpoint state on its own clock and serves its view over HTTP. */
import type { ServerResponse } from "node:http";

export interface DataPlane {
  /** URL segment under /__sim/dataplanes/. */
  readonly name: string;
  /** What it imitates, for listings ("envoy", "ipvs", …). */
  readonly kind: string;
  /** Answer a GET under /__sim/dataplanes/<name>/…; return false if the path is not known. */
  handle(rest: readonly string[], url: URL, res: ServerResponse): boolean;
  stop(): void;
}
