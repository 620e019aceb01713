import type { Severity, Verdict } from "@/lib/view/badge-types";

const SEVERITY_CLASS: Record<Severity, string> = {
  critical: "bg-risk-critical text-white",
  high: "bg-risk-high text-black",
  medium: "bg-risk-medium text-black",
  info: "bg-surface-sunken text-fg-muted border border-line",
};

/** Severity as colour + word (never colour alone). */
export function SeverityBadge({ severity, count }: { severity: Severity; count?: number }) {
  return (
    <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-semibold ${SEVERITY_CLASS[severity]}`}>
      {count !== undefined ? <span className="tabular-nums">{count}</span> : null}
      {count !== undefined ? " " : null}
      {severity}
    </span>
  );
}

const VERDICT: Record<Verdict, { cls: string; icon: string }> = {
  clean: { cls: "bg-ok text-white", icon: "✓" },
  warning: { cls: "bg-risk-medium text-black", icon: "!" },
  risky: { cls: "bg-risk-high text-black", icon: "▲" },
  critical: { cls: "bg-risk-critical text-white", icon: "✖" },
  "in-progress": { cls: "border border-accent text-accent", icon: "…" },
  incomplete: { cls: "border border-dashed border-fg-muted text-fg-muted", icon: "?" },
};

/** The verdict as colour + icon + word; the reason (incomplete, in progress) as its tooltip. */
export function VerdictBadge({ verdict, reason }: { verdict: Verdict; reason?: string | undefined }) {
  const v = VERDICT[verdict];
  return (
    <span data-verdict={verdict} title={reason} className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-bold uppercase tracking-wide ${v.cls}`}>
      <span aria-hidden>{v.icon}</span>
      {verdict.replace("-", " ")}
    </span>
  );
}
