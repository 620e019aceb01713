/**
 * Import, the pure half: file texts in, the observations of one cluster out — or an ImportError naming
 * the file and line. Everything is parsed and checked before anything is returned, so the caller can
 * write all of it in one store append or nothing at all.
 *
 * Formats are told apart by their first line: a Drainscope bundle (`{"format":"drainscope-bundle",…}`), a
 * Kubernetes audit log (`"apiVersion":"audit.k8s.io/v1"` Event lines) or a watch recording (the
 * `drainscope analyze` line format, `{"type":"ADDED",…}`).
 */
import type { Bundle, BundleView } from "../export/bundle";
import type { LifecycleEvent } from "../model/events";
import { clusterNameProblem } from "../model/names";
import { recordingToEvents } from "../recording/analyze";
import { parseRecording, RecordingError, type RecordedLine } from "../recording/parse";
import { AUDIT_API_VERSION, auditActorEvents, parseAuditLog, type AuditActor } from "./audit";
import { parseBundle } from "./bundle";
import { clusterNameForSet } from "./cluster-name";
import { ImportError } from "./errors";
import { checkImportedEvents, checkRecordedLines } from "./validate";

export { ImportError } from "./errors";
export { clusterNameForSet, clusterNameFromFile } from "./cluster-name";

export type ImportFormat = "bundle" | "recording" | "audit";

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

const EXPECTED_ANY =
  'expected a Drainscope bundle ({"format":"drainscope-bundle",…}), a watch recording (one {"type":"ADDED|MODIFIED|DELETED","object":{…}} per line) or a Kubernetes audit log (one audit.k8s.io/v1 Event per line)';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function detectFormat(file: string, text: string): ImportFormat {
  const body = text.replace(/^\uFEFF/, "");
  if (/^\s*\{\s*"format"\s*:\s*"drainscope-bundle"/.test(body)) return "bundle";
  const lines = body.split("\n");
  const idx = lines.findIndex((l) => l.trim() !== "");
  if (idx === -1) throw new ImportError(file, 0, `the file is empty: ${EXPECTED_ANY}`);
  const first = (lines[idx] ?? "").trim();
  let raw: unknown;
  try {
    raw = JSON.parse(first);
  } catch (e) {
    // A broken first line of a recognisable kind: let that format's parser name the problem.
    if (/"apiVersion"\s*:\s*"audit\.k8s\.io\/v1"/.test(first)) return "audit";
    if (/^\{\s*"type"\s*:\s*"(ADDED|MODIFIED|DELETED|BOOKMARK|ERROR)"/.test(first)) return "recording";
    // Perhaps a pretty-printed document: a bundle (any key order) is recognised whole.
    try {
      const whole: unknown = JSON.parse(body);
      if (isRecord(whole) && whole.format === "drainscope-bundle") return "bundle";
    } catch {
      /* fall through to the error below */
    }
    const why = e instanceof Error ? e.message : String(e);
    if (first.startsWith("{") && /end of JSON input|Unterminated string/.test(why) && idx === lines.length - 1 - (lines[lines.length - 1]?.trim() === "" ? 1 : 0)) {
      throw new ImportError(file, idx + 1, `truncated line: the file ends mid-object after ${first.length} characters; ${EXPECTED_ANY}`);
    }
    throw new ImportError(file, idx + 1, `not valid JSON; ${EXPECTED_ANY}`);
  }
  if (!isRecord(raw)) throw new ImportError(file, idx + 1, `not a JSON object; ${EXPECTED_ANY}`);
  if (raw.format === "drainscope-bundle") return "bundle";
  if (raw.apiVersion === AUDIT_API_VERSION) return "audit";
  if (typeof raw.type === "string" && "object" in raw) return "recording";
  const what = typeof raw.kind === "string" ? ` (found a ${raw.kind} object)` : "";
  throw new ImportError(file, idx + 1, `unrecognised format${what}: ${EXPECTED_ANY}`);
}

export function planImport(files: readonly ImportFile[], opts: { readonly cluster?: string } = {}): ImportPlan {
  if (files.length === 0) throw new ImportError("(no file)", 0, "nothing to import: give at least one file");
  const badCluster = opts.cluster === undefined ? undefined : clusterNameProblem(opts.cluster);
  if (badCluster) throw new ImportError("--cluster", 0, badCluster);
  const bundles: { file: string; bundle: Bundle }[] = [];
  const lines: RecordedLine[] = [];
  const actors: AuditActor[] = [];
  const summary: { name: string; format: ImportFormat; records: number }[] = [];
  for (const f of files) {
    const format = detectFormat(f.name, f.text);
    if (format === "bundle") {
      const bundle = parseBundle(f.name, f.text);
      bundles.push({ file: f.name, bundle });
      summary.push({ name: f.name, format, records: bundle.observations.length });
    } else if (format === "audit") {
      const audit = parseAuditLog(f.name, f.text);
      lines.push(...audit.lines);
      actors.push(...audit.actors);
      summary.push({ name: f.name, format, records: audit.entries });
    } else {
      try {
        const rec = parseRecording(f.name, f.text);
        lines.push(...rec);
        summary.push({ name: f.name, format, records: rec.length });
      } catch (e) {
        if (e instanceof RecordingError) throw new ImportError(e.file, e.line, e.detail);
        throw e;
      }
    }
  }
  const bundleClusters = [...new Set(bundles.map((b) => b.bundle.cluster))];
  if (opts.cluster === undefined && bundleClusters.length > 1) {
    const which = bundles.map((b) => `${b.file} is cluster "${b.bundle.cluster}"`).join(", ");
    throw new ImportError(bundles[1]?.file ?? "(bundle)", 1, `several clusters mixed: ${which}; import them one at a time or pass --cluster NAME to merge them`);
  }
  const first = files[0]?.name ?? "imported";
  const cluster = opts.cluster ?? bundleClusters[0] ?? clusterNameForSet(files.map((f) => f.path ?? f.name));
  if (cluster === undefined) {
    const names = files.map((f) => f.name).join(", ");
    throw new ImportError(names, 0, `which cluster is this? Per-kind file names (pods.jsonl, events.jsonl…) with no folder do not say: give a cluster name (--cluster NAME, or the Cluster name field)`);
  }
  const events: LifecycleEvent[] = [];
  for (const { bundle } of bundles) for (const e of bundle.observations) events.push(e.cluster === cluster ? e : { ...e, cluster });
  checkRecordedLines(lines);
  if (lines.length > 0) events.push(...recordingToEvents(lines, cluster));
  events.push(...auditActorEvents(actors, cluster));
  if (events.length === 0) {
    throw new ImportError(first, 0, `no observations found: the file${files.length > 1 ? "s hold" : " holds"} no pods, EndpointSlices, Events or workload objects`);
  }
  checkImportedEvents(files.length === 1 ? first : files.map((f) => f.name).join(", "), events);
  const view = bundles[0]?.bundle.view;
  return { cluster, events, files: summary, ...(view ? { view } : {}) };
}
