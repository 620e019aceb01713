/**
 * What every export renders: the timeline document of one view (the shape /api/timeline serves), with
 * the cluster and query it was made for. Structural, so server/queries' TimelineDocument fits as is.
 */
import type { GapInterval, PodLane, ServiceSeries, Suggestion, Verdict } from "../engine/types";
import type { AnalysisDocument, AnalysisWindow } from "../report/analysis-json";
import type { BundleView } from "./bundle";

export interface ExportDocument {
  readonly generatedFor: { readonly now: string };
  readonly range: { readonly from: number; readonly to: number };
  readonly lanes: readonly PodLane[];
  readonly riskWindows: readonly AnalysisWindow[];
  readonly episodes: AnalysisDocument["episodes"];
  readonly suggestions: readonly Suggestion[];
  readonly gaps: readonly GapInterval[];
  /** False (or absent) when the data ends at `generatedFor.now`: open windows are open at its end. */
  readonly live?: boolean;
  /** Ready / serving-terminating endpoint counts per Service (the timeline's chart); absent: no chart. */
  readonly serviceCounts?: readonly ServiceSeries[];
}

export interface ExportInput {
  readonly cluster: string;
  readonly view: BundleView;
  readonly doc: ExportDocument;
}

export type ExportFormat = "json" | "md" | "csv" | "trace" | "svg" | "png";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["json", "md", "csv", "trace", "svg", "png"];

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  json: "application/json; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  trace: "application/json; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
};

const EXTENSIONS: Readonly<Record<ExportFormat, string>> = { json: "drainscope.json", md: "md", csv: "csv", trace: "trace.json", svg: "svg", png: "png" };

/** Safe for file names and Content-Disposition: letters, digits, dot, dash, underscore. */
function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "view";
}

/** "drainscope-<cluster>-<namespace>-<service>-<from>.<ext>", stable for one view. */
export function exportBaseName(input: ExportInput): string {
  const v = input.view;
  const parts = [input.cluster, v.namespace, v.service ?? v.workload, new Date(input.doc.range.from).toISOString().slice(0, 19).replace(/[:]/g, "")];
  return `drainscope-${parts.filter((p): p is string => Boolean(p)).map(slug).join("-")}`;
}

export function exportFileName(input: ExportInput, format: ExportFormat): string {
  return `${exportBaseName(input)}.${EXTENSIONS[format]}`;
}

/** The view's headline: "cluster / namespace / service". */
export function viewTitle(input: ExportInput): string {
  const v = input.view;
  return [input.cluster, v.namespace ?? "all namespaces", v.service ? `service ${v.service}` : v.workload ? `workload ${v.workload}` : undefined, v.episode ? `episode ${v.episode}` : undefined]
    .filter((p): p is string => Boolean(p))
    .join(" / ");
}

/** Worse verdicts rank higher: a risk window beats not knowing, not knowing beats "still running". */
const VERDICT_RANK: Readonly<Record<Verdict, number>> = { clean: 0, "in-progress": 1, incomplete: 2, warning: 3, risky: 4, critical: 5 };
const SEVERITY_VERDICT: Readonly<Record<string, Verdict>> = { critical: "critical", high: "risky", medium: "warning" };

export interface OverallVerdict {
  readonly verdict: Verdict;
  readonly reason?: string;
}

/**
 * The worst of the episodes' verdicts and of what the risk windows alone say. With neither a risk window
 * nor a termination there is nothing to call clean: the view is `incomplete`.
 */
export function overallVerdict(doc: ExportDocument): OverallVerdict {
  let v: OverallVerdict | undefined;
  const worse = (c: OverallVerdict) => {
    if (v === undefined || VERDICT_RANK[c.verdict] > VERDICT_RANK[v.verdict]) v = c;
  };
  for (const e of doc.episodes) worse({ verdict: e.verdict, ...(e.verdictReason !== undefined ? { reason: e.verdictReason } : {}) });
  for (const w of doc.riskWindows) {
    const sv = SEVERITY_VERDICT[w.severity];
    if (sv) worse({ verdict: sv });
  }
  return v ?? { verdict: "incomplete", reason: "no pod termination in this range" };
}
