/**
 * The Markdown postmortem summary: what a postmortem author pastes into the incident document. Cluster
 * data is escaped so a name or an explanation can neither break the tables nor inject markup.
 */
import type { PodLane } from "../engine/types";
import { formatVerdict } from "../engine/verdict";
import { fmtTime } from "../report/analysis-table";
import { formatDateTime, formatDuration } from "../view/format";
import { overallVerdict, viewTitle, type ExportInput } from "./types";

/** Escape Markdown/HTML-significant characters; newlines become spaces (a cell is one line). */
export function mdEscape(s: string): string {
  return s.replace(/[\r\n]+/g, " ").replace(/[\\`*_[\]<>|&]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : `\\${c}`));
}

function mdTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

function terminated(l: PodLane): boolean {
  const k = l.keyTimes;
  return Boolean(k.deleteRequested ?? k.killing ?? k.removed);
}

/** An open window's length up to the data's "now": the live clock, or the last observation of stored history. */
function openDuration(start: string, now: string, live: boolean): string {
  const ms = Date.parse(now) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return "open";
  return live ? `still open, ${formatDuration(ms)} so far` : `open when the data ends, ≥ ${formatDuration(ms)}`;
}

export function postmortemMarkdown(input: ExportInput, opts: { readonly pngFile?: string } = {}): string {
  const { doc, view } = input;
  const verdict = overallVerdict(doc);
  const out: string[] = [];
  out.push(`# Pod termination postmortem: ${mdEscape(viewTitle(input))}`, "");
  out.push(
    mdTable(
      ["", ""],
      [
        ["Cluster", mdEscape(input.cluster)],
        ["Namespace", mdEscape(view.namespace ?? "all")],
        ["Service", mdEscape(view.service ?? "all")],
        ...(view.workload ? [["Workload", mdEscape(view.workload)]] : []),
        ...(view.episode ? [["Episode", mdEscape(view.episode)]] : []),
        ["Time range (UTC)", `${formatDateTime(doc.range.from)} → ${formatDateTime(doc.range.to)} (${formatDuration(doc.range.to - doc.range.from)})`],
        ["Verdict", `**${formatVerdict(verdict.verdict)}**${verdict.reason ? `: ${mdEscape(verdict.reason)}` : ""}`],
        ["Pods", `${doc.lanes.length} (${doc.lanes.filter(terminated).length} terminated)${view.pinned && view.pinned.length > 0 ? ", the pinned ones" : ""}`],
        ["Risk windows", String(doc.riskWindows.length)],
      ],
    ),
    "",
  );
  if (doc.episodes.length > 0) {
    out.push("## Episodes", "");
    for (const e of doc.episodes) out.push(`- **${mdEscape(e.kind)}** ${mdEscape(`${e.namespace}/${e.workload}`)} from ${mdEscape(e.start)}: ${mdEscape(formatVerdict(e.verdict, e.verdictReason))} — ${mdEscape(e.summary)}`);
    out.push("");
  }
  out.push("## Risk windows", "");
  if (doc.riskWindows.length === 0) out.push(verdict.verdict === "clean" ? "None: every pod left routing before it stopped serving." : "None observed; the verdict above says what the data cannot show.", "");
  else {
    out.push(
      mdTable(
        ["Severity", "Rule", "Start (UTC)", "Duration", "Confidence", "Pods", "Service", "Explanation"],
        doc.riskWindows.map((w) => [
          w.severity,
          `\`${w.rule}\``,
          w.start.slice(11, 23),
          w.durationMs === null ? openDuration(w.start, doc.generatedFor.now, doc.live ?? false) : formatDuration(w.durationMs),
          w.confidence,
          mdEscape(w.pods.join(", ") || "—"),
          mdEscape(w.service ?? "—"),
          mdEscape(w.explanation),
        ]),
      ),
      "",
    );
  }
  const pods = doc.lanes.filter(terminated);
  out.push("## Per-pod key times", "");
  if (pods.length === 0) out.push("No pod was terminated in this view.", "");
  else {
    out.push(
      "Times are UTC. “±1s” = whole-second stamp, “≈” = estimated, “~” = inferred from order.",
      "",
      mdTable(
        ["Pod", "Delete requested", "Grace", "Killing (preStop)", "SIGTERM", "Exit", "Removed"],
        pods.map((l) => {
          const k = l.keyTimes;
          const exit = k.exited ? `${fmtTime(k.exited)} (${k.exited.exitCode}${k.killedAtDeadline ? ", SIGKILL at deadline" : k.killedBySigkill ? ", SIGKILL" : ""})` : "-";
          return [
            mdEscape(`${l.namespace}/${l.name}`),
            k.deleteRequested ? `${fmtTime(k.deleteRequested)}${k.deleteRequested.force ? " FORCE" : ""}` : "-",
            k.graceSeconds === undefined ? "-" : `${k.graceSeconds} s`,
            fmtTime(k.killing),
            k.sigterm ? `${fmtTime(k.sigterm)}${k.sigterm.exact ? "" : " (estimated)"}` : "-",
            exit,
            fmtTime(k.removed),
          ].map(mdEscape);
        }),
      ),
      "",
    );
  }
  const fixes = [...new Set(doc.riskWindows.flatMap((w) => (w.fix ? [w.fix] : [])))];
  const settings = doc.suggestions.filter((s) => s.needsChange);
  out.push("## Suggested fixes", "");
  if (fixes.length === 0 && settings.length === 0) out.push("None needed.", "");
  for (const f of fixes) out.push(`- ${mdEscape(f)}`);
  for (const s of settings) out.push(`- ${mdEscape(`${s.namespace}/${s.workload}`)}: ${mdEscape(s.message)}`);
  if (fixes.length > 0 || settings.length > 0) out.push("");
  out.push("## Timeline", "");
  out.push(opts.pngFile ? `![Timeline of ${mdEscape(viewTitle(input))}](${encodeURI(opts.pngFile)})` : "(export the PNG to embed the timeline picture)", "");
  out.push(`_Exported by Drainscope; data as of ${mdEscape(doc.generatedFor.now)}._`, "");
  return out.join("\n");
}
