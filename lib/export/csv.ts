/** Risk windows as CSV (RFC 4180: CRLF line ends, fields with `"`, `,`, CR or LF quoted, quotes doubled; no formulas). */
import type { AnalysisWindow } from "../report/analysis-json";

export const RISK_CSV_HEADER = ["id", "rule", "severity", "confidence", "start", "end", "duration_ms", "namespace", "service", "lb", "pods", "pod_uids", "explanation", "fix"] as const;

/**
 * A text cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading `'`,
 * as OWASP's CSV-injection advice says; then RFC 4180 quoting. Numbers are written as they are.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "number" ? String(value) : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(fields: readonly (string | number | null | undefined)[]): string {
  return fields.map(csvField).join(",");
}

export function riskWindowsCsv(windows: readonly AnalysisWindow[]): string {
  const rows = windows.map((w) =>
    csvRow([w.id, w.rule, w.severity, w.confidence, w.start, w.end, w.durationMs, w.namespace, w.service, w.lb, w.pods.join(" "), w.podUids.join(" "), w.explanation, w.fix]),
  );
  return [csvRow(RISK_CSV_HEADER), ...rows].map((r) => `${r}\r\n`).join("");
}
