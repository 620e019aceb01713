/**
 * Import, the pure half: file texts in, the observations of one cluster out — or an ImportError naming
 * the file and line. Everything is parsed and checked before anything is returned, so the caller can
 * write all of it in one store append or nothing at all.
 *
 * Formats are told apart by their first line: a Drainscope bundle (`{"format":"drainscope-bundle",…}`), a
 * Kubernetes audit log (`"apiVersion":"audit.k8s.io/v1"` Event lines) or a watch recording (the
 * `drainscope analyze` line format, `{"type":"ADDED",…}`).
 */
import type { BundleView } from "../export/bundle";
import type { LifecycleEvent } from "../model/events";
import type { ImportFormat } from "./detect";
import { ImportPlanner } from "./planner";

export { ImportError } from "./errors";
export { clusterNameForSet, clusterNameFromFile } from "./cluster-name";

export type { ImportFormat } from "./detect";
export { detectFormat } from "./detect";
export { ImportFileSink, ImportPlanner } from "./planner";

export interface ImportFile {
  /** As the user gave it: messages say `name:line`. */
  readonly name: string;
  readonly text: string;
  /** Where the file lies (absolute path, or a folder upload's relative path), when known: names the cluster. */
  readonly path?: string;
}

export interface ImportPlan {
  readonly cluster: string;
  readonly events: LifecycleEvent[];
  /** The view of the (first) bundle, to reopen what its author was looking at. */
  readonly view?: BundleView;
  readonly files: readonly { readonly name: string; readonly format: ImportFormat; readonly records: number }[];
}

export function planImport(files: readonly ImportFile[], opts: { readonly cluster?: string } = {}): ImportPlan {
  const planner = new ImportPlanner(opts);
  for (const f of files) {
    const sink = planner.file(f.name, f.path);
    for (const segment of f.text.split("\n")) sink.line(segment);
    sink.end();
  }
  return planner.finish();
}
