/**
 * Import, the pure half, fed one line at a time: the files of one import go in (as whole texts or as the
 * lines of a stream), the observations of one cluster come out — or an ImportError naming the file and line.
 *
 * What it keeps is bounded by the OUTPUT, not the input: an audit log's noise is dropped on the raw line
 * (audit.ts auditLineIsNoise), and what survives is parsed into the stripped objects the normalizer reads.
 * Those are held until the end because the set is ordered as ONE recording (resourceVersion across files,
 * exactly as `drainscope analyze` orders it) before it is normalized; nothing is returned before every
 * line of every file has been checked, so the caller writes all of it in one transaction or nothing.
 *
 * Only a bundle (or a file whose first line is not a line format) is held whole: a bundle IS the output.
 */
import type { Bundle } from "../export/bundle";
import type { LifecycleEvent } from "../model/events";
import { clusterNameProblem } from "../model/names";
import { recordingToEvents } from "../recording/analyze";
import { parseRecordingLine, RecordingError, type RecordedLine } from "../recording/parse";
import { AUDIT_API_VERSION, auditActorEvents, AuditLogReader, type AuditActor } from "./audit";
import { parseBundle } from "./bundle";
import { clusterNameForSet } from "./cluster-name";
import { detectFormat, isRecord, type ImportFormat } from "./detect";
import { ImportError } from "./errors";
import type { ImportPlan } from "./index";
import type { TimeOrderedNormalizer } from "./time-ordered";
import { checkImportedEvents, checkRecordedLines } from "./validate";

/** A file read whole (a bundle, or something that is not a line format) may be at most this long. */
export const MAX_WHOLE_FILE_CHARS = 512 * 1024 * 1024;

interface FileResult {
  readonly name: string;
  readonly format: ImportFormat;
  readonly records: number;
}

/** One file of an import: `line()` for every "\n"-separated segment (the last one too, even ""), then `end()`. */
export class ImportFileSink {
  private lineNo = 0;
  private mode: "start" | "audit" | "recording" | "whole" = "start";
  /** Segments kept before the format is known, and all of them for a file read whole. */
  private held: string[] = [];
  private heldChars = 0;
  private pending: { no: number; text: string } | undefined;
  private audit: AuditLogReader | undefined;
  private recorded: RecordedLine[] = [];
  private streamed = 0;

  constructor(
    readonly name: string,
    private readonly done: (r: FileResult, parts: { lines?: RecordedLine[]; actors?: AuditActor[]; bundle?: Bundle }) => void,
    /** Each line as it is parsed, instead of keeping it (TimeOrderedNormalizer). */
    private readonly onLine?: (l: RecordedLine) => void,
  ) {}

  line(segment: string): void {
    this.lineNo++;
    if (this.mode === "start" || this.mode === "whole") {
      this.held.push(segment);
      this.heldChars += segment.length + 1;
      if (this.heldChars > MAX_WHOLE_FILE_CHARS) {
        throw new ImportError(this.name, 0, `a bundle (or a file that is not one JSON object per line) is read whole and may be at most ${MAX_WHOLE_FILE_CHARS} characters`);
      }
      if (this.mode === "start" && segment.trim() !== "") this.decide();
      return;
    }
    this.lineOf(this.lineNo, segment);
  }

  /** Line formats: each non-blank line is handled when the next arrives, so the last one knows it is last. */
  private lineOf(no: number, segment: string): void {
    if (segment.trim() === "") return;
    if (this.pending) this.handle(this.pending.no, this.pending.text, false);
    this.pending = { no, text: segment.endsWith("\r") ? segment.slice(0, -1) : segment };
  }

