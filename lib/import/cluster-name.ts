/**
 * Which cluster a set of imported files becomes, when neither `--cluster` nor a bundle names one. A set is
 * ONE cluster: recordings are split by kind (pods.jsonl, endpointslices.jsonl, events.jsonl) far more often
 * than by cluster, and splitting them would lose the cross-file order their timeline depends on.
 *   - a file with a telling name ("incident-42.audit.jsonl") names the set: the first such file wins;
 *   - per-kind files say nothing: their common folder names the set ("…/real-v1.24-rollout/pods.jsonl");
 *   - per-kind files with no folder (three files picked in a browser) name nothing: the caller must ask.
 */
import { toClusterName } from "../model/names";

/** File stems that only say which kind of object a file holds. */
const PER_KIND_STEM = /^(pods?|endpointslices?|endpoints|events?|replicasets?|deployments?|services?|nodes?|recording|watch|audit|bundle|kube-apiserver-audit|kube-apiserver)$/i;

function segments(path: string): string[] {
  return path.split(/[\\/]/).filter((s) => s !== "" && s !== ".");
}

function stemOf(base: string): string {
  // A compressed file is named for what it holds: pods.jsonl.gz is a pods file, incident-42.audit.log.gz incident-42.
  return base.replace(/\.gz$/i, "").replace(/\.(drainscope\.json|trace\.json|jsonl|json|log|ndjson|txt)$/i, "").replace(/\.(audit|watch|recording)$/i, "");
}

/** A usable cluster name from free text (by the one rule, lib/model/names.ts), or undefined when nothing of it is left. */
const clean = (text: string): string | undefined => toClusterName(text);

/** A cluster name from one file name: "incident-42.audit.jsonl" → "incident-42"; "x/rollout-7/pods.jsonl" → "rollout-7". */
export function clusterNameFromFile(file: string): string {
  return clusterNameForSet([file]) ?? clean(stemOf(segments(file).at(-1) ?? file)) ?? "imported";
}

/** The default cluster for a set of files (paths or names as given), or undefined when they do not say. */
export function clusterNameForSet(files: readonly string[]): string | undefined {
  const split = files.map(segments);
  for (const parts of split) {
    const stem = stemOf(parts.at(-1) ?? "");
    if (stem !== "" && !PER_KIND_STEM.test(stem)) {
      const name = clean(stem);
      if (name) return name;
    }
  }
  // All per-kind: the deepest folder every file shares.
  const dirs = split.map((parts) => parts.slice(0, -1));
  const first = dirs[0] ?? [];
  let common = 0;
  while (common < first.length && dirs.every((d) => d[common] === first[common])) common++;
  for (let i = common - 1; i >= 0; i--) {
    const name = clean(first[i] ?? "");
    if (name) return name;
  }
  return undefined;
}
