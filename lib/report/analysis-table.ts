/** The human-readable `drainscope analyze` report: episodes, per-pod key times, risk windows, lint. */
import type { PodLane, RiskWindow, Timeline } from "../engine/types";
import type { TimeEstimate } from "../model/time";
import { fmtDuration } from "../rules/format";
import { formatVerdict } from "../engine/verdict";
import { terminalSafe } from "../text/terminal-safe";
import { isTerminated } from "./analysis-json";
import { counted } from "../text/count";

/** HH:MM:SS.mmm, with a marker for the precision: "~" inferred, "≈" estimated, "±1s" whole-second stamps. */
export function fmtTime(t: TimeEstimate | undefined): string {
  if (!t) return "-";
  const clock = new Date(t.at).toISOString().slice(11, 23);
  switch (t.precision) {
    case "exact":
      return clock;
    case "second":
      return `${clock.slice(0, 8)} ±1s`;
    case "estimated":
      return t.range[1] - t.range[0] >= 2000 ? `${clock.slice(0, 8)}..${new Date(t.range[1]).toISOString().slice(11, 19)}` : `${clock.slice(0, 8)} ≈`;
    case "inferred":
      return `${clock.slice(0, 8)} ~`;
  }
}

function table(headers: readonly string[], unsafeRows: readonly (readonly string[])[]): string {
  // Cluster text is made terminal-safe before the widths are measured, so columns stay aligned.
  const rows = unsafeRows.map((r) => r.map(terminalSafe));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(headers), ...rows.map(line)].map((l) => `  ${l}`).join("\n");
}

function podRow(l: PodLane): string[] {
  const k = l.keyTimes;
  const exit = k.exited ? `${fmtTime(k.exited)} (${k.exited.exitCode}${k.killedAtDeadline ? " SIGKILL@deadline" : k.killedBySigkill ? " SIGKILL" : ""})` : "-";
  const sigterm = k.sigterm ? `${fmtTime(k.sigterm)} ${k.sigterm.exact ? "" : "(estimated)"}`.trim() : "-";
  const del = k.deleteRequested ? `${fmtTime(k.deleteRequested)}${k.deleteRequested.force ? " FORCE" : ""} g=${k.deleteRequested.graceSeconds}s` : "-";
  return [`${l.namespace}/${l.name}`, l.revision ?? "-", del, fmtTime(k.killing), sigterm, exit, fmtTime(k.removed)];
}

/** A recording ends at `now` (its last event): a window still open then is open when the data ends. */
function windowRow(w: RiskWindow, now: number): string[] {
  const subject = w.pods.length === 1 ? (w.pods[0]?.name ?? "") : w.pods.length > 1 ? `${w.pods.length} pods` : "";
  const where = [w.service ? `svc ${w.service}` : "", w.lb ? `lb ${w.lb}` : ""].filter(Boolean).join(", ");
  return [
    w.severity,
    w.rule,
    new Date(w.start).toISOString().slice(11, 23),
    w.end === undefined ? `open when the data ends (≥ ${fmtDuration(Math.max(0, now - w.start))})` : fmtDuration(w.durationMs),
    w.confidence,
    [subject, where].filter(Boolean).join(" "),
  ];
}

export function formatAnalysisTable(t: Timeline, meta: { files: readonly string[]; lines: number }): string {
  const out: string[] = [];
  const startOf = (l: PodLane) => l.keyTimes.deleteRequested?.at ?? l.keyTimes.killing?.at ?? l.keyTimes.removed?.at ?? 0;
  const terminated = t.pods.filter(isTerminated).sort((a, b) => startOf(a) - startOf(b));
  const day = terminated[0]?.keyTimes.deleteRequested?.at ?? t.now;
  out.push(
    `Drainscope analysis of ${counted(meta.files.length, "file")}, ${counted(meta.lines, "watch event")}: ${counted(t.pods.length, "pod")}, ${counted(terminated.length, "termination")}, ${counted(t.riskWindows.length, "risk window")}.`,
    `Times are UTC on ${new Date(day).toISOString().slice(0, 10)}. "±1s" = whole-second stamp, "≈" = estimated, "~" = inferred from order, "a..b" = somewhere between.`,
    "",
  );
  out.push("EPISODES");
  if (t.episodes.length === 0) out.push("  (none: no pod was deleted or stopped)");
  for (const e of t.episodes) {
    const span = e.end === undefined ? "unfinished when the data ends" : fmtDuration(e.end - e.start);
    out.push(`  ${e.kind.padEnd(12)} ${e.namespace}/${e.workload}  from ${new Date(e.start).toISOString().slice(11, 19)} (${span}), ${counted(e.podUids.length, "pod")}  verdict: ${formatVerdict(e.verdict, e.verdictReason)} — ${e.summary}`);
  }
  out.push("", "TERMINATED PODS");
  out.push(
    terminated.length === 0
      ? "  (none)"
      : table(["POD", "REVISION", "DELETE REQUESTED", "KILLING (preStop)", "SIGTERM", "EXIT (code)", "REMOVED"], terminated.map(podRow)),
  );
  out.push("", "RISK WINDOWS");
  if (t.riskWindows.length === 0) {
    const allClean = t.episodes.length > 0 && t.episodes.every((e) => e.verdict === "clean");
    out.push(allClean ? "  none: every pod left routing before it stopped serving." : "  none observed (the episodes' verdicts say what the data cannot show).");
  }
  else {
    out.push(table(["SEVERITY", "RULE", "START", "DURATION", "CONFIDENCE", "POD / WHERE"], t.riskWindows.map((w) => windowRow(w, t.now))));
    out.push("");
    for (const w of t.riskWindows) {
      out.push(`  [${w.rule}] ${w.explanation}`);
      if (w.fix) out.push(`      fix: ${w.fix}`);
    }
  }
  if (t.lint.length > 0) {
    out.push("", "CONFIG LINT");
    for (const l of t.lint) out.push(`  ${l.severity.padEnd(7)} ${l.check}: ${l.message}`);
  }
  if (t.suggestions.length > 0) {
    out.push("", "SUGGESTED SETTINGS");
    for (const s of t.suggestions) out.push(`  ${s.message}`);
  }
  // Names, messages and explanations come from the cluster: no escape sequence reaches the terminal.
  return terminalSafe(out.join("\n") + "\n");
}