  private decide(): void {
    const body = this.held.join("\n").replace(/^\uFEFF/, "");
    if (/^\s*\{\s*"format"\s*:\s*"drainscope-bundle"/.test(body)) {
      this.mode = "whole";
      return;
    }
    const first = (this.held[this.held.length - 1] ?? "").replace(/^\uFEFF/, "").trim();
    let format: ImportFormat | undefined;
    try {
      const raw: unknown = JSON.parse(first);
      if (isRecord(raw) && raw.format !== "drainscope-bundle" && raw.apiVersion === AUDIT_API_VERSION) format = "audit";
      else if (isRecord(raw) && raw.format !== "drainscope-bundle" && typeof raw.type === "string" && "object" in raw) format = "recording";
      // Anything else on a whole first line is a one-line bundle or an error that line alone explains.
      else if (detectFormat(this.name, body) === "bundle") format = undefined;
    } catch (e) {
      if (e instanceof ImportError) throw e;
      // A broken first line of a recognisable kind: that format's parser names the problem (as detectFormat does).
      if (/"apiVersion"\s*:\s*"audit\.k8s\.io\/v1"/.test(first)) format = "audit";
      else if (/^\{\s*"type"\s*:\s*"(ADDED|MODIFIED|DELETED|BOOKMARK|ERROR)"/.test(first)) format = "recording";
    }
    if (format === undefined) {
      this.mode = "whole"; // a bundle, pretty-printed perhaps, or garbage: detectFormat on the whole text says which
      return;
    }
    this.mode = format === "audit" ? "audit" : "recording";
    if (format === "audit") this.audit = new AuditLogReader(this.name, this.onLine);
    const held = this.held;
    this.held = [];
    this.heldChars = 0;
    held.forEach((seg, i) => this.lineOf(i + 1, seg));
  }

  private handle(no: number, text: string, isLast: boolean): void {
    if (this.audit) {
      this.audit.line(no, text, isLast);
      return;
    }
    try {
      const rec = parseRecordingLine(this.name, no, text, isLast);
      if (rec) this.streamed++;
      if (rec && this.onLine) this.onLine(rec);
      else if (rec) this.recorded.push(rec);
    } catch (e) {
      if (e instanceof RecordingError) throw new ImportError(e.file, e.line, e.detail);
      throw e;
    }
  }

  end(): void {
    if (this.mode === "start" || this.mode === "whole") {
      const text = this.held.join("\n");
      this.held = [];
      const format = detectFormat(this.name, text); // throws for an empty or unrecognised file
      if (format === "bundle") {
        const bundle = parseBundle(this.name, text);
        this.done({ name: this.name, format: "bundle", records: bundle.observations.length }, { bundle });
        return;
      }
      // Not reached (the first line decides line formats), but a line format read whole is still read right.
      this.mode = format === "audit" ? "audit" : "recording";
      if (format === "audit") this.audit = new AuditLogReader(this.name, this.onLine);
      text.split("\n").forEach((seg, i) => this.lineOf(i + 1, seg));
    }
    if (this.pending) this.handle(this.pending.no, this.pending.text, true);
    this.pending = undefined;
    if (this.audit) this.done({ name: this.name, format: "audit", records: this.audit.entries }, { lines: this.audit.lines, actors: this.audit.actors });
    else this.done({ name: this.name, format: "recording", records: this.onLine ? this.streamed : this.recorded.length }, { lines: this.recorded });
  }
}

/** The files of one import, one after another; `finish()` once all have ended. */
export class ImportPlanner {
  private readonly bundles: { file: string; bundle: Bundle }[] = [];
  private readonly lines: RecordedLine[] = [];
  private readonly actors: AuditActor[] = [];
  private readonly summary: FileResult[] = [];
  private readonly names: { name: string; path?: string }[] = [];

  /**
   * `timeOrdered`: ONE file, normalized while it is read (time-ordered.ts); it may throw OutOfOrderError,
   * and the caller then reads the file again with a planner without it.
   */
  constructor(private readonly opts: { readonly cluster?: string; readonly timeOrdered?: TimeOrderedNormalizer } = {}) {
    const badCluster = opts.cluster === undefined ? undefined : clusterNameProblem(opts.cluster);
    if (badCluster) throw new ImportError("--cluster", 0, badCluster);
  }

  /** `path` (absolute, or a folder upload's relative path) names the cluster when nothing else does. */
  file(name: string, path?: string): ImportFileSink {
    this.names.push({ name, ...(path !== undefined ? { path } : {}) });
    const ordered = this.opts.timeOrdered;
    if (ordered && this.names.length > 1) throw new Error("a time-ordered import reads one file");
    return new ImportFileSink(name, (r, parts) => {
      ordered?.end();
      this.summary.push(r);
      if (parts.bundle) this.bundles.push({ file: r.name, bundle: parts.bundle });
      // push(...x) would overflow the stack on millions of lines.
      for (const l of parts.lines ?? []) this.lines.push(l);
      for (const a of parts.actors ?? []) this.actors.push(a);
    }, ordered ? (l) => ordered.push(l) : undefined);
  }

  /** `late.cluster`: a name learnt after the files (an upload's form field after its file parts); the constructor's wins. */
  finish(late: { readonly cluster?: string } = {}): ImportPlan {
    const { bundles, lines, actors, names } = this;
    if (names.length === 0) throw new ImportError("(no file)", 0, "nothing to import: give at least one file");
    const lateProblem = this.opts.cluster === undefined && late.cluster !== undefined ? clusterNameProblem(late.cluster) : undefined;
    if (lateProblem) throw new ImportError("--cluster", 0, lateProblem);
    const opts = this.opts.cluster === undefined && late.cluster !== undefined ? { cluster: late.cluster } : this.opts;
    const bundleClusters = [...new Set(bundles.map((b) => b.bundle.cluster))];
    if (opts.cluster === undefined && bundleClusters.length > 1) {
      const which = bundles.map((b) => `${b.file} is cluster "${b.bundle.cluster}"`).join(", ");
      throw new ImportError(bundles[1]?.file ?? "(bundle)", 1, `several clusters mixed: ${which}; import them one at a time or pass --cluster NAME to merge them`);
    }
    const first = names[0]?.name ?? "imported";
    const cluster = opts.cluster ?? bundleClusters[0] ?? clusterNameForSet(names.map((f) => f.path ?? f.name));
    if (cluster === undefined) {
      const all = names.map((f) => f.name).join(", ");
      throw new ImportError(all, 0, `which cluster is this? Per-kind file names (pods.jsonl, events.jsonl…) with no folder do not say: give a cluster name (--cluster NAME, or the Cluster name field)`);
    }
    const events: LifecycleEvent[] = [];
    for (const { bundle } of bundles) for (const e of bundle.observations) events.push(e.cluster === cluster ? e : { ...e, cluster });
    const ordered = this.opts.timeOrdered;
    if (ordered) {
      // Normalized while read, under the name the caller worked out for this one file: it must be this one.
      if (ordered.problem) throw ordered.problem;
      if (ordered.emitted > 0 && ordered.cluster !== cluster) throw new Error(`time-ordered import normalized as "${ordered.cluster}" but the cluster is "${cluster}"`);
      for (const e of ordered.events) events.push(e);
    }
    checkRecordedLines(lines);
    if (lines.length > 0) for (const e of recordingToEvents(lines, cluster)) events.push(e);
    for (const e of auditActorEvents(actors, cluster)) events.push(e);
    if (ordered?.emitter) {
      // Observations handed on as they were made (time-ordered.ts): the rest follow them, checked the same way.
      for (const e of events) ordered.emit(e);
      if (ordered.emitted === 0) throw new ImportError(first, 0, `no observations found: the file holds no pods, EndpointSlices, Events or workload objects`);
      if (ordered.eventProblem !== undefined) throw new ImportError(first, 0, ordered.eventProblem);
      const view = bundles[0]?.bundle.view;
      return { cluster, events: [], files: this.summary, ...(view ? { view } : {}) };
    }
    if (events.length === 0) {
      throw new ImportError(first, 0, `no observations found: the file${names.length > 1 ? "s hold" : " holds"} no pods, EndpointSlices, Events or workload objects`);
    }
    checkImportedEvents(names.length === 1 ? first : names.map((f) => f.name).join(", "), events);
    const view = bundles[0]?.bundle.view;
    return { cluster, events, files: this.summary, ...(view ? { view } : {}) };
  }
}
